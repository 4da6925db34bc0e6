"""The annual update in filing: the window (`platform_shared.annual_update`, shared with
reporting) and which year's figures an update may give."""

from __future__ import annotations

import datetime as dt

from platform_shared.annual_update import (
    LAST_CALL,
    OPENING,
    REMINDER_DAYS_BEFORE_CLOSE,
    REMINDER_KINDS,
    AnnualUpdatePeriod,
    AnnualUpdateWindow,
)

__all__ = ["LAST_CALL", "OPENING", "REMINDER_DAYS_BEFORE_CLOSE", "REMINDER_KINDS", "AnnualUpdatePeriod",
           "AnnualUpdateWindow", "update_year_problem"]


def update_year_problem(year: int, today: dt.date) -> str | None:
    """Only the previous year's figures are updated; why `year` cannot be, or None."""
    if year != today.year - 1:
        return f"The annual update is of the previous year's figures ({today.year - 1}), not of {year}."
    return None
