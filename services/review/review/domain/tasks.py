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
from dataclasses import dataclass

from platform_shared.events.catalogue.review import DECISION_OUTCOMES, TASK_KINDS  # noqa: F401 - re-exported

TASK_STATES = ("open", "claimed", "awaiting_confirmation", "decided", "cancelled")
PENDING = ("open", "claimed", "awaiting_confirmation")


def organisation_task_title(name: str, uscc: str) -> str:
    return f"实名认证审核：{name}（{uscc}）"


def product_task_title(name: str, brand: str, model: str, submission: int) -> str:
    again = f"（第{submission}次提交）" if submission > 1 else ""
    return f"产品备案审核：{name} {brand} {model}{again}"


@dataclass(frozen=True)
class Claim:
    holder: str | None
    expires_at: dt.datetime | None

    def held_by_other_than(self, reviewer_id: str, now: dt.datetime) -> bool:
        """Someone else holds a claim that has not expired."""
        return self.holder is not None and self.holder != reviewer_id and not self.expired(now)

    def expired(self, now: dt.datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


def decision_problems(kind: str, outcome: str, reasons: Sequence[dict]) -> dict[str, list[str]]:
    """What is wrong with a decision (field → messages); empty when it may be made."""
    problems: dict[str, list[str]] = {}
    if outcome == "return" and kind != "product":
        problems["outcome"] = ["only a product can be returned for revision; approve or reject an organisation"]
    if outcome != "approve" and not reasons:
        problems["reasons"] = ["give the reasons, per field, unless approving"]
    return problems


def needs_confirmation(outcome: str, four_eyes: bool) -> bool:
    """A rejection needs a second reviewer when the four-eyes rule is on."""
    return four_eyes and outcome == "reject"
