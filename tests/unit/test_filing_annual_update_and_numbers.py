"""The annual update window, filing numbers and money (filing.domain.annual_update,
filing.domain.filing_numbers, filing.domain.money).
"""

from __future__ import annotations

import datetime as dt

import pytest

from filing.domain.annual_update import AnnualUpdateWindow, update_year_problem
from filing.domain.filing_numbers import format_filing_number, normalise_filing_number
from platform_shared.money import to_fen, to_yuan

pytestmark = pytest.mark.unit


# --- the annual update window ----------------------------------------------------------------

@pytest.mark.parametrize(("day", "inside"), [
    (dt.date(2026, 1, 1), True),
    (dt.date(2026, 2, 15), True),
    (dt.date(2024, 2, 29), True),
    (dt.date(2026, 3, 31), True),
    (dt.date(2026, 4, 1), False),
    (dt.date(2026, 12, 31), False),
    (dt.date(2026, 7, 1), False),
])
def test_the_default_window_is_1_january_to_31_march(day, inside):
    assert AnnualUpdateWindow().contains(day) is inside


def test_a_window_is_parsed_from_its_setting():
    window = AnnualUpdateWindow.parse("11-01/12-31")

    assert window == AnnualUpdateWindow((11, 1), (12, 31))
    assert window.contains(dt.date(2026, 11, 1)) and window.contains(dt.date(2026, 12, 31))
    assert not window.contains(dt.date(2026, 10, 31)) and not window.contains(dt.date(2027, 1, 1))
    assert AnnualUpdateWindow.parse(" 01-01 / 03-31 ") == AnnualUpdateWindow()
    assert AnnualUpdateWindow.parse("02-29/02-29").contains(dt.date(2028, 2, 29))


@pytest.mark.parametrize("text", ["13-01/12-31", "03-31/01-01", "x", "", "01-01", "01-01/03-31/05-01",
                                  "02-30/03-31", "01-01-01/03-31", "aa-bb/cc-dd"])
def test_a_bad_window_is_refused(text):
    with pytest.raises(ValueError, match="annual update window"):
        AnnualUpdateWindow.parse(text)


def test_describe_mentions_both_dates():
    described = AnnualUpdateWindow().describe()
    assert "1月1日" in described and "3月31日" in described
    assert "01-01" in described and "03-31" in described

    other = AnnualUpdateWindow.parse("11-01/12-31").describe()
    assert "11月1日" in other and "12月31日" in other
    assert "11-01" in other and "12-31" in other


def test_only_the_previous_years_figures_are_updated():
    today = dt.date(2026, 2, 10)

    assert update_year_problem(2025, today) is None
    for year in (2024, 2026, 2027):
        problem = update_year_problem(year, today)
        assert problem is not None
        assert "2025" in problem and str(year) in problem


# --- filing numbers ------------------------------------------------------------------------------

def test_a_filing_number_is_formatted():
    assert format_filing_number(2026, "440000", 123) == "BA-2026-44-000123"
    assert format_filing_number(2026, "110000", 1) == "BA-2026-11-000001"
    assert format_filing_number(2027, "650000", 1_234_567) == "BA-2027-65-1234567"


@pytest.mark.parametrize("sequence", [0, -1])
def test_sequences_start_at_1(sequence):
    with pytest.raises(ValueError, match="start at 1"):
        format_filing_number(2026, "440000", sequence)


@pytest.mark.parametrize("typed", [" ba-2026-44-000123 ", "BA-2026-44-000123", "Ba-2026-44-000123\n",
                                   "BA - 2026 - 44 - 000123"])
def test_a_typed_filing_number_is_normalised(typed):
    assert normalise_filing_number(typed) == "BA-2026-44-000123"


def test_a_formatted_number_normalises_to_itself():
    number = format_filing_number(2026, "440000", 123)
    assert normalise_filing_number(number) == number


@pytest.mark.parametrize("junk", ["", None, "x", "BA-2026-44-123", "BA-26-44-000123", "BB-2026-44-000123",
                                  "BA-2026-440-000123", "BA202644000123", "BA-2026-44-000123-1",
                                  "BA-2026-4A-000123"])
def test_junk_is_not_a_filing_number(junk):
    assert normalise_filing_number(junk) is None


# --- money ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("yuan", "fen", "written"), [
    ("0", 0, "0.00"),
    ("0.5", 50, "0.50"),
    ("0.05", 5, "0.05"),
    ("12345678.90", 1_234_567_890, "12345678.90"),
    ("-3.20", -320, "-3.20"),
    ("-0.01", -1, "-0.01"),
    ("100", 10_000, "100.00"),
])
def test_yuan_and_fen_round_trip(yuan, fen, written):
    assert to_fen(yuan) == fen
    assert to_yuan(fen) == written
    assert to_fen(to_yuan(fen)) == fen


def test_none_stays_none():
    assert to_fen(None) is None
    assert to_yuan(None) is None


@pytest.mark.parametrize("amount", ["1.234", "0.001", "-3.205"])
def test_three_decimals_are_refused(amount):
    with pytest.raises(ValueError, match="more than two decimals"):
        to_fen(amount)


@pytest.mark.parametrize("amount", ["", "abc", "1,5", "¥3"])
def test_a_non_amount_is_refused(amount):
    with pytest.raises(ValueError, match="not an amount"):
        to_fen(amount)
