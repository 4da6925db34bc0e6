"""One-time links to set a password: for accounts made by someone else (staff, invited
members, province admins), whose holder must choose their own password, and for a forgotten
password (`password_reset`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import uuid

from identity.domain.commands import SetPassword
from identity.domain.model import Account, PasswordSetup
from identity.domain.passwords import PasswordRejected, check_password
from identity.service_layer.dependencies import PasswordHasher
from identity.service_layer.tokens import digest
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.errors import Gone, RuleBroken
from platform_shared.moments import utcnow

SETUP_LIFETIME = dt.timedelta(days=3)


def issue_password_setup(account_id: str, purpose: str, base_url: str, uow: IdentityUnitOfWork,
                         lifetime: dt.timedelta = SETUP_LIFETIME) -> tuple[str, dt.datetime]:
    """A new one-time link for the account (inside the unit of work's block): (url, expires_at).

    Earlier unused links of the account stop working: only the newest mail counts.
    """
    now = dt.datetime.now(dt.UTC)
    uow.password_setups.void_unused(account_id, now.replace(tzinfo=None))
    token = secrets.token_urlsafe(32)
    expires_at = now + lifetime
    uow.password_setups.add(PasswordSetup(
        id=str(uuid.uuid4()), account_id=account_id, token_hash=digest(token), purpose=purpose,
        created_at=now.replace(tzinfo=None), expires_at=expires_at.replace(tzinfo=None)))
    return f"{base_url.rstrip('/')}/password-setup#{token}", expires_at


def password_changed(account: Account, how: str, uow: IdentityUnitOfWork) -> int:
    """After a new password (inside the unit of work): every sign-in of the account ends, its
    holder is told. How many sign-ins ended."""
    now = utcnow()
    ended = uow.refresh_tokens.revoke_account(account.id, now)
    uow.publish("identity.account.password_changed", {
        "account_id": account.id, "email": account.email, "how": how,
        "changed_at": now.replace(tzinfo=dt.UTC).isoformat()},
        aggregate_id=account.id)
    return ended


def _gone() -> Gone:
    return Gone("This link is no longer valid; ask for a new one.", slug="password-setup-gone")


def handle_set_password(command: SetPassword, uow: IdentityUnitOfWork, hashing: PasswordHasher) -> Account:
    """Set the password of the link's account, activate it and spend the link; `Gone` if the link
    is spent or expired, `RuleBroken` if the password breaks the policy. Audited as the account."""
    now = utcnow()
    with uow:
        setup = uow.password_setups.by_hash(digest(command.token))
        account = None if setup is None else uow.accounts.get(setup.account_id)
        # A deactivated account's link waits: it works again (if not expired) once reactivated.
        if setup is None or account is None or account.deactivated or not setup.usable(now):
            raise _gone()
        try:
            check_password(command.password, account.email)
        except PasswordRejected as exc:
            raise RuleBroken({"password": [exc.reason]}, str(exc.reason)) from None
        if not uow.password_setups.spend(setup.id, now):
            raise _gone()
        account.password_hash = hashing.hash(command.password)
        account.active = True
        uow.accounts.save(account)
        if setup.purpose == "reset":  # a forgotten password: whoever else is signed in is out
            password_changed(account, "reset", uow)
        uow.audit("account.password_set", "account", account.id,
                  actor=dataclasses.replace(uow.actor, account_id=account.id, role=account.role))
    return account
