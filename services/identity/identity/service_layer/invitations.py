"""Accounts made for someone else: staff by an operator, colleagues by an organisation's member.

Each is one transaction: the account (no usable password, inactive until its holder sets one),
a one-time password-setup link, the `identity.account.invited` event that gets the link mailed,
and the audit entry. The link is never returned to the inviter: only the holder's mailbox
sees it.

An invitation no one accepted holds its address only for a bound (`HoldBounds.invitation_days`):
after it, a registration or a new invitation of the address takes it (`yield_lapsed_invitation`).
"""

from __future__ import annotations

import datetime as dt
import uuid

from identity.domain.commands import InviteMember, InviteStaff
from identity.domain.holds import RELEASED, HoldBounds, invitation_yields
from identity.domain.model import Account, Organisation
from identity.domain.staff import StaffRejected, check_staff
from identity.service_layer.accounts import ensure_member_or_operator
from identity.service_layer.password_setup import issue_password_setup
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.errors import Conflict, DuplicateRecord, NotFound, RuleBroken

NO_PASSWORD = ""  # never an argon2 hash: nothing verifies against it (see adapters.passwords)


def handle_invite_staff(command: InviteStaff, uow: IdentityUnitOfWork, base_url: str) -> Account:
    """A reviewer, operator or province admin account; `Conflict` if the e-mail has an account."""
    try:
        check_staff(command.role, command.province_code)
    except StaffRejected as exc:
        raise RuleBroken({exc.field: [str(exc)]}, str(exc)) from None
    return _invite(command.email, command.role, None, command.province_code, command.principal.account_id,
                   "staff", uow, base_url)


def handle_invite_member(command: InviteMember, uow: IdentityUnitOfWork, base_url: str) -> Account:
    """An enterprise account bound to the caller's organisation; `NotFound` for any other or an
    unknown one, `Conflict` if the e-mail has an account."""
    ensure_member_or_operator(command.principal, command.organisation_id)
    organisation = uow.organisations.get(command.organisation_id)
    if organisation is None:
        raise NotFound("No such organisation.", slug="not-found")
    if organisation.status in RELEASED:
        raise released_organisation()
    return _invite(command.email, "enterprise", organisation, None, command.principal.account_id, "member",
                   uow, base_url)


def _invite(email: str, role: str, organisation: Organisation | None, province_code: str | None,
            invited_by: str, purpose: str, uow: IdentityUnitOfWork, base_url: str) -> Account:
    email = email.strip().lower()
    now = dt.datetime.now(dt.UTC)
    organisation_id = organisation.id if organisation else None
    try:
        with uow:
            yield_lapsed_invitation(email, uow, now)
            if uow.accounts.email_taken(email):
                raise _taken()
            account = Account(id=str(uuid.uuid4()), email=email, password_hash=NO_PASSWORD, role=role,
                              organisation_id=organisation_id, province_code=province_code, active=False,
                              created_at=now.replace(tzinfo=None))
            uow.accounts.add(account)
            url, expires_at = issue_password_setup(account.id, purpose, base_url, uow)
            uow.publish("identity.account.invited", {
                "account_id": account.id, "email": email, "role": role,
                "organisation_id": organisation_id,
                "organisation_name": organisation.name if organisation else None,
                "province_code": province_code, "invited_by": invited_by,
                "password_setup_url": url, "password_setup_expires_at": expires_at.isoformat(),
            }, aggregate_id=account.id)
            uow.audit("account.created", "account", account.id, {
                "email": email, "role": role, "province_code": province_code,
                "organisation_id": organisation_id, "invited": True})
    except DuplicateRecord:
        raise _taken() from None  # a concurrent invitation of the same e-mail won the unique index
    return account


def _taken() -> Conflict:
    return Conflict("An account with this e-mail already exists.", slug="account-exists",
                    errors={"email": ["already registered"]})


def yield_lapsed_invitation(email: str, uow: IdentityUnitOfWork, now: dt.datetime,
                            bounds: HoldBounds | None = None) -> bool:
    """Inside the unit of work: if `email` belongs to an account an invitation made, never
    accepted and older than the bound, forget that account (its links with it; audited) so the
    address is free. Whether it did."""
    account = uow.accounts.by_email(email)
    if account is None or not invitation_yields(account.password_hash, account.active, account.created_at,
                                                now.replace(tzinfo=None), bounds or HoldBounds()):
        return False
    uow.accounts.forget(account.id)
    uow.audit("account.invitation_lapsed", "account", account.id,
              {"email": account.email, "role": account.role, "organisation_id": account.organisation_id,
               "province_code": account.province_code})
    return True


def released_organisation() -> Conflict:
    """A lapsed or suspended registration: its accounts no longer act for the organisation."""
    return Conflict("This registration has lapsed or is suspended: it no longer acts for the organisation.",
                    slug="organisation-released", errors={"organisation_id": ["lapsed or suspended"]})
