"""The unit of work: one transaction in which state changes, their events and their audit
entries commit together, or none of them does.

    with uow:
        product = uow.products.get(product_id)
        ...
        uow.publish("filing.product.submitted", data, aggregate_id=product.id, aggregate_version=2)
        uow.audit("product.read", "product", product.id)

A service's unit of work adds its repositories to this base (its `service_layer` says which,
as an abstract class; its `adapters` implement it on peewee; its unit tests on dictionaries).
Leaving the outermost block commits; an exception rolls everything back. Blocks may nest: an
inner one is a savepoint of the outer (a consumer handles a batch of events in one transaction,
each handler in its own block).

Events are checked against their contract when they are published, not when they are relayed:
a handler cannot commit an event its consumers would refuse.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from types import TracebackType
from typing import Any, Self

from platform_shared.audit import SYSTEM, Actor, AuditEntry, AuditLogReader
from platform_shared.events.contracts import build_event
from platform_shared.events.envelope import Envelope
from platform_shared.moments import utcnow


class UnitOfWork(abc.ABC):
    """The transaction boundary of one handler; see the module's docstring."""

    # The service's audit log as operators read it (every service has one; the store provides it).
    audit_entries: AuditLogReader

    def __init__(self, *, producer: str, correlation_id: str | None = None, causation_id: str | None = None,
                 actor: Actor = SYSTEM) -> None:
        self.producer = producer
        self.correlation_id = correlation_id
        self.causation_id = causation_id
        self.actor = actor
        self.published: list[Envelope] = []

    def caused_by(self, event: Envelope) -> Self:
        """This unit of work, reacting to `event`: its events carry the event's correlation id."""
        self.correlation_id = event.correlation_id
        self.causation_id = event.id
        return self

    def __enter__(self) -> Self:
        self._begin()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self._commit()
        else:
            self._rollback(exc)

    def reading(self) -> AbstractContextManager[Self]:
        """A block that only reads, and need not read one snapshot (a check made again inside a
        transaction later): a store may run its statements each on its own, without the round
        trips of a transaction's begin and commit. It must not write, publish or audit. Here (a
        store without transactions): the block as it is."""
        return nullcontext(self)

    def publish(self, event_type: str, data: Mapping[str, Any], *, aggregate_id: str,
                aggregate_version: int = 1, version: int = 1) -> Envelope:
        """Check `data` against the event's contract and queue it with this transaction."""
        event = build_event(event_type, data, producer=self.producer, aggregate_id=aggregate_id,
                            aggregate_version=aggregate_version, version=version,
                            correlation_id=self.correlation_id, causation_id=self.causation_id)
        self._record_event(event)
        self.published.append(event)
        return event

    def audit(self, action: str, subject_type: str, subject_id: str | None,
              detail: Mapping[str, Any] | None = None, *, actor: Actor | None = None) -> AuditEntry:
        """Append an audit entry by this unit of work's actor (or `actor`), with this transaction."""
        entry = AuditEntry(at=utcnow(), action=action, subject_type=subject_type, subject_id=subject_id,
                           actor=actor or self.actor, detail=dict(detail or {}))
        self._record_audit(entry)
        return entry

    # --- what a store provides ------------------------------------------------------
    @abc.abstractmethod
    def _begin(self) -> None:
        """Open a transaction, or a savepoint inside the open one."""

    @abc.abstractmethod
    def _commit(self) -> None:
        """Commit what the matching `_begin` opened."""

    @abc.abstractmethod
    def _rollback(self, exc: BaseException | None) -> None:
        """Undo what the matching `_begin` opened; `exc` is what made the block fail.

        A store may raise `platform_shared.errors.DuplicateRecord` here instead of `exc` when
        its unique keys refused a write (another transaction was first)."""

    @abc.abstractmethod
    def _record_event(self, event: Envelope) -> None:
        """Keep `event` for publication with this transaction (the outbox)."""

    @abc.abstractmethod
    def _record_audit(self, entry: AuditEntry) -> None:
        """Keep `entry` with this transaction (the audit log)."""
