"""The audit log's entries: who did what to which record, when and from where.

An entry is written through the unit of work (`uow.audit(...)`) inside the transaction of the
action it records, so an action and its entry commit together; reads of confidential data are
recorded the same way. The `Actor` is the caller as the edge knows it (account, role, client
address, request id): the web layer gives it to the unit of work of each request, and a handler
may name another actor (the account signing in, a system job).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


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
