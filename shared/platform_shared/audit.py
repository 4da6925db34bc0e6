"""The audit log's entries: who did what to which record, when and from where.

An entry is written through the unit of work (`uow.audit(...)`) inside the transaction of the
action it records, so an action and its entry commit together; reads of confidential data are
recorded the same way. The `Actor` is the caller as the edge knows it (account, role, client
address, request id): the web layer gives it to the unit of work of each request, and a handler
may name another actor (the account signing in, a system job).

Operators read each service's log through its `GET /api/v1/<service>/audit-log`: the filter
(`AuditFilter`), the entry as read (`LoggedEntry`) and the reader every unit of work has
(`uow.audit_entries`) are declared here once; `platform_shared.peewee_audit_log` reads the table
and `platform_shared.web.audit_log` serves it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from platform_shared.pages import Page, PageRequest


@dataclass(frozen=True)
class Actor:
    """Who acts: an account and its role (None for an anonymous caller or the platform itself),
    the client's address and the id of the request."""

    account_id: str | None = None
    role: str | None = None
    address: str | None = None
    request_id: str | None = None


SYSTEM = Actor()


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    action: str
    subject_type: str
    subject_id: str | None
    actor: Actor = SYSTEM
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditFilter:
    """Which entries an operator asks for; None is "any". `since` is inclusive, `until`
    exclusive (naive UTC, as stored)."""

    action: str | None = None
    actor_id: str | None = None
    subject_id: str | None = None
    subject_type: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None

    def admits(self, entry: LoggedEntry) -> bool:
        """Whether `entry` is one asked for (the rule the query states in SQL, for fakes)."""
        return all(wanted is None or getattr(entry, name) == wanted for name, wanted in
                   (("action", self.action), ("actor_id", self.actor_id), ("subject_id", self.subject_id),
                    ("subject_type", self.subject_type))) \
            and (self.since is None or entry.at >= self.since) and (self.until is None or entry.at < self.until)


@dataclass(frozen=True)
class LoggedEntry:
    """An entry of the audit log as operators read it (times naive UTC)."""

    id: int
    at: dt.datetime
    actor_id: str | None
    actor_role: str | None
    action: str
    subject_type: str
    subject_id: str | None
    address: str | None
    request_id: str | None
    detail: dict[str, Any]


class AuditLogReader(Protocol):
    """A service's audit log as operators read it (`uow.audit_entries`)."""

    def page(self, which: AuditFilter, request: PageRequest) -> Page[LoggedEntry]:
        """Newest first."""
