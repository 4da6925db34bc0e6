"""Audit entries for the current HTTP request: the caller, its address and the request id."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from platform_shared.audit import AuditEntry
from platform_shared.moments import utcnow
from platform_shared.tables import AuditRow, write_audit
from platform_shared.web.context import current_actor


def audit_request(audit: type[AuditRow], action: str, subject_type: str, subject_id: str | None,
                  detail: dict[str, Any] | None = None, *, actor_id: str | None = None,
                  actor_role: str | None = None) -> None:
    """Record `action` by the signed-in caller (or the given actor, e.g. at sign-in)."""
    actor = current_actor()
    if actor_id or actor_role:
        actor = replace(actor, account_id=actor_id or actor.account_id, role=actor_role or actor.role)
    write_audit(audit, AuditEntry(at=utcnow(), action=action, subject_type=subject_type, subject_id=subject_id,
                                  actor=actor, detail=detail or {}))
