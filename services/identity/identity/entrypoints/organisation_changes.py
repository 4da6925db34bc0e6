"""A verified organisation's changes over HTTP: its admin changes the contact and address at
once; operators suspend an organisation directly and reinstate a suspended one (see
`service_layer.organisation_changes`)."""

from __future__ import annotations

from typing import Any

from identity.domain.commands import ChangeContact, ReinstateOrganisation, RequestChange, SuspendOrganisation
from identity.entrypoints import organisation_changes_schemas as schemas
from identity.entrypoints.organisations_schemas import OrganisationOut
from identity.service_layer import change_requests, organisation_changes, organisations
from identity.service_layer.dependencies import IdentityDependencies
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.web.access import current_principal
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.routes import endpoint

blp = Blueprint("identity-organisation-changes", __name__, url_prefix="/api/v1/identity",
                description="A verified organisation's contact and address; suspending and reinstating (operators)")
ORGANISATION = "/organisations/<organisation_id>"


@endpoint(blp, ORGANISATION + "/contact", "PATCH", roles=("enterprise",), body=schemas.ContactChange,
          response=(200, OrganisationOut), problems=(401, 403, 404, 409, 422))
def change_contact(body: dict[str, Any], organisation_id: str) -> dict[str, Any]:
    """Change a verified organisation's contact (name, phone, e-mail), address or city (within its
    province) at once: audited, and both the previous and the new contact address are mailed what
    changed. Its organisation admin only (403 for its other members, 404 for anyone else's
    organisation); 409 unless `verified`."""
    contact = body.get("contact") or {}
    command = ChangeContact(
        organisation_id=organisation_id, principal=current_principal(), address=body.get("address"),
        city_code=body.get("city_code"), clear_city_code="city_code" in body and body["city_code"] is None,
        contact_name=contact.get("name"), contact_phone=contact.get("phone"), contact_email=contact.get("email"))
    uow = current_uow(IdentityUnitOfWork)
    organisation = organisation_changes.handle_change_contact(command, uow)
    return organisations.organisation_view(organisation, uow)


@endpoint(blp, ORGANISATION + "/suspension", "POST", roles=("operator",), body=schemas.Reason,
          response=(200, OrganisationOut), problems=(401, 403, 404, 409, 422))
def suspend(body: dict[str, Any], organisation_id: str) -> dict[str, Any]:
    """Suspend an organisation from the console (operators; anyone else 403): it releases its
    USCC, its accounts no longer act for it, its products' public verification says so; audited
    with the reason and mailed. 409 unless it holds its USCC (not lapsed or suspended already)."""
    uow = current_uow(IdentityUnitOfWork)
    organisation = organisation_changes.handle_suspend(
        SuspendOrganisation(organisation_id, body["reason"], current_principal()), uow)
    return organisations.organisation_view(organisation, uow)


@endpoint(blp, ORGANISATION + "/reinstatement", "POST", roles=("operator",), body=schemas.Reason,
          response=(200, OrganisationOut), problems=(401, 403, 404, 409, 422))
def reinstate(body: dict[str, Any], organisation_id: str) -> dict[str, Any]:
    """Reinstate a suspended organisation (operators; anyone else 403): it holds its USCC again and
    returns to its status before (`registered` if it awaited a review decision), audited with the
    reason and mailed. 409 unless suspended, or `uscc-held` when another registration holds the
    USCC now."""
    uow = current_uow(IdentityUnitOfWork)
    organisation = organisation_changes.handle_reinstate(
        ReinstateOrganisation(organisation_id, body["reason"], current_principal()), uow)
    return organisations.organisation_view(organisation, uow)


@endpoint(blp, ORGANISATION + "/change-requests", "POST", roles=("enterprise",), body=schemas.ChangeRequestIn,
          response=(202, schemas.ChangeRequestOut), problems=(401, 403, 404, 409, 422, 503))
def request_change(body: dict[str, Any], organisation_id: str) -> dict[str, Any]:
    """Ask to change a verified organisation's name or legal representative, with the documents
    that show it (a business licence): the registry is asked whether it agrees with the new data
    (422 naming the fields it does not), then a reviewer decides. The organisation stays verified
    meanwhile. Its organisation admin only (403 for its other members, 404 for anyone else's
    organisation); 409 unless `verified`, or with a request pending (`change-request-pending`);
    503 when the registry cannot be reached."""
    representative = body.get("legal_representative") or {}
    command = RequestChange(
        organisation_id=organisation_id, principal=current_principal(), document_ids=tuple(body["document_ids"]),
        name=body.get("name"), legal_representative_name=representative.get("name"),
        legal_representative_id_number=representative.get("id_number"))
    dependencies = current_dependencies(IdentityDependencies)
    request = change_requests.handle_request_change(command, current_uow(IdentityUnitOfWork), dependencies.registry,
                                                    dependencies.id_cipher)
    return change_requests.request_view(request)


@endpoint(blp, ORGANISATION + "/change-requests/latest", "GET", roles=("enterprise", "reviewer", "operator"),
          response=(200, schemas.LatestChangeRequestOut), problems=(401, 403, 404))
def latest_change_request(organisation_id: str) -> dict[str, Any]:
    """The organisation's newest change request — pending, or the last decided with the reviewer's
    reasons — or null (its members, reviewers, operators; 404 for anyone else)."""
    return change_requests.latest_change_request(organisation_id, current_principal(), current_uow(IdentityUnitOfWork))
