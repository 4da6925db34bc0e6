"""Signing in with e-mail and password, protected against guessing.

In order: failed attempts per client address and attempts per e-mail address are rate-limited
(a shared store, no database work); an e-mail address with too many recent wrong passwords is
locked for a while (in the database, known and unknown addresses alike, so neither a lock nor
its absence tells whether an account exists); then the password is checked (as slowly for an
unknown address: the hasher verifies against a decoy). Every answer but the rate-limit ones is
audited. All refusals for too many attempts are `TooManyRequests` with the seconds to wait.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from identity.domain.commands import SignIn
from identity.domain.sign_in_guard import remaining_lock
from identity.service_layer.dependencies import PasswordHasher, SignInProtection, TokenSigner
from identity.service_layer.tokens import issue_tokens
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.errors import TooManyRequests, Unauthenticated
from platform_shared.moments import utcnow


def handle_sign_in(command: SignIn, uow: IdentityUnitOfWork, protection: SignInProtection,
                   hashing: PasswordHasher, keys: TokenSigner) -> dict[str, Any]:
    """A new token pair for the account of the e-mail and password; `Unauthenticated` or
    `TooManyRequests` otherwise."""
    email = command.email.strip().lower()
    limits = protection.limits
    wait = limits.address_refused(command.address)
    if wait is not None:
        raise _too_many("too-many-sign-ins", "Too many failed sign-ins from your address.", wait)
    wait = limits.attempt_at_account(email)
    if wait is not None:
        raise _too_many("too-many-sign-ins", "Too many sign-ins for this e-mail address.", wait)

    account = uow.accounts.by_email(email)
    subject_id = account.id if account else None
    detail = {"email": email}
    lock = remaining_lock(uow.sign_in_guard.failures(email), utcnow())
    if lock is not None:
        limits.failure_from(command.address)
        with uow:
            uow.audit("sign_in.locked", "account", subject_id, detail)
        raise _locked(lock)

    valid = hashing.verify(account.password_hash if account else None, command.password)
    if valid and account is not None and account.can_sign_in:  # deactivated: as a wrong password
        with uow:
            uow.sign_in_guard.clear(email)
            tokens = issue_tokens(account, uow, keys)
            uow.audit("sign_in.succeeded", "account", account.id, detail,
                      actor=dataclasses.replace(uow.actor, account_id=account.id, role=account.role))
        return tokens

    limits.failure_from(command.address)
    now = utcnow()
    with uow:
        state = uow.sign_in_guard.record_failure(email, protection.lockout, now)
        locked = remaining_lock(state, now)
        uow.audit("sign_in.failed", "account", subject_id, {**detail, "locked": locked is not None})
    if locked is not None:
        raise _locked(locked)
    raise Unauthenticated("E-mail or password is wrong.", slug="invalid-credentials")


def _locked(remaining: dt.timedelta) -> TooManyRequests:
    return _too_many("sign-in-locked", "Too many wrong passwords for this e-mail address: signing in "
                     "with it is locked for a while.", max(1, int(remaining.total_seconds() + 0.999)))


def _too_many(slug: str, detail: str, seconds: int) -> TooManyRequests:
    return TooManyRequests(f"{detail} Try again in {seconds} s.", slug=slug, retry_after=seconds)
