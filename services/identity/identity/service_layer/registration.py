"""Registering an organisation with its first account, and telling the platform about it.

The answer never tells whether the account e-mail has an account already (sign-in and password
reset do not either): such a registration stores nothing, the registrant gets the same answer
as any other, and the address's holder is mailed (`identity.account.registration_attempted`) with
where to sign in or reset the password. A USCC is different: it names a company, not a person,
and whoever holds it is the question a rightful organisation must be able to ask (to open a
dispute), so a USCC held by a registration in any holding status is a 409 — checked before the
e-mail, so the 409 says nothing about the address either.
"""

from __future__ import annotations

import datetime as dt
import uuid

from identity.domain.commands import RegisterOrganisation
from identity.domain.holds import HoldBounds
from identity.domain.identifiers import mask_id_number
from identity.domain.model import REGISTERED, Account, Organisation
from identity.service_layer.dependencies import IdNumberCipher, PasswordHasher
from identity.service_layer.invitations import yield_lapsed_invitation
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.errors import Conflict, DuplicateRecord


def handle_register_organisation(command: RegisterOrganisation, uow: IdentityUnitOfWork, cipher: IdNumberCipher,
                                 hashing: PasswordHasher, bounds: HoldBounds | None = None) -> Organisation | None:
    """Create the organisation (status `registered`) and its first enterprise account; `None` when
    the account e-mail has an account (nothing stored, its holder mailed).

    `Conflict` when the USCC is held by another registration; nothing is stored then.
    """
    now = dt.datetime.now(dt.UTC)
    password_hash = hashing.hash(command.account_password)  # slow: before the transaction
    account_email = command.account_email.lower()
    try:
        with uow:
            if uow.organisations.uscc_taken(command.uscc):
                raise _duplicate_uscc()
            yield_lapsed_invitation(account_email, uow, now, bounds)
            if uow.accounts.email_taken(account_email):
                _tell_the_holder(account_email, uow, now)
                return None
            organisation = Organisation(
                id=str(uuid.uuid4()), name=command.name, uscc=command.uscc, kind=command.kind,
                province_code=command.province_code, city_code=command.city_code,
                address=command.address, legal_representative_name=command.legal_representative_name,
                legal_representative_id_encrypted=cipher.encrypt(command.legal_representative_id_number),
                legal_representative_id_masked=mask_id_number(command.legal_representative_id_number),
                contact_name=command.contact_name, contact_phone=command.contact_phone,
                contact_email=command.contact_email, status=REGISTERED, version=1,
                registered_at=now.replace(tzinfo=None))
            uow.organisations.add(organisation)
            account = Account(id=str(uuid.uuid4()), email=account_email, password_hash=password_hash,
                              role="enterprise", organisation_id=organisation.id, created_at=now.replace(tzinfo=None),
                              organisation_admin=True)
            uow.accounts.add(account)
            uow.publish("identity.organisation.registered", {
                "organisation_id": organisation.id, "name": organisation.name,
                "uscc": organisation.uscc, "kind": organisation.kind,
                "province_code": organisation.province_code, "city_code": organisation.city_code,
                "contact": {"name": command.contact_name, "phone": command.contact_phone,
                            "email": command.contact_email},
                "account_email": account_email, "account_id": account.id,
                "registered_at": now.isoformat(),
            }, aggregate_id=organisation.id, aggregate_version=1)
    except DuplicateRecord:
        # Two registrations of the same USCC raced; the unique index let only one through.
        raise _duplicate_uscc() from None
    return organisation


def _duplicate_uscc() -> Conflict:
    return Conflict("An organisation with this 统一社会信用代码 is already registered.",
                    slug="organisation-already-registered", errors={"uscc": ["already registered"]})


def _tell_the_holder(email: str, uow: IdentityUnitOfWork, now: dt.datetime) -> None:
    """The address has an account: its holder hears of the attempt (inside the unit of work)."""
    holder = uow.accounts.by_email(email)
    if holder is None:  # pragma: no cover - email_taken said it exists, in this same transaction
        return
    uow.publish("identity.account.registration_attempted", {
        "account_id": holder.id, "email": holder.email, "attempted_at": now.isoformat()},
        aggregate_id=holder.id)
    uow.audit("account.registration_attempted", "account", holder.id, {})
