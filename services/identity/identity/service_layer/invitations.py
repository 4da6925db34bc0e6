"""Accounts made for someone else: staff by an operator, colleagues by an organisation's member.

Each is one transaction: the account (no usable password, inactive until its holder sets one),
a one-time password-setup link, the `identity.account.invited` event that gets the link mailed,
and the audit entry. The link is never returned to the inviter: only the holder's mailbox
sees it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import peewee

from identity.adapters.orm import Account, Organisation
from identity.domain.staff import StaffRejected, check_staff
from identity.service_layer.password_setup import issue_password_setup
from platform_shared.unit_of_work import UnitOfWork
from platform_shared.web.problems import Problem

# (action, subject account id, detail): writes an audit entry in the open transaction.
Audit = Callable[[str, str, dict], None]
NO_PASSWORD = ""  # never an argon2 hash: nothing verifies against it (see PasswordHashing)


@dataclass(frozen=True)
class InviteStaff:
    email: str
    role: str
    province_code: str | None
    invited_by: str


@dataclass(frozen=True)
class InviteMember:
    organisation_id: str
    email: str
    invited_by: str


def invite_staff(command: InviteStaff, uow: UnitOfWork, base_url: str, audit: Audit) -> Account:
    """A reviewer, operator or province admin account; 409 if the e-mail has an account."""
    try:
        check_staff(command.role, command.province_code)
    except StaffRejected as exc:
        raise Problem(422, str(exc), errors={exc.field: [str(exc)]}) from None
    return _invite(command.email, command.role, None, command.province_code, command.invited_by,
                   "staff", uow, base_url, audit)


def invite_member(command: InviteMember, uow: UnitOfWork, base_url: str, audit: Audit) -> Account:
    """An enterprise account bound to the organisation; 404 if it does not exist, 409 if the
    e-mail has an account."""
    organisation = Organisation.get_or_none(Organisation.id == command.organisation_id)
    if organisation is None:
        raise Problem(404, "No such organisation.", slug="not-found")
    return _invite(command.email, "enterprise", organisation, None, command.invited_by, "member",
                   uow, base_url, audit)


def _invite(email: str, role: str, organisation: Organisation | None, province_code: str | None,
            invited_by: str, purpose: str, uow: UnitOfWork, base_url: str, audit: Audit) -> Account:
    email = email.strip().lower()
    now = dt.datetime.now(dt.UTC)
    try:
        with uow:
            if Account.select().where(Account.email == email).exists():
                raise _taken()
            account = Account.create(id=str(uuid.uuid4()), email=email, password_hash=NO_PASSWORD, role=role,
                                     organisation=organisation, province_code=province_code, active=False,
                                     created_at=now.replace(tzinfo=None))
            url, expires_at = issue_password_setup(account, purpose, base_url)
            uow.publish("identity.account.invited", {
                "account_id": account.id, "email": email, "role": role,
                "organisation_id": organisation.id if organisation else None,
                "organisation_name": organisation.name if organisation else None,
                "province_code": province_code, "invited_by": invited_by,
                "password_setup_url": url, "password_setup_expires_at": expires_at.isoformat(),
            }, aggregate_id=account.id)
            audit("account.created", account.id, {
                "email": email, "role": role, "province_code": province_code,
                "organisation_id": organisation.id if organisation else None, "invited": True})
    except peewee.IntegrityError:
        raise _taken() from None  # a concurrent invitation of the same e-mail won the unique index
    return account


def _taken() -> Problem:
    return Problem(409, "An account with this e-mail already exists.", slug="account-exists",
                   errors={"email": ["already registered"]})
