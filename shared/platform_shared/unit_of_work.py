"""The unit of work: one database transaction in which state changes and their events commit.

    with UnitOfWork(database, outbox, producer="identity", correlation_id=rid) as uow:
        Organisation.create(...)
        uow.publish("identity.organisation.registered", data, aggregate_id=org_id)

Leaving the block commits both the rows and the outbox entries, or neither (on an exception).
Inside a consumer's batch transaction it is a savepoint, so an event handler that publishes
follow-up events commits them with its own effects and its inbox row.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any

import peewee

from platform_shared.events.contracts import build_event
from platform_shared.events.envelope import Envelope
from platform_shared.messaging.outbox import OutboxRow, write_to_outbox


class UnitOfWork:
    def __init__(self, database: peewee.Database | peewee.DatabaseProxy, outbox: type[OutboxRow], *,
                 producer: str, correlation_id: str | None = None, causation_id: str | None = None):
        self.database = database
        self._outbox = outbox
        self.producer = producer
        self.correlation_id = correlation_id
        self.causation_id = causation_id
        self.published: list[Envelope] = []
        self._transaction: Any = None

    @classmethod
    def caused_by(cls, event: Envelope, database: peewee.Database | peewee.DatabaseProxy,
                  outbox: type[OutboxRow], producer: str) -> UnitOfWork:
        """A unit of work reacting to `event`: its events carry the same correlation id."""
        return cls(database, outbox, producer=producer, correlation_id=event.correlation_id,
                   causation_id=event.id)

    def __enter__(self) -> UnitOfWork:
        self._transaction = self.database.atomic()
        self._transaction.__enter__()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._transaction.__exit__(exc_type, exc, tb)
        self._transaction = None

    def publish(self, event_type: str, data: Mapping[str, Any], *, aggregate_id: str,
                aggregate_version: int = 1, version: int = 1) -> Envelope:
        """Check `data` against the event's contract and queue it with this transaction."""
        event = build_event(event_type, data, producer=self.producer, aggregate_id=aggregate_id,
                            aggregate_version=aggregate_version, version=version,
                            correlation_id=self.correlation_id, causation_id=self.causation_id)
        write_to_outbox(self._outbox, event)
        self.published.append(event)
        return event
