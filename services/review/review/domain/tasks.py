"""Review tasks: what a reviewer's queue holds, how a claim works, and what makes a decision.

A task is `open` until a reviewer claims it; a claim lasts a configured time, after which
another reviewer may take the task (so no task is stranded by someone who left); the holder
releases it or decides. With the four-eyes rule on, a rejection proposed by the holder waits
for a second reviewer's confirmation (`awaiting_confirmation`) before it is final. A decision
is final: `decided`. A withdrawn submission `cancelled` its open task.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from platform_shared.errors import Conflict

# The same words as the contracts of review's events (a unit test holds them in step).
TASK_KINDS = ("organisation", "product", "org_change", "product_amendment")
# Cases about a product (its submission, an amendment of its filing): their snapshot is a
# declaration with patents and materials; returned for revision, submitted again.
PRODUCT_KINDS = ("product", "product_amendment")
DECISION_OUTCOMES = ("approve", "reject", "return")
TASK_STATES = ("open", "claimed", "awaiting_confirmation", "decided", "cancelled")
PENDING = ("open", "claimed", "awaiting_confirmation")


@dataclass(frozen=True)
class QueueRules:
    """How long a claim lasts, and whether rejections need a second reviewer."""

    claim_for: dt.timedelta = dt.timedelta(hours=2)
    four_eyes: bool = False


def organisation_task_title(name: str, uscc: str) -> str:
    return f"实名认证审核：{name}（{uscc}）"


def organisation_change_task_title(name: str, uscc: str) -> str:
    return f"单位信息变更审核：{name}（{uscc}）"


def product_task_title(name: str, brand: str, model: str, submission: int) -> str:
    again = f"（第{submission}次提交）" if submission > 1 else ""
    return f"产品备案审核：{name} {brand} {model}{again}"


def amendment_task_title(name: str, brand: str, model: str, filing_number: str, submission: int) -> str:
    again = f"（第{submission}次提交）" if submission > 1 else ""
    return f"备案变更审核：{name} {brand} {model}（{filing_number}）{again}"


@dataclass(frozen=True)
class Claim:
    holder: str | None
    expires_at: dt.datetime | None

    def held_by_other_than(self, reviewer_id: str, now: dt.datetime) -> bool:
        """Someone else holds a claim that has not expired."""
        return self.holder is not None and self.holder != reviewer_id and not self.expired(now)

    def expired(self, now: dt.datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


@dataclass
class ReviewTask:
    """One case before the reviewers, with what was submitted frozen in `snapshot`."""

    id: str
    kind: str
    subject_id: str
    title: str
    snapshot: dict[str, Any]
    source_event_id: str
    created_at: dt.datetime
    state: str = "open"
    # A resubmission after a return is a new task of the same case, linked to the earlier one.
    case_id: str | None = None
    previous_task_id: str | None = None
    claimed_by: str | None = None
    claimed_at: dt.datetime | None = None
    claim_expires_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None

    @property
    def claim(self) -> Claim:
        return Claim(self.claimed_by, self.claim_expires_at)

    def claimable_by(self, reviewer_id: str, now: dt.datetime) -> bool:
        """Open, or claimed by the caller already, or claimed by someone whose claim expired."""
        return self.state == "open" or (self.state == "claimed" and (
            self.claim.expired(now) or self.claimed_by == reviewer_id))

    def refuse_claim(self) -> Conflict:
        """Why the caller could not take the task (it was not claimable)."""
        if self.state == "claimed" and self.claim_expires_at is not None:
            return Conflict("Another reviewer holds this task; it is free again when they release it or "
                            f"their claim expires ({self.claim_expires_at.isoformat()}Z).", slug="task-held")
        return Conflict(f"The task is {self.state}; only an open task can be claimed.", slug="wrong-state")

    def ensure_held_by(self, reviewer_id: str, now: dt.datetime) -> None:
        """Only the holder of a live claim releases or decides."""
        if self.state != "claimed":
            raise Conflict(f"The task is {self.state}; claim it first.", slug="wrong-state")
        if self.claimed_by != reviewer_id:
            raise Conflict("Another reviewer holds this task.", slug="task-held")
        if self.claim.expired(now):
            raise Conflict("Your claim on this task has expired; claim it again.", slug="claim-expired")

    def assign(self, reviewer_id: str, now: dt.datetime, rules: QueueRules) -> None:
        """Claimed by `reviewer_id` from `now` for as long as a claim lasts."""
        self.state, self.claimed_by, self.claimed_at = "claimed", reviewer_id, now
        self.claim_expires_at = now + rules.claim_for

    def reassign(self, reviewer_id: str, now: dt.datetime, rules: QueueRules) -> None:
        """An operator gives a pending task to a reviewer (whoever held it before)."""
        if self.state not in ("open", "claimed"):
            raise Conflict(f"The task is {self.state}; only an open or claimed task can be reassigned.",
                           slug="wrong-state")
        self.assign(reviewer_id, now, rules)

    def release(self) -> None:
        self.state, self.claimed_by, self.claimed_at, self.claim_expires_at = "open", None, None, None

    def await_confirmation(self) -> None:
        self.state = "awaiting_confirmation"

    def ensure_awaits_confirmation(self) -> None:
        if self.state != "awaiting_confirmation":
            raise Conflict(f"The task is {self.state}; nothing awaits confirmation.", slug="wrong-state")

    def send_back(self) -> None:
        """A proposed rejection goes back to its holder."""
        self.state = "claimed"

    def finish(self, now: dt.datetime) -> None:
        """Decided for good; the holder stays on record."""
        self.state, self.closed_at, self.claim_expires_at = "decided", now, None

    def cancel(self, now: dt.datetime) -> None:
        self.state, self.closed_at, self.claimed_by, self.claim_expires_at = "cancelled", now, None, None


@dataclass(frozen=True)
class DecisionReason:
    """Why, about which field (its dotted path, e.g. `economic_data.0.sales_revenue`)."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


@dataclass
class TaskDecision:
    """The decision on a task: proposed (awaiting a second reviewer) or final."""

    task_id: str
    outcome: str
    reasons: tuple[DecisionReason, ...]
    reviewer_id: str
    decided_at: dt.datetime
    final: bool
    confirmed_by: str | None = None

    def ensure_second_reviewer(self, reviewer_id: str) -> None:
        if self.reviewer_id == reviewer_id:
            raise Conflict("A rejection is confirmed by a second reviewer, not by the one who proposed it.",
                           slug="four-eyes")

    def confirm(self, reviewer_id: str) -> None:
        self.confirmed_by, self.final = reviewer_id, True


@dataclass(frozen=True)
class HistoryEntry:
    """One action on a task: what, by whom (None for the platform itself) and when."""

    task_id: str
    at: dt.datetime
    action: str
    actor_id: str | None = None
    actor_role: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def decision_problems(kind: str, outcome: str, reasons: Sequence[object]) -> dict[str, list[str]]:
    """What is wrong with a decision (field → messages); empty when it may be made."""
    problems: dict[str, list[str]] = {}
    if outcome == "return" and kind not in PRODUCT_KINDS:
        problems["outcome"] = ["only a product or its amendment can be returned for revision; approve or reject "
                               "an organisation"]
    if outcome != "approve" and not reasons:
        problems["reasons"] = ["give the reasons, per field, unless approving"]
    return problems


def needs_confirmation(outcome: str, four_eyes: bool) -> bool:
    """A rejection needs a second reviewer when the four-eyes rule is on."""
    return four_eyes and outcome == "reject"
