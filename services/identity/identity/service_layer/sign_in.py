"""Signing in with e-mail and password, protected against guessing.

In order: failed attempts per client address and attempts per e-mail address are rate-limited
(a shared store, no database work); an e-mail address with too many recent wrong passwords is
locked for a while (in the database, known and unknown addresses alike, so neither a lock nor
its absence tells whether an account exists); then the password is checked (as slowly for an
unknown address: `PasswordHashing` verifies against a decoy). Every answer but the rate-limit
ones is audited. All refusals for too many attempts are 429 problems with `Retry-After`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import peewee

from identity.adapters.keys import SigningKeys
from identity.adapters.orm import Account
from identity.adapters.sign_in_guard import clear_failures, failed_sign_ins, record_failure
from identity.adapters.sign_in_limits import SignInLimits
from identity.domain.sign_in_guard import LockoutPolicy, remaining_lock
from identity.service_layer.accounts import PasswordHashing, issue_tokens
from platform_shared.web.problems import Problem

# (action, the account signing in or None, detail): writes an audit entry in the open transaction.
Audit = Callable[[str, Account | None, dict], None]


@dataclass(frozen=True)
class SignInProtection:
    limits: SignInLimits
    lockout: LockoutPolicy


def protection_from_settings(setting: Callable[..., str]) -> SignInProtection:
    """From `IDENTITY_RATELIMIT_STORAGE_URI` (`memory://`; `redis://host:6379/0` in deployment),
    `IDENTITY_SIGN_IN_LIMIT_PER_ACCOUNT` (10/minute), `IDENTITY_SIGN_IN_LIMIT_PER_ADDRESS` (failed
    attempts: 60/minute), `IDENTITY_LOCKOUT_FAILURES` (5) within `IDENTITY_LOCKOUT_WINDOW_SECONDS`
    (900) lock for `IDENTITY_LOCKOUT_SECONDS` (900)."""
    limits = SignInLimits(setting("RATELIMIT_STORAGE_URI", "memory://"),
                          per_account=setting("SIGN_IN_LIMIT_PER_ACCOUNT", "10/minute"),
                          per_address=setting("SIGN_IN_LIMIT_PER_ADDRESS", "60/minute"))
    lockout = LockoutPolicy(max_failures=int(setting("LOCKOUT_FAILURES", "5")),
                            window=dt.timedelta(seconds=float(setting("LOCKOUT_WINDOW_SECONDS", "900"))),
                            lock_for=dt.timedelta(seconds=float(setting("LOCKOUT_SECONDS", "900"))))
    return SignInProtection(limits, lockout)


def sign_in(email: str, password: str, address: str, *, protection: SignInProtection, hashing: PasswordHashing,
            keys: SigningKeys, database: peewee.Database, audit: Audit) -> dict:
    """A new token pair for the account of `email` and `password`; a 401 or 429 problem otherwise."""
    email = email.strip().lower()
    wait = protection.limits.address_refused(address)
    if wait is not None:
        raise _too_many("too-many-sign-ins", "Too many failed sign-ins from your address.", wait)
    wait = protection.limits.attempt_at_account(email)
    if wait is not None:
        raise _too_many("too-many-sign-ins", "Too many sign-ins for this e-mail address.", wait)

    account = Account.get_or_none(Account.email == email)
    detail = {"email": email}
    lock = remaining_lock(failed_sign_ins(email), _now())
    if lock is not None:
        protection.limits.failure_from(address)
        with database.atomic():
            audit("sign_in.locked", account, detail)
        raise _locked(lock)

    valid = hashing.verify(account.password_hash if account else None, password)
    if valid and account is not None and account.active:
        with database.atomic():
            clear_failures(email)
            tokens = issue_tokens(account, keys)
            audit("sign_in.succeeded", account, detail)
        return tokens

    protection.limits.failure_from(address)
    now = _now()
    with database.atomic():
        state = record_failure(email, protection.lockout, now)
        locked = remaining_lock(state, now)
        audit("sign_in.failed", account, {**detail, "locked": locked is not None})
    if locked is not None:
        raise _locked(locked)
    raise Problem(401, "E-mail or password is wrong.", slug="invalid-credentials")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _locked(remaining: dt.timedelta) -> Problem:
    return _too_many("sign-in-locked", "Too many wrong passwords for this e-mail address: signing in "
                     "with it is locked for a while.", max(1, int(remaining.total_seconds() + 0.999)))


def _too_many(slug: str, detail: str, seconds: int) -> Problem:
    return Problem(429, f"{detail} Try again in {seconds} s.", slug=slug, headers={"Retry-After": str(seconds)})
