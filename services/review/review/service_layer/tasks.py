"""Making review tasks from events: an organisation's verification request, a product's
submission (a resubmission after a return reopens the same case as a new task linked to the
earlier decision), and cancelling the open task when a submission is withdrawn.

Each task keeps a snapshot of what was submitted, so the decision is made on that, even if the
enterprise changes its draft later. A repeated event makes nothing twice (the inbox, and the
unique source event id).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from platform_shared.events.envelope import Envelope
from platform_shared.moments import utcnow
from review.domain.tasks import (
    PENDING,
    HistoryEntry,
    ReviewTask,
    amendment_task_title,
    organisation_change_task_title,
    organisation_task_title,
    product_task_title,
)
from review.service_layer.unit_of_work import ReviewUnitOfWork

log = logging.getLogger(__name__)


def _open_task(event: Envelope, uow: ReviewUnitOfWork, kind: str, subject_id: str, title: str,
               previous: ReviewTask | None) -> ReviewTask:
    now = utcnow()
    task_id = str(uuid.uuid4())
    task = ReviewTask(id=task_id, kind=kind, subject_id=subject_id, title=title, snapshot=dict(event.data),
                      source_event_id=event.id, created_at=now,
                      case_id=(previous.case_id or previous.id) if previous else task_id,
                      previous_task_id=previous.id if previous else None)
    uow.tasks.add(task)
    uow.history.add(HistoryEntry(task.id, now, "created", detail={
        "event_id": event.id, "event_type": event.type, "previous_task_id": task.previous_task_id}))
    uow.publish("review.task.created", {
        "task_id": task.id, "kind": kind, "subject_id": subject_id, "title": title,
        "created_at": now.replace(tzinfo=dt.UTC).isoformat()}, aggregate_id=task.id)
    return task


def on_verification_requested(event: Envelope, uow: ReviewUnitOfWork) -> None:
    """An organisation asks to be verified: open an organisation task with a snapshot."""
    data = event.data
    previous = uow.tasks.latest("organisation", data["organisation_id"])
    _open_task(event, uow, "organisation", data["organisation_id"], organisation_task_title(data["name"], data["uscc"]),
               previous)


def on_change_requested(event: Envelope, uow: ReviewUnitOfWork) -> None:
    """A verified organisation asks to change its name or legal representative: open an
    `org_change` task on the organisation, its snapshot each field before and after."""
    data = event.data
    previous = uow.tasks.latest("org_change", data["organisation_id"])
    _open_task(event, uow, "org_change", data["organisation_id"],
               organisation_change_task_title(data["name"], data["uscc"]), previous)


def on_product_submitted(event: Envelope, uow: ReviewUnitOfWork) -> None:
    """A product was submitted (or resubmitted after a return): open a product task."""
    data = event.data
    previous = uow.tasks.latest("product", data["product_id"])
    if previous is not None and previous.state in PENDING:
        log.warning("product %s submitted again while task %s is %s: the earlier task is cancelled",
                    data["product_id"], previous.id, previous.state)
        _cancel(previous, "superseded by a new submission", event.id, uow)
    title = product_task_title(data["name"], data["brand"], data["model"], data.get("submission", 1))
    _open_task(event, uow, "product", data["product_id"], title, previous)


def on_product_withdrawn(event: Envelope, uow: ReviewUnitOfWork) -> None:
    """The enterprise took its submission back: the pending task is cancelled."""
    for task in uow.tasks.pending("product", event.data["product_id"]):
        _cancel(task, "the submission was withdrawn", event.id, uow)


def on_amendment_submitted(event: Envelope, uow: ReviewUnitOfWork) -> None:
    """An amendment of a filed product was submitted (or again after a return): a task of kind
    `product_amendment` on the amendment, with the amended declaration and the lists before."""
    data = event.data
    previous = uow.tasks.latest("product_amendment", data["amendment_id"])
    if previous is not None and previous.state in PENDING:
        _cancel(previous, "superseded by a new submission", event.id, uow)
    title = amendment_task_title(data["name"], data["brand"], data["model"], data["filing_number"],
                                 data.get("submission", 1))
    _open_task(event, uow, "product_amendment", data["amendment_id"], title, previous)


def on_amendment_withdrawn(event: Envelope, uow: ReviewUnitOfWork) -> None:
    for task in uow.tasks.pending("product_amendment", event.data["amendment_id"]):
        _cancel(task, "the amendment was withdrawn", event.id, uow)


def _cancel(task: ReviewTask, reason: str, event_id: str, uow: ReviewUnitOfWork) -> None:
    now = utcnow()
    task.cancel(now)
    uow.tasks.save(task)
    uow.history.add(HistoryEntry(task.id, now, "cancelled", detail={"reason": reason, "event_id": event_id}))
