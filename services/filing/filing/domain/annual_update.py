"""The annual update: when each filed product's previous-year figures may be given.

By default between 1 January and 31 March (DOMAIN.md); the window is configuration
(`FILING_ANNUAL_UPDATE_WINDOW=MM-DD/MM-DD`), since the real dates are set by notice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class AnnualUpdateWindow:
    start: tuple[int, int] = (1, 1)
    end: tuple[int, int] = (3, 31)

    @classmethod
    def parse(cls, text: str) -> AnnualUpdateWindow:
        """`01-01/03-31` → 1 January to 31 March, both days included."""
        try:
            first, last = (part.strip() for part in text.split("/"))
            start = tuple(int(p) for p in first.split("-"))
            end = tuple(int(p) for p in last.split("-"))
            for month, day in (start, end):
                dt.date(2024, month, day)  # a leap year, so 02-29 is allowed
        except (ValueError, TypeError) as exc:
            raise ValueError(f"annual update window must be MM-DD/MM-DD, not {text!r}") from exc
        if end < start:
            raise ValueError(f"annual update window {text!r} ends before it starts")
        return cls(start, end)  # type: ignore[arg-type]

    def contains(self, day: dt.date) -> bool:
        return self.start <= (day.month, day.day) <= self.end

    def describe(self) -> str:
        (sm, sd), (em, ed) = self.start, self.end
        return f"{sm}月{sd}日至{em}月{ed}日 ({sm:02d}-{sd:02d} to {em:02d}-{ed:02d})"


def update_year_problem(year: int, today: dt.date) -> str | None:
    """Only the previous year's figures are updated; why `year` cannot be, or None."""
    if year != today.year - 1:
        return f"The annual update is of the previous year's figures ({today.year - 1}), not of {year}."
    return None
