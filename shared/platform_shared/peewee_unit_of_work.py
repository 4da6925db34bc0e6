"""The unit of work on a peewee database: the service's tables in one transaction, its events
in the outbox table and its audit entries in the audit table, committed together.

A service's own unit of work inherits from this and from its abstract unit of work (which
names its repositories), and creates its peewee repositories in `__init__`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, Self

import peewee

from platform_shared.audit import AuditEntry
from platform_shared.errors import DuplicateRecord
from platform_shared.events.envelope import Envelope
from platform_shared.messaging.outbox import write_to_outbox
from platform_shared.messaging.signals import OUTBOX_COMMITS
from platform_shared.peewee_audit_log import PeeweeAuditLog
from platform_shared.savepoints import current_batch
from platform_shared.tables import ServiceTables, write_audit
from platform_shared.unit_of_work import UnitOfWork


class PeeweeUnitOfWork(UnitOfWork):
    def __init__(self, tables: ServiceTables, **context: Any) -> None:
        super().__init__(**context)
        self.tables = tables
        self.audit_entries = PeeweeAuditLog(tables.AuditLog)
        self._transactions: list[Any] = []
        self._wrote_events = False

    def reading(self) -> AbstractContextManager[Self]:
        """Without a transaction (each statement commits on its own: peewee runs in autocommit),
        on the request's connection; within an open transaction, part of it."""
        database = self.tables.database
        if database.in_transaction():
            return nullcontext(self)
        return self._connected(database)

    @contextmanager
    def _connected(self, database: Any) -> Iterator[Self]:
        if database.is_closed():
            with database.connection_context():
                yield self
        else:
            yield self

    def _begin(self) -> None:
        database = self.tables.database
        if current_batch() is not None and database.in_transaction():
            # Nested in a consumer's batch that is redone with savepoints if this block fails.
            self._transactions.append(None)
            return
        transaction = database.atomic()
        transaction.__enter__()
        self._transactions.append(transaction)

    def _commit(self) -> None:
        transaction = self._transactions.pop()
        if transaction is None:
            return  # part of the batch's transaction, which commits (and notifies) itself
        try:
            transaction.__exit__(None, None, None)
        except peewee.IntegrityError as exc:  # a deferred constraint, checked at commit
            raise DuplicateRecord(str(exc)) from exc
        if self._wrote_events and not self.tables.database.in_transaction():
            # Committed for good (not a savepoint, not inside a consumer's batch, which notifies
            # itself): a relay of this process may publish now.
            self._wrote_events = False
            OUTBOX_COMMITS.notify()

    def _rollback(self, exc: BaseException | None) -> None:
        transaction = self._transactions.pop()
        if transaction is None:
            batch = current_batch()
            if batch is not None:
                batch.tainted = True  # its writes are not undone alone: the batch is redone
        else:
            transaction.__exit__(type(exc), exc, None)
        if isinstance(exc, peewee.IntegrityError):
            # A unique key refused a write: another transaction was first. The handler decides
            # what that means in its domain.
            raise DuplicateRecord(str(exc)) from exc

    def _record_event(self, event: Envelope) -> None:
        write_to_outbox(self.tables.Outbox, event)
        self._wrote_events = True

    def _record_audit(self, entry: AuditEntry) -> None:
        write_audit(self.tables.AuditLog, entry)
