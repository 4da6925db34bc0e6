"""An organisation over HTTP: registering it with its first account, reading it, correcting it,
asking for real-name verification.

Each view translates a request into a call of `identity.service_layer`; who may call it is
checked before its body is read, so a stranger learns nothing from validation errors.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response

from identity.domain.commands import CorrectOrganisation, RegisterOrganisation, RequestVerification
from identity.domain.identifiers import check_id_number
from identity.entrypoints import organisations_schemas as schemas
from identity.service_layer import forms, id_numbers, organisations, registration, verification
from identity.service_layer.dependencies import IdentityDependencies
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.web.access import current_principal
from platform_shared.web.attachments import generated_pdf, pdf_doc
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.rate_limited import RateLimit
from platform_shared.web.routes import ANYONE, endpoint

blp = Blueprint("identity-organisations", __name__, url_prefix="/api/v1/identity",
                description="An organisation: its registration, data, corrections and real-name verification")
ORGANISATION = "/organisations/<organisation_id>"


def _dependencies() -> IdentityDependencies:
    return current_dependencies(IdentityDependencies)


@endpoint(blp, "/organisations", "POST", roles=ANYONE, body=schemas.RegistrationSchema,
          response=(201, schemas.RegisteredSchema), rate_limit=RateLimit("registration", "30/hour"))
def register(body: dict[str, Any]) -> dict[str, Any]:
    """Register an organisation and its first account (anyone): 201 `{id, status: "registered"}`,
    as the public contract says. The same answer whether or not the account e-mail has an account:
    if it has, nothing is stored, the id answered names nothing, and the address's holder is mailed
    (sign in or reset the password). 409 when the USCC is held by another registration (a USCC
    names a company, not a person: see README, "What a registration holds")."""
    dependencies = _dependencies()
    command = RegisterOrganisation(
        name=body["name"], uscc=body["uscc"], kind=body["kind"], province_code=body["province_code"],
        city_code=body.get("city_code"), address=body["address"],
        legal_representative_name=body["legal_representative"]["name"],
        legal_representative_id_number=body["legal_representative"]["id_number"],
        contact_name=body["contact"]["name"], contact_phone=body["contact"]["phone"],
        contact_email=body["contact"]["email"], account_email=body["account"]["email"],
        account_password=body["account"]["password"])
    organisation = registration.handle_register_organisation(
        command, current_uow(IdentityUnitOfWork), dependencies.id_cipher, dependencies.password_hashing,
        dependencies.holds)
    # An address that has an account gets an id of nothing: telling it apart would tell who has one.
    return {"id": organisation.id if organisation is not None else str(uuid.uuid4()), "status": "registered"}


@endpoint(blp, ORGANISATION, "GET", roles=("enterprise", "reviewer", "operator"),
          response=(200, schemas.OrganisationOut))
def read_organisation(organisation_id: str) -> dict[str, Any]:
    """The organisation, its status and the newest rejection's reasons; ID numbers masked
    (its members, reviewers, operators; 404 for anyone else)."""
    return organisations.read_organisation(organisation_id, current_principal(), current_uow(IdentityUnitOfWork))


@endpoint(blp, ORGANISATION + "/legal-representative/id-number", "GET", roles=("reviewer", "operator"),
          response=(200, schemas.IdNumberOut), problems=(401, 403, 404, 409))
def reveal_id_number(organisation_id: str) -> dict[str, Any]:
    """The legal representative's full ID number, to check against the licence; every reveal
    is audited (`organisation.id_number.revealed`). Reviewers only while the organisation awaits
    their decision (409 otherwise), operators always; anyone else 403."""
    number = id_numbers.reveal_id_number(organisation_id, current_principal(), current_uow(IdentityUnitOfWork),
                                         _dependencies().id_cipher)
    return {"id_number": number}


@endpoint(blp, ORGANISATION, "PATCH", roles=("enterprise",), body=schemas.OrganisationCorrection,
          response=(200, schemas.OrganisationOut))
def correct(body: dict[str, Any], organisation_id: str) -> dict[str, Any]:
    """Correct the name, address, city, legal representative or contact, checked as at
    registration (its members; only while `registered` or `rejected`, 409 otherwise)."""
    representative = body.get("legal_representative") or {}
    contact = body.get("contact") or {}
    command = CorrectOrganisation(
        organisation_id=organisation_id, principal=current_principal(), name=body.get("name"),
        address=body.get("address"), city_code=body.get("city_code"),
        clear_city_code="city_code" in body and body["city_code"] is None,
        legal_representative_name=representative.get("name"),
        legal_representative_id_number=check_id_number(representative["id_number"]) if representative else None,
        contact_name=contact.get("name"), contact_phone=contact.get("phone"), contact_email=contact.get("email"),
        fields=tuple(sorted(body)))
    uow = current_uow(IdentityUnitOfWork)
    organisation = organisations.handle_correct_organisation(command, uow, _dependencies().id_cipher)
    return organisations.organisation_view(organisation, uow)


@endpoint(blp, ORGANISATION + "/verification", "POST", roles=("enterprise",),
          response=(202, schemas.VerificationOut))
def ask_for_verification(organisation_id: str) -> dict[str, Any]:
    """Run the real-name check and queue the organisation for review: 202 `pending_review`;
    422 naming missing documents or what the registry disagrees with; 409 unless `registered`
    or `rejected`; 503 when the registry cannot be reached (its members)."""
    dependencies = _dependencies()
    organisation = verification.handle_request_verification(
        RequestVerification(organisation_id, current_principal()), current_uow(IdentityUnitOfWork),
        dependencies.registry, dependencies.id_cipher)
    return {"status": organisation.status}


@endpoint(blp, ORGANISATION + "/commitment-letter.pdf", "GET", roles=("enterprise",), response=None,
          problems=(401, 403, 404), doc={"responses": pdf_doc("The commitment letter (诚信承诺书), prefilled")})
def commitment_letter(organisation_id: str) -> Response:
    """The organisation's commitment letter (诚信承诺书) as PDF, prefilled with its name, USCC,
    legal representative and today's date (Beijing), with lines to sign and a box for the seal:
    signed and stamped, it is uploaded as the document `integrity_commitment` (its members; 404
    for anyone else's organisation, 403 for staff)."""
    letter, pdf = forms.commitment_letter(organisation_id, current_principal(), current_uow(IdentityUnitOfWork),
                                          _dependencies().forms, forms.today_in_china())
    return generated_pdf(pdf, f"commitment-letter-{letter.uscc}.pdf")
