"""Registering an organisation with its first account, and telling the platform about it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import peewee

from identity.adapters.id_cipher import IdNumberCipher
from identity.adapters.orm import Account, Organisation
from identity.domain.identifiers import mask_id_number
from identity.service_layer.accounts import PasswordHashing
from platform_shared.unit_of_work import UnitOfWork
from platform_shared.web.problems import Problem


@dataclass(frozen=True)
class RegisterOrganisation:
    name: str
    uscc: str
    kind: str
    province_code: str
    city_code: str | None
    address: str
    legal_representative_name: str
    legal_representative_id_number: str
    contact_name: str
    contact_phone: str
    contact_email: str
    account_email: str
    account_password: str


def register_organisation(command: RegisterOrganisation, uow: UnitOfWork, cipher: IdNumberCipher,
                          hashing: PasswordHashing) -> Organisation:
    """Create the organisation (status `registered`) and its first enterprise account.

    409 when the USCC or the account e-mail is already registered; nothing is stored then.
    """
    now = dt.datetime.now(dt.UTC)
    password_hash = hashing.hash(command.account_password)  # slow: before the transaction
    try:
        with uow:
            if Organisation.select().where(Organisation.uscc == command.uscc).exists():
                raise _duplicate_uscc()
            if Account.select().where(Account.email == command.account_email.lower()).exists():
                raise _duplicate_account()
            organisation = Organisation.create(
                id=str(uuid.uuid4()), name=command.name, uscc=command.uscc, kind=command.kind,
                province_code=command.province_code, city_code=command.city_code,
                address=command.address, legal_representative_name=command.legal_representative_name,
                legal_representative_id_encrypted=cipher.encrypt(command.legal_representative_id_number),
                legal_representative_id_masked=mask_id_number(command.legal_representative_id_number),
                contact_name=command.contact_name, contact_phone=command.contact_phone,
                contact_email=command.contact_email, status="registered", version=1,
                registered_at=now.replace(tzinfo=None))
            account = Account.create(id=str(uuid.uuid4()), email=command.account_email.lower(),
                                     password_hash=password_hash, role="enterprise", organisation=organisation,
                                     created_at=now.replace(tzinfo=None))
            uow.publish("identity.organisation.registered", {
                "organisation_id": organisation.id, "name": organisation.name,
                "uscc": organisation.uscc, "kind": organisation.kind,
                "province_code": organisation.province_code, "city_code": organisation.city_code,
                "contact": {"name": command.contact_name, "phone": command.contact_phone,
                            "email": command.contact_email},
                "account_email": command.account_email.lower(), "account_id": account.id,
                "registered_at": now.isoformat(),
            }, aggregate_id=organisation.id, aggregate_version=1)
    except peewee.IntegrityError:
        # Two registrations of the same USCC raced; the unique index let only one through.
        raise _duplicate_uscc() from None
    return organisation


def _duplicate_uscc() -> Problem:
    return Problem(409, "An organisation with this 统一社会信用代码 is already registered.",
                   slug="organisation-already-registered", errors={"uscc": ["already registered"]})


def _duplicate_account() -> Problem:
    return Problem(409, "An account with this e-mail already exists.", slug="account-exists",
                   errors={"account.email": ["already registered"]})
