"""What the reviewers' queue looks like when read: tasks page by page with their age, and one
task with its snapshot, the links to its documents, its decision, its history, the other
tasks of its case and what changed since the case's previous task."""

from __future__ import annotations

import datetime as dt
from typing import Any

from platform_shared.moments import utcnow
from platform_shared.pages import PageRequest
from review.domain.changes import changes_between
from review.domain.patent_checks import confirmations_of, declared_patents, needs_confirmation
from review.domain.tasks import PRODUCT_KINDS, ReviewTask
from review.service_layer.queue import task_of
from review.service_layer.repositories import TaskFilter
from review.service_layer.unit_of_work import ReviewUnitOfWork

IDENTITY_DOCUMENT_PATH = "/api/v1/identity/organisations/{organisation_id}/documents/{document_id}"


def task_out(task: ReviewTask, now: dt.datetime | None = None) -> dict[str, Any]:
    end = task.closed_at or now or utcnow()
    return {"id": task.id, "kind": task.kind, "subject_id": task.subject_id, "title": task.title,
            "state": task.state, "created_at": task.created_at,
            "age_seconds": max(0, int((end - task.created_at).total_seconds())),
            "case_id": task.case_id, "previous_task_id": task.previous_task_id,
            "claimed_by": task.claimed_by if task.state in ("claimed", "awaiting_confirmation") else None,
            "claim_expires_at": task.claim_expires_at if task.state == "claimed" else None}


def list_tasks(which: TaskFilter, request: PageRequest, uow: ReviewUnitOfWork) -> dict[str, Any]:
    """Tasks, oldest first, with their age."""
    with uow:
        page = uow.tasks.page(which, request)
    now = utcnow()
    return page.map(lambda task: task_out(task, now)).as_dict()


def _documents(task: ReviewTask) -> list[dict[str, Any]]:
    snapshot = task.snapshot
    if task.kind in PRODUCT_KINDS:
        return [{"kind": m["kind"], "media_type": m["media_type"], "url": m["url"]}
                for m in snapshot.get("materials", [])]
    organisation_id = snapshot.get("organisation_id")
    return [{"kind": d.get("kind"), "media_type": d.get("media_type"),
             "url": IDENTITY_DOCUMENT_PATH.format(organisation_id=organisation_id, document_id=d.get("id"))}
            for d in snapshot.get("documents", [])]


def _since_previous(task: ReviewTask, uow: ReviewUnitOfWork) -> dict[str, Any] | None:
    """The previous task of the case (the returned or rejected submission): its decision's reasons
    and every field changed since, so the reviewer checks what was asked for and what moved."""
    previous = uow.tasks.get(task.previous_task_id) if task.previous_task_id else None
    if previous is None:
        return None
    decision = uow.decisions.get(previous.id)
    return {"task_id": previous.id, "outcome": decision.outcome if decision else None,
            "decided_at": decision.decided_at if decision else None,
            "reasons": [r.as_dict() for r in decision.reasons] if decision else [],
            "changes": [c.as_dict() for c in changes_between(previous.snapshot, task.snapshot, task.kind)]}


def _patent_checks(task: ReviewTask, history: list[Any]) -> list[dict[str, Any]]:
    """Per declared patent: the register's answer and, for an unverified one, its confirmation."""
    if task.kind not in PRODUCT_KINDS:
        return []
    confirmed = confirmations_of(history)
    checks = []
    for index, patent in enumerate(declared_patents(task.snapshot)):
        number = str(patent.get("number", ""))
        confirmation = confirmed.get(number) if needs_confirmation(patent) else None
        checks.append({"index": index, "number": number, "relation": patent.get("relation", ""),
                       "register": patent.get("register"), "needs_confirmation": needs_confirmation(patent),
                       "confirmation": confirmation and {"reviewer_id": confirmation.reviewer_id,
                                                         "at": confirmation.at, "note": confirmation.note}})
    return checks


def _amendment(task: ReviewTask) -> dict[str, Any] | None:
    """An amendment of a filed product: its filing number, the edition it amends and each field
    of its variants, patents and materials before (as approved last) and after."""
    if task.kind != "product_amendment":
        return None
    snapshot = task.snapshot
    after = {name: snapshot.get(name) or [] for name in ("variants", "patents", "materials")}
    before = {name: (snapshot.get("before") or {}).get(name) or [] for name in after}
    for lists in (after, before):
        # The register's answer is the reviewer's (`patent_checks`), not part of what was declared;
        # materials by kind (an amendment only adds them; the files are the task's `documents`).
        lists["patents"] = [{k: v for k, v in p.items() if k != "register"} for p in lists["patents"]]
        lists["materials"] = [m.get("kind") for m in lists["materials"] if isinstance(m, dict)]
    return {"filing_number": snapshot.get("filing_number"), "edition": snapshot.get("edition"),
            "amendment_id": snapshot.get("amendment_id"), "changed": snapshot.get("changed") or [],
            "before": before, "after": after,
            "changes": [c.as_dict() for c in changes_between(before, after, task.kind)]}


def read_task(task_id: str, uow: ReviewUnitOfWork) -> dict[str, Any]:
    """One task with what was submitted, its decision, its history and its case. The snapshot
    holds what is confidential (a product's economic data, an organisation's legal representative
    and documents): each read is audited, as filing and identity audit theirs."""
    with uow:
        task = task_of(task_id, uow)
        uow.audit("task.read", "review_task", task.id, {"kind": task.kind, "subject_id": task.subject_id})
        decision = uow.decisions.get(task.id)
        history = uow.history.of_task(task.id)
        case = uow.tasks.of_case(task.case_id or task.id)
        since_previous = _since_previous(task, uow)
    return {**task_out(task), "snapshot": task.snapshot, "documents": _documents(task),
            "decision": decision and {
                "outcome": decision.outcome, "reasons": [r.as_dict() for r in decision.reasons],
                "reviewer_id": decision.reviewer_id, "decided_at": decision.decided_at, "final": decision.final,
                "confirmed_by": decision.confirmed_by},
            "history": [{"at": h.at, "actor_id": h.actor_id, "actor_role": h.actor_role, "action": h.action,
                         "detail": h.detail} for h in history],
            "case": [task_out(t) for t in case], "since_previous": since_previous,
            "patent_checks": _patent_checks(task, history), "amendment": _amendment(task)}
