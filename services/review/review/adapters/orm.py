"""review's tables (peewee): the outbox, inbox and audit log every service has, review tasks with
their claims, the decisions made on them, and each task's history (who did what, when).

The tables of recognition are in `recognition_tables`; both bind to `tables.database`, which
the runtime opens when the service starts.
"""

from __future__ import annotations

import peewee

from platform_shared.tables import ServiceTables

tables = ServiceTables()
database = tables.database
Outbox = tables.Outbox
Inbox = tables.Inbox
# Staff reads of confidential figures (a round's indicator values come from declared revenue).
AuditLog = tables.AuditLog


class ReviewTable(peewee.Model):
    """The base of review's own tables: `tables.Model`, spelt as a class a type checker can
    follow (it cannot take a base class made at run time)."""

    class Meta:
        database = tables.database


class ReviewTask(ReviewTable):
    id = peewee.CharField(primary_key=True, max_length=36)
    # organisation, product, product_amendment (17 characters: migration 12 widened it from 16)
    kind = peewee.CharField(max_length=32, index=True)
    subject_id = peewee.CharField(max_length=36, index=True)
    title = peewee.CharField(max_length=200)
    state = peewee.CharField(max_length=24, default="open", index=True)
    # What the reviewer decides on: the data as submitted, frozen when the task was made (JSON).
    snapshot = peewee.TextField()
    source_event_id = peewee.CharField(max_length=36, unique=True)
    created_at = peewee.DateTimeField(index=True)
    case_id = peewee.CharField(max_length=36, null=True, index=True)
    previous_task_id = peewee.CharField(max_length=36, null=True)
    claimed_by = peewee.CharField(max_length=36, null=True, index=True)
    claimed_at = peewee.DateTimeField(null=True)
    claim_expires_at = peewee.DateTimeField(null=True)
    closed_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "review_task"


class TaskDecision(ReviewTable):
    """The decision on a task: proposed (awaiting a second reviewer) or final."""

    task = peewee.ForeignKeyField(ReviewTask, primary_key=True, backref="decision", column_name="task_id")
    outcome = peewee.CharField(max_length=16)
    reasons = peewee.TextField(default="[]")  # JSON [{field, message}]
    reviewer_id = peewee.CharField(max_length=36)
    decided_at = peewee.DateTimeField()
    confirmed_by = peewee.CharField(max_length=36, null=True)
    final = peewee.BooleanField(default=False)

    class Meta:
        table_name = "task_decision"


class TaskHistory(ReviewTable):
    id = peewee.AutoField()
    task = peewee.ForeignKeyField(ReviewTask, backref="history", column_name="task_id", index=True)
    at = peewee.DateTimeField()
    actor_id = peewee.CharField(max_length=36, null=True)
    actor_role = peewee.CharField(max_length=32, null=True)
    action = peewee.CharField(max_length=32)
    detail = peewee.TextField(default="{}")  # JSON

    class Meta:
        table_name = "task_history"
