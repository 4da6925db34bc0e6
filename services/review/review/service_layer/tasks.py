"""Making review tasks from events and telling the platform a case is waiting."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from platform_shared.events.envelope import Envelope
from platform_shared.unit_of_work import UnitOfWork
from review.adapters.orm import ReviewTask
from review.domain.tasks import organisation_task_title


def on_verification_requested(event: Envelope, uow: UnitOfWork) -> None:
    """An organisation asks to be verified: open an organisation task with a snapshot."""
    data = event.data
    now = dt.datetime.now(dt.UTC)
    task = ReviewTask.create(
        id=str(uuid.uuid4()), kind="organisation", subject_id=data["organisation_id"],
        title=organisation_task_title(data["name"], data["uscc"]), state="open",
        snapshot=json.dumps(dict(data), ensure_ascii=False), source_event_id=event.id,
        created_at=now.replace(tzinfo=None))
    uow.publish("review.task.created", {
        "task_id": task.id, "kind": task.kind, "subject_id": task.subject_id, "title": task.title,
        "created_at": now.isoformat()}, aggregate_id=task.id)
