"""The re-check rules of a filed product's patents (plain functions): what counts as a patent
lost (lapsed, invalidated, expired, off the register, another holder, a licence ended), the
notice of an expiry in advance, and the product's mark — at risk with a deadline, suspended past
it with nothing holding, lifted when a patent holds again; a problem announced once."""

from __future__ import annotations

import datetime as dt

import pytest

from filing.domain.patent_rechecks import (
    PatentStanding,
    RiskMark,
    assess,
    expiry_notice_due,
    recheck_patent,
)
from filing.domain.rules import OrganisationNames, PatentClaim
from platform_shared.patents.verdict import PatentVerdict, RecordedLicence, RegisteredHolder, RegisterRecord

pytestmark = pytest.mark.unit

ORG = OrganisationNames("深圳测试科技有限公司", "914403001922038216")
TODAY = dt.date(2027, 1, 1)
NOW = dt.datetime(2027, 1, 1, 1, 0)
NUMBER = "201710601862.3"
OWNER = PatentClaim(NUMBER, "owner", None, False)
LICENSEE = PatentClaim(NUMBER, "licensee", "L-1", False)


def record(status="valid", holders=("深圳测试科技有限公司",), expires_on=None, licences=None):
    return RegisterRecord("file", status, holders=tuple(RegisteredHolder(h) for h in holders) if holders is not None
                          else None, expires_on=expires_on, licences=licences)


def verdict(rec):
    return PatentVerdict(rec.status == "valid", None if rec.status == "valid" else "not valid", rec)


@pytest.mark.parametrize(("status", "problem"), [("lapsed", "lapsed"), ("invalidated", "invalidated"),
                                                  ("expired", "expired"), ("withdrawn", "not_in_force")])
def test_a_patent_the_register_no_longer_holds_valid_is_lost_with_what_changed(status, problem):
    standing = recheck_patent(OWNER, verdict(record(status)), ORG, TODAY)
    assert standing.problem == problem and not standing.holds
    assert standing.status == status and standing.holders == ("深圳测试科技有限公司",)


def test_a_patent_gone_from_the_register_is_lost():
    assert recheck_patent(OWNER, PatentVerdict(False, "unknown"), ORG, TODAY).problem == "not_in_register"


def test_a_term_that_ran_out_is_an_expiry_even_while_the_status_still_says_valid():
    assert recheck_patent(OWNER, verdict(record(expires_on=TODAY - dt.timedelta(days=1))), ORG, TODAY).problem \
        == "expired"


def test_a_patent_transferred_to_another_company_changed_holder():
    standing = recheck_patent(OWNER, verdict(record(holders=("别家公司",))), ORG, TODAY)
    assert standing.problem == "holder_changed" and standing.holders == ("别家公司",)


def test_the_same_holder_written_differently_still_holds():
    organisation = OrganisationNames("ACME（深圳）科技有限公司")
    assert recheck_patent(OWNER, verdict(record(holders=("acme (深圳)科技有限公司",))), organisation, TODAY).holds


def test_a_licence_that_ended_is_lost_and_a_running_one_holds():
    def licence(ends_on):
        return (RecordedLicence("L-1", NUMBER, "深圳测试科技有限公司", "深圳测试科技有限公司", ends_on=ends_on),)

    ended = record(licences=licence(TODAY - dt.timedelta(days=1)))
    running = record(licences=licence(TODAY + dt.timedelta(days=1)))
    assert recheck_patent(LICENSEE, verdict(ended), ORG, TODAY).problem == "licence_ended"
    assert recheck_patent(LICENSEE, verdict(running), ORG, TODAY).holds


def test_where_the_register_cannot_tell_the_patent_still_holds_as_at_submission():
    assert recheck_patent(OWNER, verdict(record(holders=None)), ORG, TODAY).holds
    assert recheck_patent(LICENSEE, verdict(record(licences=None)), ORG, TODAY).holds
    checksum = PatentVerdict(True, record=RegisterRecord("checksum", "well_formed"))
    assert recheck_patent(OWNER, checksum, ORG, TODAY).holds


