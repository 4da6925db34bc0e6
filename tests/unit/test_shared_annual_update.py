"""The annual update's window as a day sees it: upcoming, open or closed, when the next one
opens, and which reminder is due (the opening's from the first day, the last call from 14 days
before the close; none outside), including a window ending on 29 February and a short one."""

from __future__ import annotations

import datetime as dt

import pytest

from platform_shared.annual_update import LAST_CALL, OPENING, AnnualUpdateWindow

pytestmark = pytest.mark.unit
WINDOW = AnnualUpdateWindow()  # 1 January to 31 March


@pytest.mark.parametrize(("day", "state", "due", "next_opens_on"), [
    (dt.date(2027, 1, 1), "open", OPENING, dt.date(2028, 1, 1)),
    (dt.date(2027, 3, 16), "open", OPENING, dt.date(2028, 1, 1)),
    (dt.date(2027, 3, 17), "open", LAST_CALL, dt.date(2028, 1, 1)),
    (dt.date(2027, 3, 31), "open", LAST_CALL, dt.date(2028, 1, 1)),
    (dt.date(2027, 4, 1), "closed", None, dt.date(2028, 1, 1)),
    (dt.date(2027, 12, 31), "closed", None, dt.date(2028, 1, 1)),
])
def test_where_a_day_stands_in_the_default_window(day, state, due, next_opens_on):
    period = WINDOW.period(day)
    assert (period.year, period.opens_on, period.closes_on) == (2026, dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert (period.state, period.reminder_due(), period.next_opens_on) == (state, due, next_opens_on)
    assert period.last_call_on == dt.date(2027, 3, 17)


def test_a_window_still_to_come_opens_this_year():
    period = AnnualUpdateWindow.parse("04-01/06-30").period(dt.date(2027, 2, 1))
    assert (period.state, period.next_opens_on, period.reminder_due()) == ("upcoming", dt.date(2027, 4, 1), None)


def test_a_window_ending_on_29_february_ends_on_the_28th_in_a_common_year():
    window = AnnualUpdateWindow.parse("01-01/02-29")
    assert window.period(dt.date(2027, 2, 28)).closes_on == dt.date(2027, 2, 28)
    assert window.period(dt.date(2028, 2, 29)).closes_on == dt.date(2028, 2, 29)


def test_a_window_shorter_than_the_reminder_has_its_last_call_from_the_first_day():
    period = AnnualUpdateWindow.parse("03-01/03-10").period(dt.date(2027, 3, 1))
    assert (period.last_call_on, period.reminder_due()) == (dt.date(2027, 3, 1), LAST_CALL)
