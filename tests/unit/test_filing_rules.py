"""The rules a product must meet to be submitted (filing.domain.rules.submission_problems).

Each rule is broken alone against an otherwise good submission, so each test shows the field
that rule reports under and that nothing else is reported.
"""

from __future__ import annotations

import datetime as dt

import pytest

from filing.domain.rules import PatentClaim, PatentVerdict, last_full_year, submission_problems

pytestmark = pytest.mark.unit

TODAY = dt.date(2026, 11, 28)
GOOD = "201710601862.3"
OTHER = "201310699744.2"
INVALID_REASON = "The patent 201310699744.2 has lapsed (终止) according to the file registry."


def holder(number: str = GOOD, **changes) -> PatentClaim:
    fields = {"number": number, "relation": "holder", "license_record_no": None, "dispute": False}
    return PatentClaim(**{**fields, **changes})


def problems(**overrides) -> dict[str, list[str]]:
    arguments = {
        "organisation_status": "verified",
        "economic_years": [2024, 2025],
        "patents": [holder()],
        "verdicts": {GOOD: PatentVerdict(True), OTHER: PatentVerdict(False, INVALID_REASON)},
        "today": TODAY,
    }
    return submission_problems(**{**arguments, **overrides})


def test_a_good_submission_has_no_problems():
    assert problems() == {}


def test_the_last_full_year_is_the_previous_calendar_year():
    assert last_full_year(TODAY) == 2025
    assert last_full_year(dt.date(2026, 1, 1)) == 2025
    assert last_full_year(dt.date(2026, 12, 31)) == 2025


@pytest.mark.parametrize("status", ["pending", "rejected", None, ""])
def test_the_organisation_must_be_verified(status):
    found = problems(organisation_status=status)

    assert list(found) == ["organisation"]
    assert len(found["organisation"]) == 1
    assert "verified" in found["organisation"][0]
    if status:
        assert status in found["organisation"][0]
    else:
        assert "unknown to filing yet" in found["organisation"][0]


@pytest.mark.parametrize("years", [[2024], [], [2023, 2024], [2026]])
def test_the_economic_data_of_the_last_full_year_is_needed(years):
    found = problems(economic_years=years)

    assert list(found) == ["economic_data"]
    assert "2025" in found["economic_data"][0]


def test_the_economic_data_of_the_last_full_year_alone_is_enough():
    assert problems(economic_years=[2025]) == {}
    assert problems(economic_years=(2025,)) == {}


def test_at_least_one_patent_is_declared():
    found = problems(patents=[])

    assert list(found) == ["patents"]
    assert found["patents"] == ["Declare at least one valid patent the product uses."]


def test_a_disputed_patent_is_reported_at_its_index():
    found = problems(patents=[holder(), holder(OTHER, dispute=True)],
                     verdicts={GOOD: PatentVerdict(True), OTHER: PatentVerdict(True)})

    assert list(found) == ["patents.1.dispute"]
    assert "dispute" in found["patents.1.dispute"][0]


@pytest.mark.parametrize("record_no", [None, "", "   "])
def test_a_licensee_gives_the_record_number_of_the_licence(record_no):
    found = problems(patents=[holder(relation="licensee", license_record_no=record_no)])

    assert list(found) == ["patents.0.license_record_no"]
    assert "备案号" in found["patents.0.license_record_no"][0]


def test_a_licensee_with_a_record_number_is_fine():
    assert problems(patents=[holder(relation="licensee", license_record_no="2024440000123456")]) == {}


def test_a_holder_needs_no_record_number():
    assert problems(patents=[holder(relation="holder", license_record_no=None)]) == {}


def test_an_invalid_patent_is_reported_with_the_registry_reason():
    found = problems(patents=[holder(OTHER)])

    assert found["patents.0.number"] == [INVALID_REASON]
    assert set(found) == {"patents.0.number", "patents"}
    assert found["patents"] == ["At least one declared patent must be valid and free of dispute."]


def test_a_patent_without_a_verdict_or_reason_is_not_valid():
    assert problems(patents=[holder("200510096239.4")])["patents.0.number"] == ["The patent is not valid."]
    assert problems(patents=[holder(OTHER)], verdicts={OTHER: PatentVerdict(False)})["patents.0.number"] == [
        "The patent is not valid."]


def test_one_valid_and_one_invalid_patent_still_reports_the_invalid_one():
    found = problems(patents=[holder(GOOD), holder(OTHER)])

    assert found == {"patents.1.number": [INVALID_REASON]}


def test_when_every_patent_is_disputed_at_least_one_must_be_valid_and_free_of_dispute():
    found = problems(patents=[holder(GOOD, dispute=True), holder(OTHER, dispute=True)],
                     verdicts={GOOD: PatentVerdict(True), OTHER: PatentVerdict(True)})

    assert set(found) == {"patents.0.dispute", "patents.1.dispute", "patents"}
    assert found["patents"] == ["At least one declared patent must be valid and free of dispute."]
    assert "valid" in found["patents"][0] and "dispute" in found["patents"][0]


def test_every_broken_rule_is_reported_at_once():
    found = problems(organisation_status="pending", economic_years=[2024],
                     patents=[holder(OTHER, relation="licensee", dispute=True)])

    assert set(found) == {"organisation", "economic_data", "patents.0.dispute", "patents.0.license_record_no",
                          "patents.0.number", "patents"}
