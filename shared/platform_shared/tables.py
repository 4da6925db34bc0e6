"""The tables every service has, declared once: its database proxy, the base of its models,
its outbox, inbox, audit log and deactivated accounts; and the column sets that recur across services (an uploaded
file's record, a year's figures).

    tables = ServiceTables()          # in the service's adapters/orm.py
    database, BaseModel = tables.database, tables.Model

    class Material(BaseModel, StoredFileColumns): ...

The proxy is bound to the real database at start (`ServiceRuntime.open`), never at import.
Each service gets its own model classes (several services share one process when embedded).
"""

from __future__ import annotations

import json

import peewee

from platform_shared.audit import AuditEntry
from platform_shared.auth.revocations import RevokedAccountRow, bind_revocations
from platform_shared.messaging.inbox import InboxRow, bind_inbox
from platform_shared.messaging.outbox import OutboxRow, bind_outbox


class AuditRow(peewee.Model):
    """One audit entry; append-only."""

    id = peewee.BigAutoField()
    at = peewee.DateTimeField(index=True)
    actor_id = peewee.CharField(max_length=36, null=True, index=True)
    actor_role = peewee.CharField(max_length=32, null=True)
    action = peewee.CharField(max_length=64, index=True)
    subject_type = peewee.CharField(max_length=32)
    subject_id = peewee.CharField(max_length=64, null=True, index=True)
    address = peewee.CharField(max_length=64, null=True)
    request_id = peewee.CharField(max_length=200, null=True)
    detail = peewee.TextField(default="{}")

    class Meta:
        table_name = "audit_log"


def bind_audit(database: peewee.Database | peewee.DatabaseProxy) -> type[AuditRow]:
    """The audit table bound to one service's database."""

    class AuditLog(AuditRow):
        class Meta:
            table_name = "audit_log"

    AuditLog._meta.set_database(database)
    return AuditLog


def write_audit(audit: type[AuditRow], entry: AuditEntry) -> None:
    """Append `entry` (inside the caller's transaction, if any)."""
    audit.insert(at=entry.at, actor_id=entry.actor.account_id, actor_role=entry.actor.role,
                 action=entry.action, subject_type=entry.subject_type, subject_id=entry.subject_id,
                 address=entry.actor.address, request_id=entry.actor.request_id,
                 detail=json.dumps(dict(entry.detail), ensure_ascii=False, sort_keys=True, default=str)).execute()


class ServiceTables:
    """One service's database proxy with its base model, outbox, inbox and audit tables, and the
    accounts identity deactivated (`auth.revocations`)."""

    def __init__(self) -> None:
        self.database = peewee.DatabaseProxy()

        class Model(peewee.Model):
            class Meta:
                database = self.database

        self.Model: type[peewee.Model] = Model
        self.Outbox: type[OutboxRow] = bind_outbox(self.database)
        self.Inbox: type[InboxRow] = bind_inbox(self.database)
        self.AuditLog: type[AuditRow] = bind_audit(self.database)
        self.RevokedAccount: type[RevokedAccountRow] = bind_revocations(self.database)


class StoredFileColumns(peewee.Model):
    """The columns every record of an uploaded file has: which bytes (by SHA-256, in the content
    store), what they are (sniffed), how large, who sent them and when. A service's table
    inherits them and adds whose file it is."""

    sha256 = peewee.CharField(max_length=64, index=True)
    media_type = peewee.CharField(max_length=64)
    size = peewee.BigIntegerField()
    # As the uploader named it: metadata only, never part of a path or a response header.
    original_name = peewee.CharField(max_length=255, null=True)
    uploaded_by = peewee.CharField(max_length=36)
    uploaded_at = peewee.DateTimeField()


class YearFiguresColumns(peewee.Model):
    """A year's economic figures of a product, money as whole fen (exact on every database):
    what `platform_shared.figures.YearFigures` holds."""

    year = peewee.IntegerField()
    sales_revenue_fen = peewee.BigIntegerField()
    sales_volume = peewee.BigIntegerField()
    export_revenue_fen = peewee.BigIntegerField(null=True)
    profit_fen = peewee.BigIntegerField(null=True)
    ip_investment_fen = peewee.BigIntegerField(null=True)
