"""The queue's length and its oldest task's age, per kind of task, as Prometheus gauges."""

from __future__ import annotations

import datetime as dt

import peewee

from platform_shared.observability import metrics
from review.adapters.orm import ReviewTask
from review.domain.tasks import PENDING, TASK_KINDS


def measure_queue(service: str = "review") -> dict[str, tuple[int, float]]:
    """(waiting tasks, age of the oldest in seconds) per kind; the gauges are set to them."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = (ReviewTask.select(ReviewTask.kind, peewee.fn.COUNT(ReviewTask.id).alias("waiting"),
                              peewee.fn.MIN(ReviewTask.created_at).alias("oldest"))
            .where(ReviewTask.state.in_(PENDING)).group_by(ReviewTask.kind).dicts())
    figures = dict.fromkeys(TASK_KINDS, (0, 0.0))
    for row in rows:
        oldest = row["oldest"]
        if isinstance(oldest, str):  # SQLite hands an aggregate back as text
            oldest = dt.datetime.fromisoformat(oldest)
        figures[row["kind"]] = (row["waiting"], max(0.0, (now - oldest).total_seconds()))
    for kind, (waiting, age) in figures.items():
        metrics.REVIEW_QUEUE_LENGTH.labels(service, kind).set(waiting)
        metrics.REVIEW_QUEUE_OLDEST.labels(service, kind).set(age)
    return figures
