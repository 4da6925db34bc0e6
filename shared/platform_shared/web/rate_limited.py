"""The rate limit of an anonymous endpoint, per client address (behind `TRUSTED_PROXIES`:
the caller's, not the proxy's, `web.client_address`): a 429 problem with `Retry-After` past it
(`platform_shared.rate_limits`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, request

from platform_shared.errors import TooManyRequests
from platform_shared.rate_limits import RateLimits

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class RateLimit:
    """`scope` names the setting (`RATE_LIMIT_<SCOPE>`), `default` the limit without one."""

    scope: str
    default: str


def rate_limits_of_app() -> RateLimits:
    limits = current_app.extensions.get("rate_limits")
    if limits is None:  # an app made without a runtime (tests of the web layer): counted in-process
        limits = current_app.extensions["rate_limits"] = RateLimits()
    if not isinstance(limits, RateLimits):
        raise TypeError("app.extensions['rate_limits'] is not a RateLimits")
    return limits


def spend(limit: RateLimit, key: str, too_many: str = "Too many requests from your address") -> None:
    """Count one request of `key` against `limit`; past it a 429 (`too_many`, when to try again)."""
    wait = rate_limits_of_app().spend(limit.scope, limit.default, key)
    if wait is not None:
        raise TooManyRequests(f"{too_many}; try again in {wait} seconds.", slug="too-many-requests", retry_after=wait)


def rate_limited(limit: RateLimit) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        @wraps(view)
        def limited(*args: Any, **kwargs: Any) -> Any:
            spend(limit, request.remote_addr or "unknown")
            return view(*args, **kwargs)

        return limited  # type: ignore[return-value]

    return decorate
