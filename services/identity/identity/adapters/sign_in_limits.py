"""Rate limits of signing in, counted in a store that every worker and replica shares.

Built on `limits`, the engine under flask-limiter, with a moving window. The store is named by
a URI: `memory://` counts inside one process (the embedded default: one gunicorn worker);
deployment sets `IDENTITY_RATELIMIT_STORAGE_URI=redis://host:6379/0`, so that all gunicorn
workers of all replicas count together (a per-process count would multiply the limit by the
number of processes).

Two limits: attempts per e-mail address (every attempt counts, known address or not), and
failed attempts per client address (only failures: the colleagues of a large organisation
behind one NAT address sign in successfully without using up anything). E-mail addresses are
counted under their SHA-256, so the store holds no personal data.

If the store cannot be reached, signing in goes on without these limits (logged): the
lock-out in the database still bounds guessing at any one account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import time
from collections.abc import Callable

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from identity.domain.sign_in_guard import LockoutPolicy
from identity.service_layer.dependencies import SignInProtection

log = logging.getLogger(__name__)
NAMESPACE = "identity-sign-in"


class SignInLimits:
    def __init__(self, storage_uri: str = "memory://", *, per_account: str = "10/minute",
                 per_address: str = "60/minute"):
        self.storage_uri = storage_uri
        self.per_account: RateLimitItem = parse(per_account)
        self.per_address: RateLimitItem = parse(per_address)
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def attempt_at_account(self, email: str) -> int | None:
        """Count an attempt at `email`: None if allowed, else the seconds until one is."""
        key = hashlib.sha256(email.encode()).hexdigest()
        return self._spend(self.per_account, "account", key)

    def address_refused(self, address: str) -> int | None:
        """None if `address` may try (again), else the seconds until it may."""
        try:
            if self._limiter.test(self.per_address, NAMESPACE, "address", address):
                return None
            return self._retry_after(self.per_address, "address", address)
        except Exception as exc:  # noqa: BLE001 - any store failure: go on without the limit
            log.warning("sign-in rate limit store unavailable: %s", exc)
            return None

    def failure_from(self, address: str) -> None:
        """Count a failed sign-in from `address`."""
        self._spend(self.per_address, "address", address)

    def _spend(self, item: RateLimitItem, kind: str, key: str) -> int | None:
        try:
            if self._limiter.hit(item, NAMESPACE, kind, key):
                return None
            return self._retry_after(item, kind, key)
        except Exception as exc:  # noqa: BLE001 - any store failure: go on without the limit
            log.warning("sign-in rate limit store unavailable: %s", exc)
            return None

    def _retry_after(self, item: RateLimitItem, kind: str, key: str) -> int:
        reset_at = self._limiter.get_window_stats(item, NAMESPACE, kind, key).reset_time
        return max(1, math.ceil(reset_at - time.time()))


def protection_from_settings(setting: Callable[[str, str], str]) -> SignInProtection:
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
