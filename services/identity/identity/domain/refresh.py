"""The rules of refresh tokens: how long they live and what a presented one means."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

REFRESH_TOKEN_LIFETIME = dt.timedelta(days=14)


@dataclass(frozen=True)
class StoredRefresh:
    expires_at: dt.datetime
    used_at: dt.datetime | None
    revoked_at: dt.datetime | None


def verdict(stored: StoredRefresh | None, now: dt.datetime) -> str:
    """`ok`, `unknown`, `revoked`, `expired`, or `reused` (spent before: the family must go)."""
    if stored is None:
        return "unknown"
    if stored.revoked_at is not None:
        return "revoked"
    if stored.used_at is not None:
        return "reused"
    if stored.expires_at <= now:
        return "expired"
    return "ok"
