"""A service's audit table read as operators ask for it: filtered by action, actor, subject and
time, newest first, one page at a time. Every service reads its own table with this one query
(`PeeweeUnitOfWork.audit_entries`)."""

from __future__ import annotations

import json
from typing import Any

from platform_shared.audit import AuditFilter, LoggedEntry
from platform_shared.pages import Page, PageRequest
from platform_shared.peewee_queries import select_page
from platform_shared.tables import AuditRow


class PeeweeAuditLog:
    def __init__(self, table: type[AuditRow]) -> None:
        self.table = table

    def page(self, which: AuditFilter, request: PageRequest) -> Page[LoggedEntry]:
        Log = self.table
        selection = Log.select()
        for column, wanted in ((Log.action, which.action), (Log.actor_id, which.actor_id),
                               (Log.subject_id, which.subject_id), (Log.subject_type, which.subject_type)):
            if wanted is not None:
                selection = selection.where(column == wanted)
        if which.since is not None:
            selection = selection.where(Log.at >= which.since)
        if which.until is not None:
            selection = selection.where(Log.at < which.until)
        return select_page(selection, request, Log.at.desc(), Log.id.desc()).map(logged_entry)


def logged_entry(row: Any) -> LoggedEntry:
    """A row as operators read it (its detail parsed; a detail that is not JSON read as empty)."""
    try:
        detail = json.loads(row.detail or "{}")
    except ValueError:
        detail = {}
    return LoggedEntry(id=row.id, at=row.at, actor_id=row.actor_id, actor_role=row.actor_role, action=row.action,
                       subject_type=row.subject_type, subject_id=row.subject_id, address=row.address,
                       request_id=row.request_id, detail=detail if isinstance(detail, dict) else {"value": detail})
