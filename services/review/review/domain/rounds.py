"""A recognition round, its states and which action each allows.

    open ──evaluate──▶ evaluated ──publish──▶ published ──finalise──▶ finalised
                       (evaluate again: the new results replace the old)
    open, evaluated or published ──close (an operator, with a reason)──▶ closed

A year has one round under way at a time (open, evaluated or published): a second would
propose the same products again. An operator who needs another closes the first; a finalised
round does not stand in the way (what it recognised is not evaluated for that year again).

`published` is the public notice (公示): anyone may read the list, signed-in users object to a
product on it until `notice_ends_on` (inclusive); operators decide each objection (upheld takes
the product off the list). Finalisation needs the notice over and every objection decided.
Every change of a round counts up its `version` (the events' aggregate version).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from platform_shared.errors import Conflict, Rule, RuleBroken
from review.domain.recognition import RoundTerms

STATES = ("open", "evaluated", "published", "finalised", "closed")
UNDER_WAY = frozenset({"open", "evaluated", "published"})
OBJECTION_STATES = ("pending", "upheld", "dismissed")
PUBLIC_STATES = frozenset({"published", "finalised"})


class RoundConflict(Conflict):
    """The action does not fit the round's state now (409)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail, slug="wrong-round-state")


class RoundRuleBroken(RuleBroken):
    """The request breaks a rule of the round (422), naming the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__({field: [message]}, message, slug="round-rule-broken")
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


def ensure_none_under_way(year: int, under_way: RecognitionRound | None) -> None:
    if under_way is not None:
        raise Conflict(Rule(f"The round of {year} opened on {under_way.created_at:%Y-%m-%d} is {under_way.state} "
                            f"(round {under_way.id}): a year has one round under way; close it first.",
                            "round.under_way", year=year, opened_on=f"{under_way.created_at:%Y-%m-%d}"),
                       slug="round-under-way")


def ensure_can_close(state: str) -> None:
    if state not in UNDER_WAY:
        raise RoundConflict(f"The round is {state}: only an open, evaluated or published round is closed.")


@dataclass
class RecognitionRound:
    """A round of `year` over some industry fields, for products filed by `cut_off`."""

    id: str
    year: int
    cut_off: dt.date
    industry_codes: tuple[str, ...]
    created_by: str
    created_at: dt.datetime
    state: str = "open"
    version: int = 1
    config_version: str | None = None
    evaluated_at: dt.datetime | None = None
    notice_ends_on: dt.date | None = None
    published_at: dt.datetime | None = None
    finalised_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    close_reason: str | None = None

    @property
    def under_way(self) -> bool:
        return self.state in UNDER_WAY

    @property
    def terms(self) -> RoundTerms:
        return RoundTerms(self.year, self.cut_off)

    def outside_fields(self, codes: set[str]) -> list[str]:
        """Those of `codes` that the round does not cover, sorted."""
        return sorted(codes - set(self.industry_codes))

    def ensure_can_evaluate(self) -> None:
        ensure_can_evaluate(self.state)

    def evaluated(self, config_version: str, now: dt.datetime) -> None:
        ensure_can_evaluate(self.state)
        self.state, self.config_version, self.evaluated_at = "evaluated", config_version, now
        self.version += 1

    def publish(self, notice_ends_on: dt.date, today: dt.date, now: dt.datetime) -> None:
        ensure_can_publish(self.state, notice_ends_on, today)
        self.state, self.notice_ends_on, self.published_at = "published", notice_ends_on, now
        self.version += 1

    def ensure_objections_open(self, today: dt.date) -> None:
        ensure_objections_open(self.state, self.notice_ends_on, today)

    def objection_decided(self, objection_state: str) -> None:
        """An operator decides an objection while the round is published (the round changed)."""
        ensure_can_decide(self.state, objection_state)
        self.version += 1

    def finalise(self, today: dt.date, pending_objections: int, now: dt.datetime) -> None:
        ensure_can_finalise(self.state, self.notice_ends_on, today, pending_objections)
        self.state, self.finalised_at = "finalised", now
        self.version += 1

    def close(self, reason: str, now: dt.datetime) -> None:
        """Ends the round without recognising anything (its notice, if published, ends with it)."""
        ensure_can_close(self.state)
        self.state, self.closed_at, self.close_reason = "closed", now, reason
        self.version += 1
