"""review's schema history: the queue's tables, then recognition's, then the audit log."""

from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator, migrate

from platform_shared.database import is_postgres
from platform_shared.migrations import Migration, create_tables
from review.adapters.orm import AuditLog, Inbox, Outbox, ReviewTask, TaskDecision, TaskHistory
from review.adapters.recognition_tables import (
    FiledProduct,
    FiledProductOptIn,
    FiledProductRecognition,
    FiledProductYear,
    Objection,
    ObjectionEvidence,
    RecognitionRound,
    RoundBenchmark,
    RoundResult,
)

# Columns that version 3 gave review_task; version 2 creates the table from today's model, so a
# database made since has them already.
_QUEUE_COLUMNS = ("case_id", "previous_task_id", "claimed_by", "claimed_at", "claim_expires_at", "closed_at")


def _task_queue(db: peewee.Database) -> None:
    present = {column.name for column in db.get_columns("review_task")}
    # playhouse.migrate's stubs leave these unannotated.
    migrator = SchemaMigrator.from_database(db)
    migrate(*(migrator.add_column("review_task", name, getattr(ReviewTask, name))
              for name in _QUEUE_COLUMNS if name not in present))
    if is_postgres(db):  # `awaiting_confirmation` is longer than the first column allowed (SQLite has no limit)
        migrate(migrator.alter_column_type(
            "review_task", "state", peewee.CharField(max_length=24)))
    with db.bind_ctx([TaskDecision, TaskHistory]):
        db.create_tables([TaskDecision, TaskHistory], safe=False)


MIGRATIONS = [
    Migration(1, "outbox and inbox", create_tables(Outbox, Inbox)),
    Migration(2, "review tasks", create_tables(ReviewTask)),
    Migration(3, "claims, decisions and history of tasks", _task_queue),
    Migration(4, "review's view of filed products (from filing's events)",
              create_tables(FiledProduct, FiledProductYear, FiledProductOptIn, FiledProductRecognition)),
    Migration(5, "recognition rounds, benchmarks, results, objections and evidence",
              create_tables(RecognitionRound, RoundBenchmark, RoundResult, Objection, ObjectionEvidence)),
    Migration(6, "audit log of staff reads", create_tables(AuditLog)),
]
