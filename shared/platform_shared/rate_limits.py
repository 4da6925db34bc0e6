"""Rate limits of what anyone may ask without signing in (registration, a province's application,
password setup, the public verification and notice), counted per client address in a store that
every worker and replica shares.

Built on `limits` (the engine under flask-limiter) with a moving window. The store is named by a
URI: `memory://` counts inside one process (the embedded default: one gunicorn worker);
deployment sets `RATELIMIT_STORAGE_URI=redis://redis:6379/0`, so that all workers of all replicas
count together. Each limit is a setting `<SERVICE>_RATE_LIMIT_<SCOPE>` (or the platform-wide
`RATE_LIMIT_<SCOPE>`) in `limits`' notation (`30/hour`, `10/minute;200/day`), else its default.

If the store cannot be reached, requests go on without the limit (logged): refusing everyone
because Redis is down would be an outage of its own.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from functools import lru_cache

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)
NAMESPACE = "platform-anonymous"


@lru_cache(maxsize=64)
def _items(notation: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(notation))


class RateLimits:
    """`spend(scope, default, key)`: count one request of `key` (a client address) under the
    scope's limit; None when it may go on, else the seconds until it may."""

    def __init__(self, storage_uri: str = "memory://",
                 limit_of: Callable[[str, str], str] = lambda scope, default: default) -> None:
        self.storage_uri = storage_uri
        self._limit_of = limit_of
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def limit(self, scope: str, default: str) -> str:
        return self._limit_of(scope, default)

    def spend(self, scope: str, default: str, key: str) -> int | None:
        try:
            items = _items(self.limit(scope, default))
            for item in items:
                if not self._limiter.hit(item, NAMESPACE, scope, key):
                    reset_at = self._limiter.get_window_stats(item, NAMESPACE, scope, key).reset_time
                    return max(1, math.ceil(reset_at - time.time()))
        except Exception as exc:  # noqa: BLE001 - any store failure: go on without the limit
            log.warning("rate limit store unavailable (%s): %s", scope, exc)
        return None
