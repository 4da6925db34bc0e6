"""A recognition round's states and which action each allows.

    open ──evaluate──▶ evaluated ──publish──▶ published ──finalise──▶ finalised
                       (evaluate again: the new results replace the old)

`published` is the public notice (公示): anyone may read the list, signed-in users object to a
product on it until `notice_ends_on` (inclusive); operators decide each objection (upheld takes
the product off the list). Finalisation needs the notice over and every objection decided.
"""

from __future__ import annotations

import datetime as dt

STATES = ("open", "evaluated", "published", "finalised")
OBJECTION_STATES = ("pending", "upheld", "dismissed")
PUBLIC_STATES = frozenset({"published", "finalised"})


class RoundConflict(Exception):
    """The action does not fit the round's state now (409)."""


class RoundRuleBroken(Exception):
    """The request breaks a rule of the round (422), naming the field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def ensure_can_evaluate(state: str) -> None:
    if state not in ("open", "evaluated"):
        raise RoundConflict(f"The round is {state}: only an open or evaluated round is evaluated.")


def ensure_can_publish(state: str, notice_ends_on: dt.date, today: dt.date) -> None:
    if state != "evaluated":
        raise RoundConflict(f"The round is {state}: only an evaluated round is published.")
    if notice_ends_on <= today:
        raise RoundRuleBroken("notice_ends_on", f"The notice must end after today ({today.isoformat()}).")


def notice_running(state: str, notice_ends_on: dt.date | None, today: dt.date) -> bool:
    return state == "published" and notice_ends_on is not None and today <= notice_ends_on


def ensure_objections_open(state: str, notice_ends_on: dt.date | None, today: dt.date) -> None:
    if not notice_running(state, notice_ends_on, today):
        when = f" (it ended on {notice_ends_on.isoformat()})" if state == "published" and notice_ends_on else ""
        raise RoundConflict(f"Objections are raised during the public notice only; the round is {state}{when}.")


def ensure_can_decide(state: str, objection_state: str) -> None:
    if state != "published":
        raise RoundConflict(f"The round is {state}: objections are decided while it is published.")
    if objection_state != "pending":
        raise RoundConflict(f"The objection was decided already ({objection_state}).")


def ensure_can_finalise(state: str, notice_ends_on: dt.date | None, today: dt.date, pending: int) -> None:
    if state != "published":
        raise RoundConflict(f"The round is {state}: only a published round is finalised.")
    if notice_ends_on is not None and today <= notice_ends_on:
        raise RoundConflict(f"The public notice runs until {notice_ends_on.isoformat()} inclusive; "
                            "finalise after it ends.")
    if pending:
        raise RoundConflict(f"{pending} objection(s) are not decided yet: decide each before finalising.")
