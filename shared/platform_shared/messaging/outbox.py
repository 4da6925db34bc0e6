"""The transactional outbox: events written with the state change, published later by a relay.

`write_to_outbox()` must be called inside the caller's open database transaction; the event
row then commits or rolls back with the state change it describes. `OutboxRelay` publishes
pending rows in order, in batches, with publisher confirms, and marks them sent only after the
broker confirmed them.

Secrets: a payload field its contract marks `secret` (a one-time link) is replaced in the row by
"[redacted]" once the broker confirmed the event, so no usable token stays in the database.

Guarantees: an event whose transaction committed is published at least once (a relay killed
between the broker's confirm and the mark publishes the batch again; consumers drop
duplicates by event id). On PostgreSQL several relay replicas are safe: each batch is taken
with `FOR UPDATE SKIP LOCKED`, so two relays never publish the same pending row at the same
time. On SQLite (embedded default) run one relay per database.

Waking: a relay in the same process as the writers (the embedded default) need not poll: every
commit that wrote outbox rows calls `OUTBOX_COMMITS.notify()` (`messaging.signals`), and the
relay waits for the next one (`wait_after`) with a long timeout. A relay of its own
(deployment) polls on its short timeout, as no commit of its process ever notifies it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import peewee

from platform_shared.database import is_postgres
from platform_shared.events.contracts import without_secrets
from platform_shared.events.envelope import Envelope
from platform_shared.messaging.publisher import ConfirmedPublisher, OutgoingMessage
from platform_shared.moments import utcnow
from platform_shared.observability import metrics

log = logging.getLogger(__name__)




class OutboxRow(peewee.Model):
    """One event waiting to be (or already) published. Services bind it to their database."""

    id = peewee.BigAutoField()
    event_id = peewee.CharField(max_length=36, unique=True)
    type = peewee.CharField(max_length=128)
    correlation_id = peewee.CharField(max_length=200, null=True)
    body = peewee.TextField()
    created_at = peewee.DateTimeField(index=True)
    published_at = peewee.DateTimeField(null=True, index=True)

    class Meta:
        table_name = "outbox"


def bind_outbox(database: peewee.Database | peewee.DatabaseProxy) -> type[OutboxRow]:
    """The outbox model bound to one service's database (several services share a process)."""

    class Outbox(OutboxRow):
        class Meta:
            table_name = "outbox"

    Outbox._meta.set_database(database)
    return Outbox



class NotInTransaction(RuntimeError):
    """An event was published outside a transaction: it could be lost or orphaned."""


def write_to_outbox(outbox: type[OutboxRow], event: Envelope) -> None:
    """Record `event` for publication, as part of the caller's open transaction."""
    if not outbox._meta.database.in_transaction():
        raise NotInTransaction(f"{event.type} published outside a database transaction")
    outbox.insert(
        event_id=event.id,
        type=event.type,
        correlation_id=event.correlation_id,
        body=event.to_json(),
        created_at=utcnow(),
    ).execute()


class OutboxRelay:
    """Moves committed outbox rows to the broker; one `relay_once()` is one batch."""

    def __init__(self, outbox: type[OutboxRow], publisher_factory: Callable[[], ConfirmedPublisher],
                 service: str, batch_size: int = 500):
        self._outbox = outbox
        self._database = outbox._meta.database
        self._publisher_factory = publisher_factory
        self._publisher: ConfirmedPublisher | None = None
        self._service = service
        self._batch_size = batch_size

    @property
    def publisher(self) -> ConfirmedPublisher:
        if self._publisher is None:
            self._publisher = self._publisher_factory()
        return self._publisher

    def drop_publisher(self) -> None:
        """Give up the publisher and its connection (after a broker error); the next batch
        opens a new one."""
        if self._publisher is not None:
            self._publisher.close()
        self._publisher = None

    def _pending(self) -> peewee.ModelSelect[OutboxRow]:
        outbox = self._outbox
        return (outbox.select(outbox.id, outbox.event_id, outbox.type, outbox.correlation_id, outbox.body)
                .where(outbox.published_at.is_null())
                .order_by(outbox.id)
                .limit(self._batch_size))

    def _publish(self, rows: list[OutboxRow]) -> None:
        self.publisher.publish_batch([
            OutgoingMessage(routing_key=row.type, body=row.body, message_id=row.event_id,
                            type=row.type, correlation_id=row.correlation_id)
            for row in rows
        ])

    def _mark_sent(self, rows: list[OutboxRow]) -> None:
        outbox = self._outbox
        outbox.update(published_at=utcnow()).where(outbox.id.in_([r.id for r in rows])).execute()
        # An event's secrets (a one-time link) are needed only until the broker has it.
        for row in rows:
            redacted = without_secrets(row.body)
            if redacted is not None:
                outbox.update(body=redacted).where(outbox.id == row.id).execute()

    def relay_once(self) -> int:
        """Publish one batch of pending rows; returns how many were published."""
        with self._database.connection_context():
            if is_postgres(self._database):
                # Rows stay locked until the broker confirmed them and they are marked sent.
                with self._database.atomic():
                    rows = list(self._pending().for_update(skip_locked=True))
                    if rows:
                        self._publish(rows)
                        self._mark_sent(rows)
            else:
                # SQLite: no row locks; a single relay reads, publishes, then marks in a short
                # write transaction, so the HTTP thread is never blocked by the broker.
                rows = list(self._pending())
                if rows:
                    self._publish(rows)
                    with self._database.atomic():
                        self._mark_sent(rows)
        if rows:
            metrics.OUTBOX_PUBLISHED.labels(self._service).inc(len(rows))
        elif self._publisher is not None:
            # Idle: answer the broker's heartbeats, or it drops the connection and the next
            # batch fails first (and a lost broker is noticed only then).
            self._publisher.keep_alive()
        return len(rows)

    def oldest_pending_age(self) -> float:
        """Seconds since the oldest unpublished event was written (0 when none): outbox lag."""
        outbox = self._outbox
        with self._database.connection_context():
            oldest = (outbox.select(peewee.fn.MIN(outbox.created_at))
                      .where(outbox.published_at.is_null()).scalar())
        if oldest is None:
            return 0.0
        if isinstance(oldest, str):
            oldest = dt.datetime.fromisoformat(oldest)
        return max(0.0, float((utcnow() - oldest).total_seconds()))
