"""Objections during a round's public notice (异议处理): anyone signed in objects to a product on
the list, with reasons and evidence files; an operator decides each, and an upheld objection
takes the product off the list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from platform_shared.attachments import StoredFile
from platform_shared.errors import Conflict, Forbidden, RuleBroken
from review.domain.rounds import RecognitionRound

MAX_EVIDENCE_FILES = 10


@dataclass
class Objection:
    id: str
    round_id: str
    product_id: str
    reasons: str
    raised_by: str
    raised_by_role: str
    raised_at: dt.datetime
    state: str = "pending"
    decision_reason: str | None = None
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    # Whose quotas it counts against (`platform_shared.quotas.Owner.key`): the raiser's
    # organisation, or the raiser's account without one.
    owner: str = ""

    @property
    def upheld(self) -> bool:
        return self.state == "upheld"

    def decide(self, upheld: bool, reason: str, decided_by: str, now: dt.datetime) -> None:
        self.state = "upheld" if upheld else "dismissed"
        self.decision_reason, self.decided_by, self.decided_at = reason, decided_by, now

    def ensure_open_to_evidence(self, found: RecognitionRound, account_id: str, today: dt.date,
                                evidence_count: int) -> None:
        """Evidence comes from who raised the objection, while the notice runs and it is undecided."""
        if self.raised_by != account_id:
            raise Forbidden("Only who raised the objection adds evidence to it.", slug="forbidden")
        found.ensure_objections_open(today)
        if self.state != "pending":
            raise Conflict(f"The objection was decided already ({self.state}).", slug="wrong-round-state")
        if evidence_count >= MAX_EVIDENCE_FILES:
            raise Conflict(f"An objection carries at most {MAX_EVIDENCE_FILES} evidence files.",
                           slug="too-much-evidence")


@dataclass(frozen=True)
class ObjectionEvidence:
    """A file supporting an objection; its bytes live in the evidence store under their SHA-256."""

    id: str
    objection_id: str
    file: StoredFile


def not_on_the_list() -> RuleBroken:
    message = "this product is not on the round's list"
    return RuleBroken({"product_id": [message]}, message, slug="not-on-the-list")
