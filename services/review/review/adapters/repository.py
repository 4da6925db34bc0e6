"""review's repositories on peewee, and its unit of work that owns them.

The queue's repositories are here; those of review's view of filed products and of recognition
rounds are in `filed_product_repository` and `round_repository`. Each maps rows to the domain's
objects and back; JSON columns (a task's snapshot, a decision's reasons, history details) are
read and written here only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, cast

import peewee

from platform_shared.pages import Page, PageRequest
from platform_shared.peewee_queries import delete_from, locked_row, select_page
from platform_shared.peewee_unit_of_work import PeeweeUnitOfWork
from platform_shared.tables import ServiceTables
from review.adapters import orm
from review.adapters.filed_product_repository import PeeweeFiledProductRepository
from review.adapters.round_repository import (
    PeeweeEvidenceRepository,
    PeeweeObjectionRepository,
    PeeweeResultRepository,
    PeeweeRoundRepository,
)
from review.domain.tasks import PENDING, DecisionReason, HistoryEntry, ReviewTask, TaskDecision
from review.service_layer.repositories import TaskFilter
from review.service_layer.unit_of_work import ReviewUnitOfWork

Task = orm.ReviewTask


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _task(row: orm.ReviewTask) -> ReviewTask:
    return ReviewTask(id=row.id, kind=row.kind, subject_id=row.subject_id, title=row.title,
                      snapshot=json.loads(row.snapshot), source_event_id=row.source_event_id,
                      created_at=row.created_at, state=row.state, case_id=row.case_id,
                      previous_task_id=row.previous_task_id, claimed_by=row.claimed_by, claimed_at=row.claimed_at,
                      claim_expires_at=row.claim_expires_at, closed_at=row.closed_at)


def _tasks(selection: peewee.ModelSelect[orm.ReviewTask]) -> list[ReviewTask]:
    return [_task(row) for row in selection]


class PeeweeTaskRepository:
    def add(self, task: ReviewTask) -> None:
        Task.insert(id=task.id, kind=task.kind, subject_id=task.subject_id, title=task.title, state=task.state,
                    snapshot=_json(task.snapshot), source_event_id=task.source_event_id, created_at=task.created_at,
                    case_id=task.case_id, previous_task_id=task.previous_task_id, claimed_by=task.claimed_by,
                    claimed_at=task.claimed_at, claim_expires_at=task.claim_expires_at,
                    closed_at=task.closed_at).execute()

    def get(self, task_id: str) -> ReviewTask | None:
        row = Task.get_or_none(Task.id == task_id)
        return None if row is None else _task(row)

    def get_for_change(self, task_id: str) -> ReviewTask | None:
        row = locked_row(Task, task_id)  # read and locked in one statement
        return None if row is None else _task(row)

    def save(self, task: ReviewTask) -> None:
        Task.update(state=task.state, claimed_by=task.claimed_by, claimed_at=task.claimed_at,
                    claim_expires_at=task.claim_expires_at, closed_at=task.closed_at) \
            .where(Task.id == task.id).execute()

    def claim(self, task_id: str, reviewer_id: str, now: dt.datetime, until: dt.datetime) -> bool:
        # One conditional UPDATE (`ReviewTask.claimable_by` in SQL): of two concurrent claims, the
        # second waits for the first to commit and then finds the condition false.
        taken: int = (Task.update(state="claimed", claimed_by=reviewer_id, claimed_at=now, claim_expires_at=until)
                      .where((Task.id == task_id)
                             & ((Task.state == "open")
                                | ((Task.state == "claimed")
                                   & ((Task.claim_expires_at <= now) | (Task.claimed_by == reviewer_id)))))
                      .execute())
        return taken == 1

    def latest(self, kind: str, subject_id: str) -> ReviewTask | None:
        row: orm.ReviewTask | None = (Task.select().where((Task.kind == kind) & (Task.subject_id == subject_id))
                                      .order_by(Task.created_at.desc(), Task.id.desc()).first())
        return None if row is None else _task(row)

    def pending(self, kind: str, subject_id: str) -> list[ReviewTask]:
        return _tasks(Task.select().where((Task.kind == kind) & (Task.subject_id == subject_id)
                                          & Task.state.in_(PENDING)).order_by(Task.created_at, Task.id))

    def of_case(self, case_id: str) -> list[ReviewTask]:
        return _tasks(Task.select().where(Task.case_id == case_id).order_by(Task.created_at, Task.id))

    def page(self, which: TaskFilter, request: PageRequest) -> Page[ReviewTask]:
        selection = Task.select()
        for column, wanted in ((Task.kind, which.kind), (Task.state, which.state),
                               (Task.subject_id, which.subject_id), (Task.claimed_by, which.claimed_by)):
            if wanted:
                selection = selection.where(column == wanted)
        return select_page(selection, request, Task.created_at, Task.id).map(_task)

    def waiting(self) -> dict[str, tuple[int, dt.datetime]]:
        # peewee's stubs type a `.dicts()` query as the model's own select: say what it yields.
        rows = cast(Iterable[dict[str, Any]], Task.select(
            Task.kind, peewee.fn.COUNT(Task.id).alias("waiting"), peewee.fn.MIN(Task.created_at).alias("oldest"))
            .where(Task.state.in_(PENDING)).group_by(Task.kind).dicts())
        waiting: dict[str, tuple[int, dt.datetime]] = {}
        for row in rows:
            oldest = row["oldest"]
            if isinstance(oldest, str):  # SQLite hands an aggregate back as text
                oldest = dt.datetime.fromisoformat(oldest)
            waiting[row["kind"]] = (row["waiting"], oldest)
        return waiting


class PeeweeDecisionRepository:
    def add(self, decision: TaskDecision) -> None:
        orm.TaskDecision.insert(task=decision.task_id, outcome=decision.outcome,
                                reasons=_json([r.as_dict() for r in decision.reasons]),
                                reviewer_id=decision.reviewer_id, decided_at=decision.decided_at,
                                confirmed_by=decision.confirmed_by, final=decision.final).execute()

    def get(self, task_id: str) -> TaskDecision | None:
        row = orm.TaskDecision.get_or_none(orm.TaskDecision.task == task_id)
        if row is None:
            return None
        reasons = tuple(DecisionReason(r["field"], r["message"]) for r in json.loads(row.reasons))
        return TaskDecision(task_id, row.outcome, reasons, row.reviewer_id, row.decided_at, row.final,
                            row.confirmed_by)

    def save(self, decision: TaskDecision) -> None:
        orm.TaskDecision.update(confirmed_by=decision.confirmed_by, final=decision.final) \
            .where(orm.TaskDecision.task == decision.task_id).execute()

    def remove(self, task_id: str) -> None:
        delete_from(orm.TaskDecision).where(orm.TaskDecision.task == task_id).execute()


class PeeweeHistoryRepository:
    def add(self, entry: HistoryEntry) -> None:
        orm.TaskHistory.insert(task=entry.task_id, at=entry.at, actor_id=entry.actor_id, actor_role=entry.actor_role,
                               action=entry.action, detail=_json(entry.detail)).execute()

    def of_task(self, task_id: str) -> list[HistoryEntry]:
        History = orm.TaskHistory
        return [HistoryEntry(task_id, h.at, h.action, h.actor_id, h.actor_role, json.loads(h.detail))
                for h in History.select().where(History.task == task_id).order_by(History.at, History.id)]


class PeeweeReviewUnitOfWork(PeeweeUnitOfWork, ReviewUnitOfWork):
    """review's unit of work on its database (`ServiceDefinition.unit_of_work`)."""

    def __init__(self, tables: ServiceTables, **context: Any) -> None:
        super().__init__(tables, **context)
        self.tasks = PeeweeTaskRepository()
        self.decisions = PeeweeDecisionRepository()
        self.history = PeeweeHistoryRepository()
        self.filed_products = PeeweeFiledProductRepository()
        self.rounds = PeeweeRoundRepository()
        self.results = PeeweeResultRepository()
        self.objections = PeeweeObjectionRepository()
        self.evidence = PeeweeEvidenceRepository()
