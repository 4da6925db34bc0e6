"""Fakes of the storage side, for unit tests of handlers: a unit of work in memory.

A service's fake unit of work inherits `FakeUnitOfWork` and sets its repositories (each a
`FakeRepository`, or any object with `snapshot()`/`restore()`) in `__init__`. It behaves as the
real one where a handler could tell the difference:

- leaving the outermost block commits (`commits` counts them); an exception rolls back every
  repository, event and audit entry of the block (also of a nested block: a savepoint);
- events are checked against their contracts when published (the base class does it) and may only
  be published inside a block, as the outbox demands;
- `events` and `audit_log` hold what committed, in order.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from platform_shared.audit import AuditEntry, AuditFilter, LoggedEntry
from platform_shared.events.envelope import Envelope
from platform_shared.messaging.outbox import NotInTransaction
from platform_shared.pages import Page, PageRequest, page_in_memory
from platform_shared.unit_of_work import UnitOfWork

T = TypeVar("T")


class FakeRepository(Generic[T]):
    """Items by key in a dict; its state can be snapshotted and restored (rollback)."""

    def __init__(self) -> None:
        self.items: dict[Any, T] = {}

    def snapshot(self) -> Any:
        return copy.deepcopy(self.__dict__)

    def restore(self, snapshot: Any) -> None:
        self.__dict__.clear()
        self.__dict__.update(snapshot)

    def __iter__(self) -> Iterator[T]:
        return iter(list(self.items.values()))

    def __len__(self) -> int:
        return len(self.items)


class FakeAuditLog:
    """Reads what the fake unit of work's audit log holds (committed entries), as
    `platform_shared.peewee_audit_log` reads the table."""

    def __init__(self, entries: list[AuditEntry]) -> None:
        self.entries = entries

    def page(self, which: AuditFilter, request: PageRequest) -> Page[LoggedEntry]:
        logged = [LoggedEntry(id=number, at=e.at, actor_id=e.actor.account_id, actor_role=e.actor.role,
                              action=e.action, subject_type=e.subject_type, subject_id=e.subject_id,
                              address=e.actor.address, request_id=e.actor.request_id, detail=dict(e.detail))
                  for number, e in enumerate(self.entries, start=1)]
        chosen = [e for e in logged if which.admits(e)]
        return page_in_memory(sorted(chosen, key=lambda e: (e.at, e.id), reverse=True), request)


class FakeUnitOfWork(UnitOfWork):
    def __init__(self, producer: str = "fake", **context: Any) -> None:
        super().__init__(producer=producer, **context)
        self.events: list[Envelope] = []
        self.audit_log: list[AuditEntry] = []
        self.audit_entries = FakeAuditLog(self.audit_log)
        self.commits = 0
        self._savepoints: list[tuple[dict[str, Any], int, int]] = []

    def repositories(self) -> dict[str, Any]:
        return {name: value for name, value in vars(self).items()
                if callable(getattr(value, "snapshot", None)) and callable(getattr(value, "restore", None))}

    def _begin(self) -> None:
        snapshots = {name: repository.snapshot() for name, repository in self.repositories().items()}
        self._savepoints.append((snapshots, len(self.events), len(self.audit_log)))

    def _commit(self) -> None:
        self._savepoints.pop()
        if not self._savepoints:
            self.commits += 1

    def _rollback(self, exc: BaseException | None) -> None:
        snapshots, events, entries = self._savepoints.pop()
        repositories = self.repositories()
        for name, snapshot in snapshots.items():
            repositories[name].restore(snapshot)
        del self.events[events:]
        del self.audit_log[entries:]

    def _record_event(self, event: Envelope) -> None:
        if not self._savepoints:
            raise NotInTransaction(f"{event.type} published outside a unit of work's block")
        self.events.append(event)

    def _record_audit(self, entry: AuditEntry) -> None:
        self.audit_log.append(entry)

    # --- what tests ask ----------------------------------------------------------------
    def event_types(self) -> list[str]:
        return [event.type for event in self.events]

    def events_of(self, event_type: str) -> list[Envelope]:
        return [event for event in self.events if event.type == event_type]

    def audit_actions(self) -> list[str]:
        return [entry.action for entry in self.audit_log]
