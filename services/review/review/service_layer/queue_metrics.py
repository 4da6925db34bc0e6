"""The queue's length and its oldest task's age, per kind of task, as Prometheus gauges."""

from __future__ import annotations

from platform_shared.moments import utcnow
from platform_shared.observability import metrics
from review.domain.tasks import TASK_KINDS
from review.service_layer.unit_of_work import ReviewUnitOfWork


def measure_queue(uow: ReviewUnitOfWork, service: str = "review") -> dict[str, tuple[int, float]]:
    """(waiting tasks, age of the oldest in seconds) per kind; the gauges are set to them."""
    now = utcnow()
    with uow:
        waiting = uow.tasks.waiting()
    figures = dict.fromkeys(TASK_KINDS, (0, 0.0))
    for kind, (count, oldest) in waiting.items():
        figures[kind] = (count, max(0.0, (now - oldest).total_seconds()))
    for kind, (count, age) in figures.items():
        metrics.REVIEW_QUEUE_LENGTH.labels(service, kind).set(count)
        metrics.REVIEW_QUEUE_OLDEST.labels(service, kind).set(age)
    return figures
