"""Who may see or change an organisation, and correcting its data before (re-)verification.

An organisation is visible to its own members and to reviewers and operators; to anyone else
it does not exist (404, never 403: saying "forbidden" would confirm that it exists).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from identity.adapters.decisions import OrganisationDecision
from identity.adapters.id_cipher import IdNumberCipher
from identity.adapters.orm import Organisation
from identity.domain.identifiers import mask_id_number
from identity.domain.verification import MAY_CORRECT
from platform_shared.auth.tokens import Principal
from platform_shared.regions import province_of
from platform_shared.unit_of_work import UnitOfWork
from platform_shared.web.problems import Problem

STAFF = ("reviewer", "operator")


def not_found() -> Problem:
    return Problem(404, "No such organisation.", slug="organisation-not-found")


def is_staff(principal: Principal) -> bool:
    return principal.role in STAFF


def visible_organisation(principal: Principal, organisation_id: str) -> Organisation:
    """The organisation if `principal` is one of its members or staff; a 404 problem otherwise."""
    if not (is_staff(principal) or principal.is_member_of(organisation_id)):
        raise not_found()
    organisation = Organisation.get_or_none(Organisation.id == organisation_id)
    if organisation is None:
        raise not_found()
    return organisation


def own_organisation(principal: Principal, organisation_id: str) -> Organisation:
    """The organisation if `principal` is one of its members; a 404 problem otherwise."""
    if not principal.is_member_of(organisation_id):
        raise not_found()
    organisation = Organisation.get_or_none(Organisation.id == organisation_id)
    if organisation is None:
        raise not_found()
    return organisation


@dataclass(frozen=True)
class Rejection:
    reasons: list[dict]
    rejected_at: dt.datetime


def latest_rejection(organisation: Organisation) -> Rejection | None:
    """The reasons of the newest rejection of the organisation, if it was ever rejected."""
    row = (OrganisationDecision.select()
           .where((OrganisationDecision.organisation == organisation.id)
                  & (OrganisationDecision.outcome == "reject"))
           .order_by(OrganisationDecision.decided_at.desc(), OrganisationDecision.applied_at.desc())
           .first())
    return None if row is None else Rejection(json.loads(row.reasons), row.decided_at)


@dataclass(frozen=True)
class CorrectOrganisation:
    """New values of the fields a member may correct; None leaves a field as it is."""

    organisation_id: str
    name: str | None = None
    address: str | None = None
    city_code: str | None = None
    clear_city_code: bool = False
    legal_representative_name: str | None = None
    legal_representative_id_number: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None


def correct_organisation(command: CorrectOrganisation, principal: Principal, uow: UnitOfWork,
                         cipher: IdNumberCipher) -> Organisation:
    """Change the organisation's data (members; only while `registered` or `rejected`).

    409 in any other status (under review or verified, the reviewed data must stay as it was).
    The change applies only to the version that was read (optimistic: the transaction starts
    with its write, so SQLite never has to upgrade a reader into a writer).
    """
    organisation = own_organisation(principal, command.organisation_id)
    if organisation.status not in MAY_CORRECT:
        raise Problem(409, f"An organisation that is {organisation.status} cannot change its data; "
                      "only a registered or rejected one can.", slug="organisation-not-correctable")
    changes = _changes(command, organisation, cipher)
    if changes:
        changes[Organisation.version] = Organisation.version + 1
        with uow:
            updated = (Organisation.update(changes)
                       .where((Organisation.id == organisation.id) & (Organisation.version == organisation.version)
                              & Organisation.status.in_(MAY_CORRECT)).execute())
            if updated != 1:
                raise Problem(409, "The organisation changed meanwhile; read it again.",
                              slug="organisation-changed")
    return Organisation.get_by_id(organisation.id)


def _changes(command: CorrectOrganisation, organisation: Organisation, cipher: IdNumberCipher) -> dict:
    changes: dict = {}
    for field in ("name", "address", "legal_representative_name", "contact_name", "contact_phone",
                  "contact_email"):
        value = getattr(command, field)
        if value is not None:
            changes[getattr(Organisation, field)] = value
    if command.clear_city_code:
        changes[Organisation.city_code] = None
    elif command.city_code is not None:
        if province_of(command.city_code) != organisation.province_code:
            raise Problem(422, "The city is not in the organisation's province.",
                          errors={"city_code": ["The city is not in the organisation's province."]})
        changes[Organisation.city_code] = command.city_code
    number = command.legal_representative_id_number
    if number is not None:
        changes[Organisation.legal_representative_id_encrypted] = cipher.encrypt(number)
        changes[Organisation.legal_representative_id_masked] = mask_id_number(number)
    return changes