@pytest.mark.parametrize(("days", "due"), [(-1, False), (0, True), (89, True), (90, True), (91, False)])
def test_an_expiry_is_announced_within_90_days_before_it(days, due):
    standing = PatentStanding(NUMBER, None, "valid", expires_on=TODAY + dt.timedelta(days=days))
    assert expiry_notice_due(standing, TODAY) is due


def test_a_lost_patent_has_no_expiry_notice():
    assert not expiry_notice_due(PatentStanding(NUMBER, "lapsed", expires_on=TODAY), TODAY)


LOST = PatentStanding(NUMBER, "lapsed")
OTHER_LOST = PatentStanding("202010566088.9", "invalidated")
HOLDS = PatentStanding("202010566088.9", None)


def test_a_first_problem_marks_the_product_at_risk_with_a_deadline_after_the_grace_period():
    outcome = assess([LOST, HOLDS], {}, RiskMark(), NOW, grace_days=90)
    assert outcome.newly_found == [LOST]
    assert outcome.mark == RiskMark(NOW, dt.date(2027, 4, 1), None)
    assert not outcome.suspended and not outcome.cleared


def test_the_same_problem_found_again_is_not_announced_again_and_the_deadline_stays():
    mark = RiskMark(NOW, dt.date(2027, 4, 1))
    later = NOW + dt.timedelta(days=31)
    outcome = assess([LOST, HOLDS], {NUMBER: "lapsed"}, mark, later)
    assert outcome.newly_found == [] and outcome.mark == mark


def test_a_different_problem_of_the_same_patent_is_announced():
    outcome = assess([PatentStanding(NUMBER, "invalidated")], {NUMBER: "lapsed"}, RiskMark(NOW, TODAY), NOW)
    assert [s.problem for s in outcome.newly_found] == ["invalidated"]


def test_past_the_deadline_with_nothing_holding_the_product_is_suspended_once():
    mark = RiskMark(NOW, dt.date(2027, 4, 1))
    on_deadline = dt.datetime(2027, 4, 1, 1, 0)
    assert not assess([LOST, OTHER_LOST], {}, mark, on_deadline).suspended
    after = dt.datetime(2027, 4, 2, 1, 0)
    outcome = assess([LOST, OTHER_LOST], {NUMBER: "lapsed", OTHER_LOST.number: "invalidated"}, mark, after)
    assert outcome.suspended and outcome.mark.suspended_at == after
    again = assess([LOST, OTHER_LOST], {NUMBER: "lapsed"}, outcome.mark, after + dt.timedelta(days=30))
    assert not again.suspended and again.mark.suspended_at == after


def test_past_the_deadline_with_one_patent_holding_the_product_stays_valid_at_risk():
    outcome = assess([LOST, HOLDS], {NUMBER: "lapsed"}, RiskMark(NOW, TODAY), NOW + dt.timedelta(days=200))
    assert not outcome.suspended and outcome.mark.suspended_at is None and outcome.mark.at_risk_since == NOW


def test_every_patent_holding_again_lifts_the_mark_and_the_suspension():
    outcome = assess([HOLDS], {HOLDS.number: "invalidated"}, RiskMark(NOW, TODAY, NOW), NOW + dt.timedelta(days=120))
    assert outcome.mark == RiskMark() and outcome.cleared and outcome.suspension_lifted


def test_one_patent_holding_again_lifts_the_suspension_but_not_the_mark():
    outcome = assess([LOST, HOLDS], {}, RiskMark(NOW, TODAY, NOW), NOW + dt.timedelta(days=120))
    assert outcome.suspension_lifted and not outcome.cleared
    assert outcome.mark == RiskMark(NOW, TODAY, None)


def test_a_product_never_at_risk_stays_unmarked_and_says_nothing():
    outcome = assess([HOLDS], {}, RiskMark(), NOW)
    assert outcome == type(outcome)()
