"""Who may see or change an organisation, reading it, and correcting its data before
(re-)verification.

An organisation is visible to its own members and to reviewers and operators; to anyone else
it does not exist (`NotFound`, never `Forbidden`: saying "forbidden" would confirm that it exists).
"""

from __future__ import annotations

from typing import Any

from identity.domain.commands import CorrectOrganisation
from identity.domain.identifiers import mask_id_number
from identity.domain.model import Organisation
from identity.domain.verification import MAY_CORRECT
from identity.service_layer.dependencies import IdNumberCipher
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.errors import Conflict, NotFound, RuleBroken
from platform_shared.principal import Principal
from platform_shared.regions import province_of

CORRECTABLE = ("name", "address", "legal_representative_name", "contact_name", "contact_phone", "contact_email")


def not_found() -> NotFound:
    return NotFound("No such organisation.", slug="organisation-not-found")


def _existing(organisation_id: str, uow: IdentityUnitOfWork) -> Organisation:
    organisation = uow.organisations.get(organisation_id)
    if organisation is None:
        raise not_found()
    return organisation


def visible_organisation(principal: Principal, organisation_id: str, uow: IdentityUnitOfWork) -> Organisation:
    """The organisation if `principal` is one of its members or staff; `NotFound` otherwise."""
    if not (principal.is_staff or principal.is_member_of(organisation_id)):
        raise not_found()
    return _existing(organisation_id, uow)


def own_organisation(principal: Principal, organisation_id: str, uow: IdentityUnitOfWork) -> Organisation:
    """The organisation if `principal` is one of its members; `NotFound` otherwise."""
    if not principal.is_member_of(organisation_id):
        raise not_found()
    return _existing(organisation_id, uow)


def organisation_view(organisation: Organisation, uow: IdentityUnitOfWork) -> dict[str, Any]:
    """The organisation as it is shown: ID number masked, with the newest rejection's reasons."""
    rejection = uow.decisions.latest_rejection(organisation.id)
    return {
        "id": organisation.id, "name": organisation.name, "uscc": organisation.uscc, "kind": organisation.kind,
        "province_code": organisation.province_code, "city_code": organisation.city_code,
        "address": organisation.address,
        "legal_representative": {"name": organisation.legal_representative_name,
                                 "id_number": organisation.legal_representative_id_masked},
        "contact": {"name": organisation.contact_name, "phone": organisation.contact_phone,
                    "email": organisation.contact_email},
        "status": organisation.status, "version": organisation.version,
        "registered_at": organisation.registered_at,
        "last_rejection": None if rejection is None else {
            "reasons": rejection.reasons, "rejected_at": rejection.decided_at},
    }


def read_organisation(organisation_id: str, principal: Principal, uow: IdentityUnitOfWork) -> dict[str, Any]:
    """The organisation for its members and staff; each read by staff is audited."""
    organisation = visible_organisation(principal, organisation_id, uow)
    if principal.is_staff:
        with uow:
            uow.audit("organisation.read", "organisation", organisation.id)
    return organisation_view(organisation, uow)


def handle_correct_organisation(command: CorrectOrganisation, uow: IdentityUnitOfWork,
                                cipher: IdNumberCipher) -> Organisation:
    """Change the organisation's data (members; only while `registered` or `rejected`).

    `Conflict` in any other status (under review or verified, the reviewed data must stay as it
    was). The change applies only to the version that was read (optimistic: the transaction starts
    with its write, so SQLite never has to upgrade a reader into a writer).
    """
    organisation = own_organisation(command.principal, command.organisation_id, uow)
    if organisation.status not in MAY_CORRECT:
        raise Conflict(f"An organisation that is {organisation.status} cannot change its data; "
                       "only a registered or rejected one can.", slug="organisation-not-correctable")
    changes = _changes(command, organisation, cipher)
    with uow:
        if changes and not uow.organisations.change(organisation.id, organisation.version, MAY_CORRECT, changes):
            raise Conflict("The organisation changed meanwhile; read it again.", slug="organisation-changed")
        uow.audit("organisation.corrected", "organisation", organisation.id, {"fields": list(command.fields)})
    return _existing(organisation.id, uow)


def _changes(command: CorrectOrganisation, organisation: Organisation, cipher: IdNumberCipher) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in CORRECTABLE:
        value = getattr(command, name)
        if value is not None:
            changes[name] = value
    if command.clear_city_code:
        changes["city_code"] = None
    elif command.city_code is not None:
        if province_of(command.city_code) != organisation.province_code:
            message = "The city is not in the organisation's province."
            raise RuleBroken({"city_code": [message]}, message)
        changes["city_code"] = command.city_code
    number = command.legal_representative_id_number
    if number is not None:
        changes["legal_representative_id_encrypted"] = cipher.encrypt(number)
        changes["legal_representative_id_masked"] = mask_id_number(number)
    return changes
