"""The reviewers' work on a task: claim, release, reassignment by an operator, the decision,
and — with the four-eyes rule — a second reviewer's confirmation of a rejection.

A claim is taken by one conditional write (`TaskRepository.claim`): the task changes only if it
is open, or its claim has expired, or the caller already holds it. On PostgreSQL the second of
two concurrent claims waits for the first to commit, then finds the condition false: exactly
one wins.

An approval waits until every patent the register could not verify is confirmed by the holder
(`handle_confirm_patent`: in the task's history and the audit log, with its note).

A final decision publishes `review.decision.made` (identity and filing apply it) in the same
transaction as the task's change and its history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from platform_shared.errors import NotFound, RuleBroken
from platform_shared.moments import utcnow
from platform_shared.principal import Principal
from review.domain.commands import ClaimTask, ConfirmPatent, ConfirmRejection, DecideTask, ReassignTask, ReleaseTask
from review.domain.patent_checks import CONFIRMED, confirmations_of, patent_to_confirm, unconfirmed_problems
from review.domain.tasks import (
    PRODUCT_KINDS,
    DecisionReason,
    HistoryEntry,
    QueueRules,
    ReviewTask,
    TaskDecision,
    decision_problems,
    needs_confirmation,
)
from review.service_layer.unit_of_work import ReviewUnitOfWork


def task_of(task_id: str, uow: ReviewUnitOfWork, for_change: bool = False) -> ReviewTask:
    """The task (404 if none); `for_change`: its row held until the unit of work ends, so that a
    change decided on what was read cannot race another (two decisions: one wins, one gets 409)."""
    task = uow.tasks.get_for_change(task_id) if for_change else uow.tasks.get(task_id)
    if task is None:
        raise NotFound("No such task.", slug="task-not-found")
    return task


def _note(uow: ReviewUnitOfWork, task_id: str, action: str, by: Principal, at: dt.datetime, **detail: Any) -> None:
    uow.history.add(HistoryEntry(task_id, at, action, by.account_id, by.role, detail))


def handle_claim(command: ClaimTask, uow: ReviewUnitOfWork, rules: QueueRules) -> ReviewTask:
    """Take the task (or renew one's own claim); `Conflict` if another reviewer holds it."""
    reviewer_id = command.principal.account_id
    with uow:
        task = task_of(command.task_id, uow, for_change=True)
        now = utcnow()
        if not uow.tasks.claim(task.id, reviewer_id, now, now + rules.claim_for):
            raise task_of(task.id, uow).refuse_claim()
        expired_holder = task.claimed_by if task.state == "claimed" and task.claimed_by != reviewer_id else None
        _note(uow, task.id, "claimed", command.principal, now,
              **({"took_over_expired_claim_of": expired_holder} if expired_holder else {}))
        return task_of(task.id, uow)


def handle_release(command: ReleaseTask, uow: ReviewUnitOfWork) -> ReviewTask:
    """Put a task one holds back in the queue."""
    with uow:
        task = task_of(command.task_id, uow, for_change=True)
        now = utcnow()
        task.ensure_held_by(command.principal.account_id, now)
        task.release()
        uow.tasks.save(task)
        _note(uow, task.id, "released", command.principal, now)
        return task


def handle_reassign(command: ReassignTask, uow: ReviewUnitOfWork, rules: QueueRules) -> ReviewTask:
    """An operator gives a pending task to a reviewer (whoever held it before)."""
    with uow:
        task = task_of(command.task_id, uow, for_change=True)
        previous_holder = task.claimed_by
        now = utcnow()
        task.reassign(command.reviewer_id, now, rules)
        uow.tasks.save(task)
        _note(uow, task.id, "reassigned", command.principal, now, to=command.reviewer_id,
              previous_holder=previous_holder)
        return task


def handle_decide(command: DecideTask, uow: ReviewUnitOfWork, rules: QueueRules) -> ReviewTask:
    """The holder's decision: final at once, or (a rejection under the four-eyes rule) proposed."""
    principal = command.principal
    reasons = [r.as_dict() for r in command.reasons]
    with uow:
        task = task_of(command.task_id, uow, for_change=True)
        now = utcnow()
        task.ensure_held_by(principal.account_id, now)
        problems = decision_problems(task.kind, command.outcome, command.reasons)
        if problems:
            raise RuleBroken(problems, slug="decision-invalid")
        if command.outcome == "approve" and task.kind in PRODUCT_KINDS:
            unconfirmed = unconfirmed_problems(task.snapshot, confirmations_of(uow.history.of_task(task.id)))
            if unconfirmed:
                raise RuleBroken(unconfirmed, "Confirm each patent the register could not verify before approving.",
                                 slug="patent-unconfirmed")
        final = not needs_confirmation(command.outcome, rules.four_eyes)
        uow.decisions.add(TaskDecision(task.id, command.outcome, command.reasons, principal.account_id, now, final))
        if final:
            _finish(task, command.outcome, command.reasons, principal.account_id, now, uow)
            _note(uow, task.id, "decided", principal, now, outcome=command.outcome, reasons=reasons)
        else:
            task.await_confirmation()
            uow.tasks.save(task)
            _note(uow, task.id, "rejection_proposed", principal, now, reasons=reasons)
        return task


def handle_confirm_patent(command: ConfirmPatent, uow: ReviewUnitOfWork) -> ReviewTask:
    """The holder confirms an unverified patent against the certificate or contract: recorded in
    the task's history and audited, with the note."""
    with uow:
        task = task_of(command.task_id, uow, for_change=True)
        now = utcnow()
        task.ensure_held_by(command.principal.account_id, now)
        patent = patent_to_confirm(task.snapshot, command.index)
        detail = {"index": command.index, "number": patent.get("number"), "relation": patent.get("relation"),
                  "note": command.note}
        _note(uow, task.id, CONFIRMED, command.principal, now, **detail)
        uow.audit("patent.confirmed", "review_task", task.id, {"subject_id": task.subject_id, **detail})
        return task


def handle_confirm(command: ConfirmRejection, uow: ReviewUnitOfWork) -> ReviewTask:
    """A second reviewer confirms a proposed rejection (final), or sends it back to its holder."""
    with uow:
        task = task_of(command.task_id, uow, for_change=True)
        task.ensure_awaits_confirmation()
        proposal = uow.decisions.get(task.id)
        if proposal is None:
            raise LookupError(f"task {task.id} awaits a confirmation of no proposal")
        proposal.ensure_second_reviewer(command.principal.account_id)
        now = utcnow()
        if command.confirm:
            proposal.confirm(command.principal.account_id)
            uow.decisions.save(proposal)
            _finish(task, proposal.outcome, proposal.reasons, proposal.reviewer_id, now, uow)
            _note(uow, task.id, "rejection_confirmed", command.principal, now, comment=command.comment)
        else:
            uow.decisions.remove(task.id)
            task.send_back()
            uow.tasks.save(task)
            _note(uow, task.id, "rejection_sent_back", command.principal, now, comment=command.comment)
        return task


def _finish(task: ReviewTask, outcome: str, reasons: tuple[DecisionReason, ...], reviewer_id: str,
            now: dt.datetime, uow: ReviewUnitOfWork) -> None:
    task.finish(now)
    uow.tasks.save(task)
    uow.publish("review.decision.made", {
        "task_id": task.id, "kind": task.kind, "subject_id": task.subject_id, "outcome": outcome,
        "reasons": [r.as_dict() for r in reasons], "reviewer_id": reviewer_id,
        "decided_at": now.replace(tzinfo=dt.UTC).isoformat(),
        # The submission the reviewer saw: filing applies the decision to that one only.
        "submission": task.snapshot.get("submission") if task.kind in PRODUCT_KINDS else None},
        aggregate_id=task.id, aggregate_version=2)
