"""The annual update's window: when each filed product's previous-year figures may be given.

By default between 1 January and 31 March (DOMAIN.md); the window is configuration
(`ANNUAL_UPDATE_WINDOW=MM-DD/MM-DD`, or a service's own `<SERVICE>_ANNUAL_UPDATE_WINDOW`), since
the real dates are set by notice. Shared: filing takes updates and reminds in it, reporting
counts the products overdue after it.
`AnnualUpdatePeriod` is where a day stands in that year's window (upcoming, open, closed), and
which reminder is due on it: the window's opening, and a last call 14 days before it closes.
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

    def period(self, today: dt.date) -> AnnualUpdatePeriod:
        """This calendar year's window as it stands on `today`."""
        return AnnualUpdatePeriod(year=today.year - 1, opens_on=_on(today.year, self.start),
                                  closes_on=_on(today.year, self.end), today=today)

    def describe(self) -> str:
        (sm, sd), (em, ed) = self.start, self.end
        return f"{sm}月{sd}日至{em}月{ed}日 ({sm:02d}-{sd:02d} to {em:02d}-{ed:02d})"


def _on(year: int, month_day: tuple[int, int]) -> dt.date:
    """A window's day in `year`; 29 February is the 28th in a common year."""
    month, day = month_day
    if (month, day) == (2, 29):
        try:
            return dt.date(year, 2, 29)
        except ValueError:
            return dt.date(year, 2, 28)
    return dt.date(year, month, day)


# The last call: this many days before the window closes (its last day included).
REMINDER_DAYS_BEFORE_CLOSE = 14
OPENING, LAST_CALL = "opening", "last_call"
REMINDER_KINDS = (OPENING, LAST_CALL)


@dataclass(frozen=True)
class AnnualUpdatePeriod:
    """One calendar year's window: the figures of `year` (the previous year) are given from
    `opens_on` to `closes_on`, both days included."""

    year: int
    opens_on: dt.date
    closes_on: dt.date
    today: dt.date

    @property
    def state(self) -> str:
        if self.today < self.opens_on:
            return "upcoming"
        return "open" if self.today <= self.closes_on else "closed"

    @property
    def next_opens_on(self) -> dt.date:
        """When a window opens next: this year's if it has not yet, else next year's."""
        return self.opens_on if self.state == "upcoming" else _on(self.opens_on.year + 1, (self.opens_on.month,
                                                                                          self.opens_on.day))

    @property
    def last_call_on(self) -> dt.date:
        """The day of the reminder before the close (the opening day for a window shorter than that)."""
        return max(self.opens_on, self.closes_on - dt.timedelta(days=REMINDER_DAYS_BEFORE_CLOSE))

    def reminder_due(self) -> str | None:
        """Which reminder is due on `today` for products not yet updated: the opening's from
        the window's first day, the last call from 14 days before its close; none outside it.
        A run that missed a day still sends what is due (each is sent once, as recorded)."""
        if self.state != "open":
            return None
        return LAST_CALL if self.today >= self.last_call_on else OPENING
