"""A recognition round's states and the day-exact rules of its public notice (review.domain.rounds)."""

from __future__ import annotations

import datetime as dt

import pytest

from review.domain import rounds

pytestmark = pytest.mark.unit

ENDS = dt.date(2031, 5, 31)


@pytest.mark.parametrize("state", ["open", "evaluated"])
def test_open_and_evaluated_rounds_are_evaluated(state):
    rounds.ensure_can_evaluate(state)


@pytest.mark.parametrize("state", ["published", "finalised"])
def test_a_published_or_final_round_is_not_evaluated_again(state):
    with pytest.raises(rounds.RoundConflict):
        rounds.ensure_can_evaluate(state)


def test_publication_needs_an_evaluated_round_and_a_notice_ending_after_today():
    rounds.ensure_can_publish("evaluated", ENDS, ENDS - dt.timedelta(days=1))
    with pytest.raises(rounds.RoundConflict):
        rounds.ensure_can_publish("open", ENDS, dt.date(2031, 5, 1))
    with pytest.raises(rounds.RoundRuleBroken) as caught:
        rounds.ensure_can_publish("evaluated", ENDS, ENDS)
    assert caught.value.field == "notice_ends_on"


def test_objections_run_until_the_last_day_of_the_notice_inclusive():
    rounds.ensure_objections_open("published", ENDS, ENDS)
    with pytest.raises(rounds.RoundConflict, match="ended on 2031-05-31"):
        rounds.ensure_objections_open("published", ENDS, ENDS + dt.timedelta(days=1))
    with pytest.raises(rounds.RoundConflict):
        rounds.ensure_objections_open("evaluated", None, ENDS)


def test_finalisation_after_the_notice_and_only_with_every_objection_decided():
    with pytest.raises(rounds.RoundConflict, match="runs until 2031-05-31"):
        rounds.ensure_can_finalise("published", ENDS, ENDS, pending=0)
    with pytest.raises(rounds.RoundConflict, match="1 objection"):
        rounds.ensure_can_finalise("published", ENDS, ENDS + dt.timedelta(days=1), pending=1)
    with pytest.raises(rounds.RoundConflict):
        rounds.ensure_can_finalise("evaluated", None, ENDS, pending=0)
    rounds.ensure_can_finalise("published", ENDS, ENDS + dt.timedelta(days=1), pending=0)


def test_an_objection_is_decided_once_while_the_round_is_published():
    rounds.ensure_can_decide("published", "pending")
    with pytest.raises(rounds.RoundConflict, match="upheld"):
        rounds.ensure_can_decide("published", "upheld")
    with pytest.raises(rounds.RoundConflict):
        rounds.ensure_can_decide("finalised", "pending")
