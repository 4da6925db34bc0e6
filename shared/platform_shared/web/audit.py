"""Audit entries for the current HTTP request: the caller, its address and the request id."""

from __future__ import annotations

from typing import Any

from flask import g, request

from platform_shared.audit import AuditRow, record


def audit_request(audit: type[AuditRow], action: str, subject_type: str, subject_id: str | None,
                  detail: dict[str, Any] | None = None, *, actor_id: str | None = None,
                  actor_role: str | None = None) -> None:
    """Record `action` by the signed-in caller (or the given actor, e.g. at sign-in)."""
    principal = g.get("principal")
    record(audit, action=action, subject_type=subject_type, subject_id=subject_id,
           actor_id=actor_id or (principal.account_id if principal else None),
           actor_role=actor_role or (principal.role if principal else None),
           address=request.remote_addr, request_id=g.get("request_id"), detail=detail)
