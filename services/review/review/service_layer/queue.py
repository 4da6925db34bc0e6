"""The reviewers' work on a task: claim, release, reassignment by an operator, the decision,
and — with the four-eyes rule — a second reviewer's confirmation of a rejection.

A claim is taken by one conditional UPDATE: the row changes only if the task is open, or its
claim has expired, or the caller already holds it. On PostgreSQL the second of two concurrent
claims waits for the first to commit, then finds the condition false: exactly one wins.

A final decision publishes `review.decision.made` (identity and filing apply it) in the same
transaction as the task's change and its history.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from platform_shared.auth.tokens import Principal
from platform_shared.moments import utcnow
from platform_shared.unit_of_work import UnitOfWork
from platform_shared.web.problems import Problem
from review.adapters.orm import ReviewTask, TaskDecision
from review.domain.tasks import Claim, decision_problems, needs_confirmation
from review.service_layer.history import note


@dataclass(frozen=True)
class QueueRules:
    claim_for: dt.timedelta = dt.timedelta(hours=2)
    four_eyes: bool = False


def not_found() -> Problem:
    return Problem(404, "No such task.", slug="task-not-found")


def task_of(task_id: str) -> ReviewTask:
    task = ReviewTask.get_or_none(ReviewTask.id == task_id)
    if task is None:
        raise not_found()
    return task


def claim_of(task: ReviewTask) -> Claim:
    return Claim(task.claimed_by, task.claim_expires_at)


def claim(task_id: str, principal: Principal, uow: UnitOfWork, rules: QueueRules) -> ReviewTask:
    """Take the task (or renew one's own claim); 409 if another reviewer holds it."""
    with uow:
        task = task_of(task_id)
        now = utcnow()
        taken = (ReviewTask.update(state="claimed", claimed_by=principal.account_id, claimed_at=now,
                                   claim_expires_at=now + rules.claim_for)
                 .where((ReviewTask.id == task_id)
                        & ((ReviewTask.state == "open")
                           | ((ReviewTask.state == "claimed")
                              & ((ReviewTask.claim_expires_at <= now)
                                 | (ReviewTask.claimed_by == principal.account_id)))))
                 .execute())
        if taken != 1:
            task = task_of(task_id)
            if task.state == "claimed":
                raise Problem(409, "Another reviewer holds this task; it is free again when they release it or "
                              f"their claim expires ({task.claim_expires_at.isoformat()}Z).", slug="task-held")
            raise Problem(409, f"The task is {task.state}; only an open task can be claimed.", slug="wrong-state")
        expired_holder = task.claimed_by if task.state == "claimed" and task.claimed_by != principal.account_id \
            else None
        note(task_id, "claimed", principal.account_id, principal.role, now,
             **({"took_over_expired_claim_of": expired_holder} if expired_holder else {}))
        return task_of(task_id)


def _held_by_caller(task: ReviewTask, principal: Principal, now: dt.datetime) -> None:
    if task.state != "claimed":
        raise Problem(409, f"The task is {task.state}; claim it first.", slug="wrong-state")
    if task.claimed_by != principal.account_id:
        raise Problem(409, "Another reviewer holds this task.", slug="task-held")
    if claim_of(task).expired(now):
        raise Problem(409, "Your claim on this task has expired; claim it again.", slug="claim-expired")


def release(task_id: str, principal: Principal, uow: UnitOfWork) -> ReviewTask:
    with uow:
        task = task_of(task_id)
        now = utcnow()
        _held_by_caller(task, principal, now)
        ReviewTask.update(state="open", claimed_by=None, claimed_at=None, claim_expires_at=None) \
            .where(ReviewTask.id == task_id).execute()
        note(task_id, "released", principal.account_id, principal.role, now)
        return task_of(task_id)


def reassign(task_id: str, reviewer_id: str, principal: Principal, uow: UnitOfWork, rules: QueueRules) -> ReviewTask:
    """An operator gives a pending task to a reviewer (whoever held it before)."""
    with uow:
        task = task_of(task_id)
        if task.state not in ("open", "claimed"):
            raise Problem(409, f"The task is {task.state}; only an open or claimed task can be reassigned.",
                          slug="wrong-state")
        now = utcnow()
        ReviewTask.update(state="claimed", claimed_by=reviewer_id, claimed_at=now,
                          claim_expires_at=now + rules.claim_for).where(ReviewTask.id == task_id).execute()
        note(task_id, "reassigned", principal.account_id, principal.role, now, to=reviewer_id,
             previous_holder=task.claimed_by)
        return task_of(task_id)


def decide(task_id: str, outcome: str, reasons: list[dict], principal: Principal, uow: UnitOfWork,
           rules: QueueRules) -> ReviewTask:
    """The holder's decision: final at once, or (a rejection under the four-eyes rule) proposed."""
    with uow:
        task = task_of(task_id)
        now = utcnow()
        _held_by_caller(task, principal, now)
        problems = decision_problems(task.kind, outcome, reasons)
        if problems:
            raise Problem(422, " ".join(m for ms in problems.values() for m in ms), slug="decision-invalid",
                          errors=problems)
        final = not needs_confirmation(outcome, rules.four_eyes)
        TaskDecision.create(task=task_id, outcome=outcome, reasons=json.dumps(reasons, ensure_ascii=False),
                            reviewer_id=principal.account_id, decided_at=now, final=final)
        if final:
            _finish(task, outcome, reasons, principal.account_id, now, uow)
            note(task_id, "decided", principal.account_id, principal.role, now, outcome=outcome, reasons=reasons)
        else:
            ReviewTask.update(state="awaiting_confirmation").where(ReviewTask.id == task_id).execute()
            note(task_id, "rejection_proposed", principal.account_id, principal.role, now, reasons=reasons)
        return task_of(task_id)


def confirm(task_id: str, confirmed: bool, comment: str | None, principal: Principal, uow: UnitOfWork) -> ReviewTask:
    """A second reviewer confirms a proposed rejection (final), or sends it back to its holder."""
    with uow:
        task = task_of(task_id)
        if task.state != "awaiting_confirmation":
            raise Problem(409, f"The task is {task.state}; nothing awaits confirmation.", slug="wrong-state")
        proposal = TaskDecision.get(TaskDecision.task == task_id)
        if proposal.reviewer_id == principal.account_id:
            raise Problem(409, "A rejection is confirmed by a second reviewer, not by the one who proposed it.",
                          slug="four-eyes")
        now = utcnow()
        if confirmed:
            TaskDecision.update(confirmed_by=principal.account_id, final=True).where(
                TaskDecision.task == task_id).execute()
            _finish(task, proposal.outcome, json.loads(proposal.reasons), proposal.reviewer_id, now, uow)
            note(task_id, "rejection_confirmed", principal.account_id, principal.role, now, comment=comment)
        else:
            proposal.delete_instance()
            ReviewTask.update(state="claimed").where(ReviewTask.id == task_id).execute()
            note(task_id, "rejection_sent_back", principal.account_id, principal.role, now, comment=comment)
        return task_of(task_id)


def _finish(task: ReviewTask, outcome: str, reasons: list[dict], reviewer_id: str, now: dt.datetime,
            uow: UnitOfWork) -> None:
    ReviewTask.update(state="decided", closed_at=now, claim_expires_at=None).where(ReviewTask.id == task.id).execute()
    uow.publish("review.decision.made", {
        "task_id": task.id, "kind": task.kind, "subject_id": task.subject_id, "outcome": outcome,
        "reasons": reasons, "reviewer_id": reviewer_id, "decided_at": now.replace(tzinfo=dt.UTC).isoformat()},
        aggregate_id=task.id, aggregate_version=2)
