"""Months as reports speak of them (`YYYY-MM`): parsing, which months have ended, and the
twelve months a report's series shows."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(text: str) -> tuple[int, int]:
    match = _MONTH.match(text or "")
    if match is None:
        raise ValueError(f"a month is written YYYY-MM, like 2026-10, not {text!r}")
    return int(match.group(1)), int(match.group(2))


def month_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def previous_month(today: dt.date) -> str:
    first = today.replace(day=1)
    last = first - dt.timedelta(days=1)
    return month_text(last.year, last.month)


def has_ended(month: str, today: dt.date) -> bool:
    year, number = parse_month(month)
    return (year, number) < (today.year, today.month)


def twelve_months_to(month: str) -> list[str]:
    """The month and the eleven before it, oldest first."""
    year, number = parse_month(month)
    months = []
    for _ in range(12):
        months.append(month_text(year, number))
        year, number = (year, number - 1) if number > 1 else (year - 1, 12)
    return list(reversed(months))


# The moment each counted event names for its change (every one is required by its contract).
MOMENT_OF_CHANGE = {
    "identity.organisation.registered": "registered_at",
    "identity.organisation.verification_requested": "requested_at",
    "identity.organisation.verified": "verified_at",
    "identity.organisation.rejected": "rejected_at",
    "identity.organisation.lapsed": "lapsed_at",
    "identity.organisation.suspended": "suspended_at",
    "filing.product.submitted": "submitted_at",
    "filing.product.withdrawn": "withdrawn_at",
    "filing.product.filed": "filed_at",
    "filing.product.returned": "returned_at",
    "filing.product.rejected": "rejected_at",
    "filing.product.cancelled": "cancelled_at",
    "filing.product.revoked": "revoked_at",
    "filing.product.annual_data_updated": "updated_at",
    "filing.product.recognition_opted_in": "decided_at",
    "filing.product.recognised": "recognised_at",
    "filing.product.suspended": "suspended_at",
    "filing.product.patent_problems_cleared": "cleared_at",
    "filing.product.amended": "amended_at",
}


def month_of_change(event_type: str, data: Mapping[str, Any], occurred_at: dt.datetime) -> str:
    """The month (YYYY-MM, UTC) a change belongs to: the moment its event names for it
    (`filed_at` of `….filed`…), else when the event occurred. A month's figures are what had
    happened by its end, however late the event arrives or the archive is replayed."""
    moment = data.get(MOMENT_OF_CHANGE.get(event_type, ""))
    when = moment if isinstance(moment, dt.datetime) else occurred_at
    if isinstance(moment, str):
        with contextlib.suppress(ValueError):
            when = dt.datetime.fromisoformat(moment)
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return month_text(when.year, when.month)
