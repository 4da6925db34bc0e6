"""Registering an organisation with its first account, and telling the platform about it."""

from __future__ import annotations

import datetime as dt
import uuid

from identity.domain.commands import RegisterOrganisation
from identity.domain.identifiers import mask_id_number
from identity.domain.model import REGISTERED, Account, Organisation
from identity.service_layer.dependencies import IdNumberCipher, PasswordHasher
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.errors import Conflict, DuplicateRecord


def handle_register_organisation(command: RegisterOrganisation, uow: IdentityUnitOfWork, cipher: IdNumberCipher,
                                 hashing: PasswordHasher) -> Organisation:
    """Create the organisation (status `registered`) and its first enterprise account.

    `Conflict` when the USCC or the account e-mail is already registered; nothing is stored then.
    """
    now = dt.datetime.now(dt.UTC)
    password_hash = hashing.hash(command.account_password)  # slow: before the transaction
    account_email = command.account_email.lower()
    try:
        with uow:
            if uow.organisations.uscc_taken(command.uscc):
                raise _duplicate_uscc()
            if uow.accounts.email_taken(account_email):
                raise _duplicate_account()
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


def _duplicate_account() -> Conflict:
    return Conflict("An account with this e-mail already exists.", slug="account-exists",
                    errors={"account.email": ["already registered"]})
