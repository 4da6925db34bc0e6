"""The idempotent consumer: events from a subscription's queue, handled once, acked after commit.

How one batch goes:
1. Up to `batch_size` messages are taken (prefetch bounds how many the broker hands over).
2. Each body is parsed against the envelope and its contract; one that fails is published to
   the subscription's dead-letter queue with the reason (confirmed), then acked.
3. The rest are handled in ONE database transaction, at first without a savepoint per handler
   (`savepoints.without_savepoints`); if any handler fails (or rolls a block back), the batch is
   rolled back and handled again, each event in its own savepoint with its inbox row
   (`handle_once`); the transaction commits, and only then are the messages acked.
4. A handler that raised is retried on its own (`handler_attempts` in all, with back-off);
   when it still fails it goes to the dead-letter queue with the error as reason.
5. When the database itself is unreachable, the batch is kept unacked and retried until the
   database is back: a database outage never dead-letters good events.

Guarantees: at-least-once delivery, exactly-once effect per subscription (inbox); nothing is
acked before its effects are committed or it is safely in the dead-letter queue. A consumer
killed at any point loses nothing: unacked messages are redelivered and the inbox drops
those already handled. Competing consumers may see events out of order: handlers that care
compare `aggregate_version`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import peewee
from kombu.connection import Connection
from kombu.message import Message
from kombu.messaging import Consumer

from platform_shared.events.contracts import parse_event
from platform_shared.events.envelope import Envelope, MalformedEvent
from platform_shared.messaging.inbox import InboxRow, handle_batch_once, handle_once
from platform_shared.messaging.publisher import ConfirmedPublisher, OutgoingMessage
from platform_shared.messaging.signals import BUS_PUBLISHES, OUTBOX_COMMITS
from platform_shared.messaging.topology import DEAD_LETTER_EXCHANGE, Subscription, declare, is_amqp
from platform_shared.observability import metrics
from platform_shared.savepoints import SavepointsNeeded, without_savepoints

log = logging.getLogger(__name__)
# How often kombu's `memory://` transport looks at a queue while `drain_events` waits (AMQP pushes
# and ignores it). An idle consumer on the in-process bus does not poll with it, though: it
# sleeps until a publisher of this process puts a message on the bus (`BUS_PUBLISHES`), or
# `MEMORY_IDLE_SECONDS` at most (a message put there by other means waits that long).
POLLING = {"polling_interval": 0.1}
MEMORY_IDLE_SECONDS = 2.0

Handler = Callable[[Envelope], None]
T = TypeVar("T")

# Errors that say "the database is not there right now", not "this event cannot be handled".
DATABASE_DOWN = (peewee.OperationalError, peewee.InterfaceError)
# SQLite reports a handler's own mistakes with the same OperationalError as a locked file:
# these messages are the handler's fault, and must not hold the queue forever.
_NOT_AN_OUTAGE = ("no such table", "no such column", "syntax error", "has no column named")


def database_unavailable(exc: BaseException) -> bool:
    """True when `exc` says the database cannot be reached right now (wait and retry), False
    when it is an error of the statement itself (retry as a handler failure, then dead-letter)."""
    if isinstance(exc, peewee.InterfaceError):
        return True
    if isinstance(exc, peewee.OperationalError):
        text = str(exc).lower()
        return not any(marker in text for marker in _NOT_AN_OUTAGE)
    return False


class EventConsumer:
    """Consumes one subscription of one service until `stop` is set."""

    def __init__(self, *, amqp_url: str, subscription: Subscription, inbox: type[InboxRow],
                 handler: Handler, prefetch: int = 200, batch_size: int = 100,
                 handler_attempts: int = 3, delivery_limit: int = 5,
                 retry_backoff: float = 0.05, transport_options: dict[str, Any] | None = None,
                 tls: dict[str, Any] | bool = False):
        self._url = amqp_url
        self._tls = tls
        self._amqp = is_amqp(amqp_url)
        self._subscription = subscription
        self._inbox = inbox
        self._database = inbox._meta.database
        self._handler = handler
        self._prefetch = prefetch
        self._batch_size = max(1, batch_size)
        self._attempts = max(1, handler_attempts)
        self._delivery_limit = delivery_limit
        self._backoff = retry_backoff
        self._transport_options = transport_options or dict(POLLING)
        self._pending: list[Message] = []
        self.ready = threading.Event()

    def _connection(self) -> Connection:
        return Connection(self._url, transport_options=self._transport_options, heartbeat=30, ssl=self._tls)

    def run(self, stop: threading.Event) -> None:
        """Consume until `stop` is set, reconnecting whenever the broker goes away."""
        while not stop.is_set():
            try:
                self._run_connected(stop)
            except (OSError, ConnectionError) as exc:  # broker gone: try again shortly
                log.warning("consumer %s lost the broker: %s", self._subscription.queue_name, exc)
            except Exception as exc:
                if not _is_connection_error(exc):
                    raise
                log.warning("consumer %s lost the broker: %s", self._subscription.queue_name, exc)
            self._pending.clear()  # unacked: the broker redelivers them
            stop.wait(1.0)

    def _run_connected(self, stop: threading.Event) -> None:
        with self._connection() as connection, self._connection() as dead_letter_connection:
            connection.ensure_connection(max_retries=3)
            channel = connection.channel()
            queues = declare(channel, [self._subscription], self._delivery_limit, self._amqp)
            dead_letters = ConfirmedPublisher(dead_letter_connection, DEAD_LETTER_EXCHANGE)
            consumer = Consumer(channel, queues=queues, on_message=self._pending.append,
                                prefetch_count=self._prefetch, no_ack=False)
            with consumer:
                self.ready.set()
                while not stop.is_set():
                    published = BUS_PUBLISHES.count
                    self._fill_batch(connection)
                    # kombu sends heartbeats only when asked: without these two calls the
                    # broker drops an idle consumer (and its dead-letter connection) after
                    # two missed heartbeats, and the next dead letter fails.
                    connection.heartbeat_check()
                    dead_letters.keep_alive()
                    if self._pending:
                        batch, self._pending[:] = list(self._pending), []
                        self._process(batch, dead_letters, stop)
                    elif not self._amqp:
                        # memory://: nothing came; sleep until something is published (one
                        # published since the count was taken returns at once: none is missed).
                        BUS_PUBLISHES.wait_after(published, MEMORY_IDLE_SECONDS)

    def _fill_batch(self, connection: Connection) -> None:
        deadline = time.monotonic() + 0.05
        while len(self._pending) < self._batch_size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            try:
                connection.drain_events(timeout=remaining)
            except TimeoutError:
                return

    def _process(self, batch: list[Message], dead_letters: ConfirmedPublisher,
                 stop: threading.Event) -> None:
        queue = self._subscription.queue_name
        events: list[tuple[Message, Envelope]] = []
        for message in batch:
            try:
                events.append((message, parse_event(message.body)))
            except MalformedEvent as exc:
                self._dead_letter(dead_letters, message, exc.reason)
            except Exception as exc:
                # Whatever a body does to the parser is the body's fault: raising here would end
                # the consumer, and the broker would hand the same message to the next one.
                log.exception("consumer %s: a message broke the parser", self._subscription.queue_name)
                self._dead_letter(dead_letters, message, f"body cannot be parsed: {exc!r}")
        failed = self._handle_in_one_transaction(events, stop)
        for index, (message, _event) in enumerate(events):
            if index not in failed:
                message.ack()
        metrics.EVENTS_CONSUMED.labels(self._subscription.service, queue, "handled").inc(
            len(events) - len(failed))
        for index, error in failed.items():
            message, event = events[index]
            self._retry_alone(message, event, error, dead_letters, stop)

    def _handle_in_one_transaction(self, events: list[tuple[Message, Envelope]],
                                   stop: threading.Event) -> dict[int, Exception]:
        """Handle the batch in one commit; returns the positions whose handler raised.

        First all at once (one inbox lookup, one inbox insert, no savepoints); if any handler
        raises or a competing consumer got there first, the transaction is rolled back and
        the batch is handled again event by event, each in a savepoint with its inbox row.
        """
        name = self._subscription.queue_name
        plain = [event for _message, event in events]

        def all_at_once() -> None:
            with self._database.atomic():
                # No savepoint per handler (two round trips each): if a handler's block rolls
                # back, the whole batch is rolled back and handled again event by event below.
                with without_savepoints() as batch:
                    handle_batch_once(self._inbox, name, plain, self._handler)
                if batch.tainted:
                    raise SavepointsNeeded(f"a handler of {name} rolled a block back")

        def one_by_one() -> dict[int, Exception]:
            failed: dict[int, Exception] = {}
            with self._database.atomic():
                for index, event in enumerate(plain):
                    try:
                        handle_once(self._inbox, name, event, self._handler)
                    except DATABASE_DOWN as exc:
                        if database_unavailable(exc):
                            raise
                        failed[index] = exc
                    except Exception as exc:  # noqa: BLE001 - any handler error is retried
                        failed[index] = exc
            return failed

        if not plain:
            return {}
        try:
            self._while_database_is_down(all_at_once, stop)
            return {}
        except ConnectionAbortedError:
            raise
        except Exception:  # noqa: BLE001 - isolate the culprit below
            log.info("consumer %s: batch of %d handled event by event", name, len(plain))
        return self._while_database_is_down(one_by_one, stop)

    def _while_database_is_down(self, work: Callable[[], T], stop: threading.Event) -> T:
        """Run `work` in a connection; while the database is unreachable, wait and run it again
        (the messages stay unacked meanwhile: a database outage never dead-letters an event)."""
        delay = self._backoff
        while True:
            try:
                with self._database.connection_context():
                    result = work()
                OUTBOX_COMMITS.notify()  # handlers' events committed with the batch: wake the relay
                return result
            except DATABASE_DOWN as exc:
                if not database_unavailable(exc):
                    raise
                if stop.is_set():
                    raise ConnectionAbortedError("stopping with an unfinished batch") from exc
                log.warning("consumer %s: database unavailable (%s); batch kept",
                            self._subscription.queue_name, exc)
                stop.wait(delay)
                delay = min(delay * 2, 5.0)

    def _retry_alone(self, message: Message, event: Envelope, error: Exception,
                     dead_letters: ConfirmedPublisher, stop: threading.Event) -> None:
        name = self._subscription.queue_name

        def once() -> None:
            with self._database.atomic():
                handle_once(self._inbox, name, event, self._handler)

        for attempt in range(1, self._attempts):
            stop.wait(self._backoff * (2 ** (attempt - 1)))
            try:
                self._while_database_is_down(once, stop)
            except ConnectionAbortedError:
                raise
            except Exception as exc:  # noqa: BLE001 - the handler failed again
                error = exc
                continue
            message.ack()
            metrics.EVENTS_CONSUMED.labels(self._subscription.service, name, "handled").inc()
            return
        log.error("consumer %s: event %s (%s) failed %d times: %r", name, event.id, event.type,
                  self._attempts, error)
        self._dead_letter(dead_letters, message, f"handler failed {self._attempts} times: {error!r}")

    def _dead_letter(self, dead_letters: ConfirmedPublisher, message: Message, reason: str) -> None:
        name = self._subscription.queue_name
        body = message.body
        text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else str(body)
        headers = dict(message.headers or {})
        headers.update({
            "x-dead-letter-reason": reason[:2000],
            "x-original-routing-key": message.delivery_info.get("routing_key", ""),
            "x-dead-lettered-by": name,
            "x-dead-lettered-at": dt.datetime.now(dt.UTC).isoformat(),
        })
        dead_letters.publish_batch([OutgoingMessage(
            routing_key=name, body=text, message_id=message.properties.get("message_id") or "",
            type=message.properties.get("type") or "", headers=headers)])
        message.ack()
        metrics.EVENTS_DEAD_LETTERED.labels(self._subscription.service, name).inc()
        log.warning("consumer %s: dead-lettered a message: %s", name, reason)


def _is_connection_error(exc: Exception) -> bool:
    from amqp.exceptions import ConnectionError as AmqpConnectionError
    from amqp.exceptions import RecoverableConnectionError
    from kombu.exceptions import OperationalError as KombuOperationalError

    return isinstance(exc, (AmqpConnectionError, RecoverableConnectionError, KombuOperationalError))
