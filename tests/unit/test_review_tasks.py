"""The rules of review tasks without Flask or a database: claims and their expiry, what a
decision needs, and when a rejection waits for a second reviewer."""

from __future__ import annotations

import datetime as dt

import pytest

from review.domain.tasks import Claim, decision_problems, needs_confirmation, product_task_title

pytestmark = pytest.mark.unit
NOW = dt.datetime(2026, 11, 28, 10, 0)


def test_a_live_claim_of_another_reviewer_holds_the_task():
    claim = Claim("alice", NOW + dt.timedelta(minutes=1))
    assert claim.held_by_other_than("bob", NOW)
    assert not claim.held_by_other_than("alice", NOW)


def test_an_expired_claim_holds_nothing():
    claim = Claim("alice", NOW)
    assert claim.expired(NOW) and not claim.held_by_other_than("bob", NOW)
    assert not Claim(None, None).held_by_other_than("bob", NOW)


@pytest.mark.parametrize(("kind", "outcome", "reasons", "fields"), [
    ("product", "approve", [], set()),
    ("organisation", "approve", [], set()),
    ("product", "reject", [], {"reasons"}),
    ("product", "return", [], {"reasons"}),
    ("product", "return", [{"field": "name", "message": "x"}], set()),
    ("organisation", "return", [{"field": "name", "message": "x"}], {"outcome"}),
    ("organisation", "reject", [{"field": "name", "message": "x"}], set()),
])
def test_what_a_decision_needs(kind, outcome, reasons, fields):
    assert set(decision_problems(kind, outcome, reasons)) == fields


def test_only_rejections_wait_for_a_second_reviewer_and_only_under_the_rule():
    assert needs_confirmation("reject", four_eyes=True)
    assert not needs_confirmation("reject", four_eyes=False)
    assert not needs_confirmation("approve", four_eyes=True)
    assert not needs_confirmation("return", four_eyes=True)


def test_a_resubmission_says_so_in_the_title():
    assert product_task_title("超声仪", "迈瑞", "DC-70", 1) == "产品备案审核：超声仪 迈瑞 DC-70"
    assert product_task_title("超声仪", "迈瑞", "DC-70", 2).endswith("（第2次提交）")


def test_the_kinds_and_outcomes_are_those_of_reviews_event_contracts():
    from platform_shared.events.catalogue import review as contracts
    from review.domain import tasks

    assert (tasks.TASK_KINDS, tasks.DECISION_OUTCOMES) == (contracts.TASK_KINDS, contracts.DECISION_OUTCOMES)
