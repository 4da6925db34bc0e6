"""A product's lifecycle (filing.domain.lifecycle): every status against every action.

The allowed moves are written out here by hand from the lifecycle's diagram, not read from
TRANSITIONS, so a changed table is caught; every other (status, action) pair is refused with a
message that names the product's current status.
"""

from __future__ import annotations

import itertools

import pytest

from filing.domain.lifecycle import FINAL, STATUSES, TransitionRefused, next_status

pytestmark = pytest.mark.unit

ALL_STATUSES = ("draft", "submitted", "returned", "filed", "rejected", "recognised", "cancelled", "revoked")
ACTIONS = ("submit", "withdraw", "approve", "reject", "return", "recognise", "cancel", "revoke")

ALLOWED = {
    ("draft", "submit"): "submitted",
    ("returned", "submit"): "submitted",
    ("submitted", "withdraw"): "draft",
    ("returned", "withdraw"): "draft",
    ("submitted", "approve"): "filed",
    ("submitted", "reject"): "rejected",
    ("submitted", "return"): "returned",
    ("filed", "recognise"): "recognised",
    ("recognised", "recognise"): "recognised",  # recognition is yearly: recognised again in a later year
    ("filed", "cancel"): "cancelled",
    ("recognised", "cancel"): "cancelled",
    ("filed", "revoke"): "revoked",
    ("recognised", "revoke"): "revoked",
}
REFUSED = [pair for pair in itertools.product(ALL_STATUSES, ACTIONS) if pair not in ALLOWED]


def test_the_statuses_are_the_ones_the_table_covers():
    assert set(STATUSES) == set(ALL_STATUSES)
    assert {"rejected", "cancelled", "revoked"} == FINAL
    assert len(ALLOWED) + len(REFUSED) == len(ALL_STATUSES) * len(ACTIONS)


@pytest.mark.parametrize(("status", "action"), sorted(ALLOWED))
def test_an_allowed_action_leads_to_its_status(status, action):
    assert next_status(status, action) == ALLOWED[(status, action)]


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_every_other_action_is_refused_naming_the_current_status(status, action):
    with pytest.raises(TransitionRefused) as refused:
        next_status(status, action)

    assert refused.value.status == status
    assert refused.value.action == action
    message = str(refused.value)
    assert message.endswith(f"this product is {status}.")
    assert message.startswith("Only ")


@pytest.mark.parametrize("status", sorted(FINAL))
def test_final_statuses_allow_nothing(status):
    for action in ACTIONS:
        with pytest.raises(TransitionRefused, match=f"this product is {status}"):
            next_status(status, action)


def test_an_unknown_status_is_refused():
    with pytest.raises(TransitionRefused, match="this product is archived"):
        next_status("archived", "submit")


def test_a_product_can_go_round_the_review_loop():
    status = "draft"
    for action, expected in [("submit", "submitted"), ("return", "returned"), ("submit", "submitted"),
                             ("withdraw", "draft"), ("submit", "submitted"), ("approve", "filed"),
                             ("recognise", "recognised"), ("recognise", "recognised"), ("revoke", "revoked")]:
        status = next_status(status, action)
        assert status == expected
