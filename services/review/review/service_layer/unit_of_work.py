"""review's unit of work: one transaction over its repositories, its outbox and its audit log.

    with uow:
        task = uow.tasks.get(task_id)
        ...
        uow.publish("review.decision.made", data, aggregate_id=task.id, aggregate_version=2)

`adapters.repository.PeeweeReviewUnitOfWork` is the real one; the unit tests use a fake in memory.
"""

from __future__ import annotations

import abc

from platform_shared.unit_of_work import UnitOfWork
from review.service_layer.repositories import (
    DecisionRepository,
    EvidenceRepository,
    FiledProductRepository,
    HistoryRepository,
    ObjectionRepository,
    ResultRepository,
    RoundRepository,
    TaskRepository,
)


class ReviewUnitOfWork(UnitOfWork, abc.ABC):
    # The reviewers' queue.
    tasks: TaskRepository
    decisions: DecisionRepository
    history: HistoryRepository
    # Review's view of filed products, and recognition rounds with what they decided.
    filed_products: FiledProductRepository
    rounds: RoundRepository
    results: ResultRepository
    objections: ObjectionRepository
    evidence: EvidenceRepository
