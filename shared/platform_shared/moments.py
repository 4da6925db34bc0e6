"""Moments as the services store them: UTC without a zone (SQLite keeps none), read from the
ISO 8601 texts events carry."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def naive_utc(value: str | dt.datetime) -> dt.datetime:
    """`value` (a datetime or ISO text; without a zone, taken as UTC) in UTC, without its zone."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return (moment.astimezone(dt.UTC) if moment.tzinfo else moment).replace(tzinfo=None)
