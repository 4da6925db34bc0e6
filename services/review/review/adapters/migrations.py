"""review's schema history: the queue's tables, then recognition's, then the audit log."""

from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator, migrate

from platform_shared.database import is_postgres
from platform_shared.migrations import Migration, create_tables
from review.adapters.orm import AuditLog, Inbox, Outbox, ReviewTask, TaskDecision, TaskHistory, tables
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


_CLOSING_COLUMNS = ("closed_at", "close_reason", "year_under_way")


def _one_round_under_way_per_year(db: peewee.Database) -> None:
    # Version 5 creates recognition_round from today's model, so a database made since has them.
    present = {column.name for column in db.get_columns("recognition_round")}
    missing = [name for name in _CLOSING_COLUMNS if name not in present]
    if not missing:
        return
    migrator = SchemaMigrator.from_database(db)
    # add_column also makes year_under_way's unique index (all NULL until the lines below).
    migrate(*(migrator.add_column("recognition_round", name, getattr(RecognitionRound, name)) for name in missing))
    # The newest round under way of each year holds the year; older ones (the fault this fixes
    # let them be opened) stay as they are, for an operator to close.
    rows = db.execute_sql("SELECT id, year FROM recognition_round WHERE state IN ('open', 'evaluated', 'published') "
                          "ORDER BY created_at DESC").fetchall()
    held: set[int] = set()
    for round_id, year in rows:
        if year not in held:
            held.add(year)
            db.execute_sql("UPDATE recognition_round SET year_under_way = %s WHERE id = %s"
                           .replace("%s", db.param), (year, round_id))


def _objections_owned(db: peewee.Database) -> None:
    # Version 5 creates recognition_objection from today's model, so a database made since has it.
    if "owner" in {column.name for column in db.get_columns("recognition_objection")}:
        return
    migrator = SchemaMigrator.from_database(db)
    migrate(migrator.add_column("recognition_objection", "owner", Objection.owner),
            migrator.add_index("recognition_objection", ("round_id", "owner", "state"), False))
    # Who raised an objection before is known by account only: it counts against that account.
    db.execute_sql("UPDATE recognition_objection SET owner = 'account:' || raised_by")


def _objection_owners_fit(db: peewee.Database) -> None:
    # Version 8 made the column 48 characters long, one short of `organisation:` and a UUID:
    # PostgreSQL refused every objection raised by an organisation (SQLite has no limit).
    if is_postgres(db):
        migrator = SchemaMigrator.from_database(db)
        migrate(migrator.alter_column_type("recognition_objection", "owner", peewee.CharField(max_length=64)))


def _amendments(db: peewee.Database) -> None:
    # Version 4 creates filed_product from today's model, so a database made since has it.
    if "edition" not in {column.name for column in db.get_columns("filed_product")}:
        migrate(SchemaMigrator.from_database(db).add_column("filed_product", "edition", FiledProduct.edition))
    # A task's kind was 16 characters long, one short of `product_amendment` (SQLite has no limit).
    if is_postgres(db):
        migrate(SchemaMigrator.from_database(db).alter_column_type("review_task", "kind",
                                                                   peewee.CharField(max_length=32)))


MIGRATIONS = [
    Migration(1, "outbox and inbox", create_tables(Outbox, Inbox)),
    Migration(2, "review tasks", create_tables(ReviewTask)),
    Migration(3, "claims, decisions and history of tasks", _task_queue),
    Migration(4, "review's view of filed products (from filing's events)",
              create_tables(FiledProduct, FiledProductYear, FiledProductOptIn, FiledProductRecognition)),
    Migration(5, "recognition rounds, benchmarks, results, objections and evidence",
              create_tables(RecognitionRound, RoundBenchmark, RoundResult, Objection, ObjectionEvidence)),
    Migration(6, "audit log of staff reads", create_tables(AuditLog)),
    Migration(7, "recognition rounds closed by operators; one round under way per year", _one_round_under_way_per_year),
    Migration(8, "objections name whose quotas they count against", _objections_owned),
    Migration(9, "accounts identity deactivated (their tokens refused)", create_tables(tables.RevokedAccount)),
    Migration(10, "objections' owners as long as an organisation's key", _objection_owners_fit),
    Migration(12, "amendments: filed products' edition of their patents, task kinds up to 32 characters",
              _amendments),
]
