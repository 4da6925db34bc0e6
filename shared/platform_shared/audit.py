"""The audit log: who did what to which record, when and from where; append-only.

A service binds `AuditRow` to its database (`bind_audit`) and writes entries with `record()`
inside the transaction of the action it records, so an action and its audit entry commit
together. Reads of confidential data are recorded the same way. `web.audit.audit_request`
fills in the caller, address and request id from the current HTTP request.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import peewee


class AuditRow(peewee.Model):
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
    class AuditLog(AuditRow):
        class Meta:
            table_name = "audit_log"

    AuditLog._meta.set_database(database)
    return AuditLog


def record(audit: type[AuditRow], *, action: str, subject_type: str, subject_id: str | None,
           actor_id: str | None = None, actor_role: str | None = None, address: str | None = None,
           request_id: str | None = None, detail: dict[str, Any] | None = None) -> None:
    """Append one entry (inside the caller's transaction, if any)."""
    audit.insert(at=dt.datetime.now(dt.UTC).replace(tzinfo=None), actor_id=actor_id, actor_role=actor_role,
                 action=action, subject_type=subject_type, subject_id=subject_id, address=address,
                 request_id=request_id,
                 detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)).execute()
