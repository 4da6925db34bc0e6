"""Months as reports speak of them (`YYYY-MM`): parsing, which months have ended, and the
twelve months a report's series shows."""

from __future__ import annotations

import datetime as dt
import re

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
