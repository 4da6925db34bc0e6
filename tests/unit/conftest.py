"""Fixtures of the unit tests: a throwaway service on SQLite, and the memory:// bus.

Nothing here starts a server. kombu's memory transport keeps its exchanges and queues for the
whole process, so every test that uses it gets its own subscription (queue names) and its own
routing key from `unique_name`.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import peewee
import pytest
from kombu import Connection

from platform_shared.database import open_database
from platform_shared.events.envelope import Envelope
from platform_shared.messaging.consumer import EventConsumer
from platform_shared.messaging.publisher import ConfirmedPublisher, OutgoingMessage
from platform_shared.messaging.signals import BUS_PUBLISHES
from platform_shared.messaging.topology import EVENTS_EXCHANGE, Subscription, dead_letter_queue, declare
from platform_shared.migrations import Migration, create_tables, migrate
from platform_shared.tables import ServiceTables

# --- a throwaway service: its database proxy, outbox, inbox, one table of effects -------------

service_tables = ServiceTables()
service_database = service_tables.database
ServiceOutbox = service_tables.Outbox
ServiceInbox = service_tables.Inbox


class Effect(peewee.Model):
    """One row per handled event (deliberately no unique key: only the inbox prevents twins)."""

    event_id = peewee.CharField(max_length=36)
    aggregate_id = peewee.CharField(max_length=200)

    class Meta:
        database = service_database
        table_name = "effect"


class Thing(peewee.Model):
    """A piece of state a unit of work changes together with its events."""

    name = peewee.CharField(max_length=100)

    class Meta:
        database = service_database
        table_name = "thing"


SERVICE_MIGRATIONS = [
    Migration(1, "outbox and inbox", create_tables(ServiceOutbox, ServiceInbox)),
    Migration(2, "effects and things", create_tables(Effect, Thing)),
    Migration(3, "audit log", create_tables(service_tables.AuditLog)),
]


@pytest.fixture
def service(tmp_path: Path) -> Iterator[SimpleNamespace]:
    """The throwaway service on its SQLite database (a file in tmp_path), migrated.

    Tests reach its parts as attributes (`service.database`, `service.Outbox`, ...): no test
    module imports this file.
    """
    database = open_database(f"sqlite:///{tmp_path / 'service.db'}")
    service_database.initialize(database)
    migrate(service_database, SERVICE_MIGRATIONS, lock_name="unit-service")
    yield SimpleNamespace(tables=service_tables, database=service_database, Outbox=ServiceOutbox, Inbox=ServiceInbox,
                          Effect=Effect, Thing=Thing, migrations=SERVICE_MIGRATIONS)
    database.close_all()


# --- events ------------------------------------------------------------------------------------

def registered_payload_data(**overrides) -> dict:
    """A payload that keeps the `identity.organisation.registered` v1 contract."""
    data = {
        "organisation_id": str(uuid.uuid4()),
        "name": "华为技术有限公司",
        "uscc": "914403001922038216",
        "kind": "enterprise",
        "province_code": "440000",
        "city_code": "440300",
        "contact": {"name": "张三", "phone": "13800138000", "email": "zhang.san@example.cn"},
        "account_email": "admin@example.cn",
        "registered_at": "2024-05-06T07:08:09+00:00",
    }
    data.update(overrides)
    return data


@pytest.fixture
def registered_payload() -> Callable[..., dict]:
    return registered_payload_data


def registered_event(aggregate_id: str | None = None, **envelope_fields) -> Envelope:
    data = registered_payload_data()
    if aggregate_id is not None:
        data["organisation_id"] = aggregate_id
    return Envelope(type="identity.organisation.registered", data=data, producer="identity",
                    aggregate_id=data["organisation_id"], **envelope_fields)


@pytest.fixture
def make_event() -> Callable[..., Envelope]:
    return registered_event


# --- the memory:// bus -------------------------------------------------------------------------

@pytest.fixture
def unique_name() -> str:
    """Lower-case letters only: valid in routing keys, queue names and service names."""
    return "t" + uuid.uuid4().hex[:12]


@pytest.fixture
def subscription(unique_name: str) -> Subscription:
    """A subscription of its own for this test, bound to a routing key of its own, declared."""
    sub = Subscription(service=unique_name, name="events", patterns=[f"{unique_name}.event.happened"])
    with Connection("memory://") as connection:
        declare(connection.channel(), [sub], delivery_limit=5, amqp=False)
    return sub


@pytest.fixture
def publish(subscription: Subscription) -> Iterator[Callable[[list[str | Envelope]], None]]:
    """Publish bodies (envelopes or raw text) with the test's routing key, as the relay does."""
    connection = Connection("memory://")
    publisher = ConfirmedPublisher(connection, EVENTS_EXCHANGE)
    routing_key = subscription.patterns[0]

    def send(items: list[str | Envelope]) -> None:
        messages = []
        for item in items:
            if isinstance(item, Envelope):
                messages.append(OutgoingMessage(routing_key=routing_key, body=item.to_json(),
                                                message_id=item.id, type=item.type))
            else:
                messages.append(OutgoingMessage(routing_key=routing_key, body=item,
                                                message_id=str(uuid.uuid4())))
        publisher.publish_batch(messages)

    yield send
    publisher.reset()
    connection.release()


@pytest.fixture
def read_dead_letters(subscription: Subscription) -> Callable[..., list]:
    """Wait until `count` messages are in the subscription's dead-letter queue; take them."""

    def read(count: int, timeout: float = 5.0) -> list:
        """With `count` 0, watch the queue for `timeout` seconds: nothing may arrive."""
        taken = []
        deadline = time.monotonic() + timeout
        with Connection("memory://") as connection:
            queue = dead_letter_queue(subscription, amqp=False)(connection.channel())
            while (count == 0 or len(taken) < count) and time.monotonic() < deadline:
                message = queue.get(no_ack=True)
                if message is None:
                    time.sleep(0.01)
                else:
                    taken.append(message)
            # Anything more than expected is a failure of the test too.
            extra = queue.get(no_ack=True)
            if extra is not None:
                taken.append(extra)
        return taken

    return read


@pytest.fixture
def run_consumer(subscription: Subscription) -> Iterator[Callable[..., EventConsumer]]:
    """Start an EventConsumer of the test's subscription in a thread; stopped at teardown."""
    started: list[tuple[threading.Thread, threading.Event]] = []
    errors: list[BaseException] = []

    def start(handler, **options) -> EventConsumer:
        options.setdefault("retry_backoff", 0.01)
        consumer = EventConsumer(amqp_url="memory://", subscription=subscription, inbox=ServiceInbox,
                                 handler=handler, **options)
        stop = threading.Event()

        def run() -> None:
            try:
                consumer.run(stop)
            except BaseException as exc:  # noqa: BLE001 - reported by the fixture
                errors.append(exc)

        thread = threading.Thread(target=run, name=f"consumer-{subscription.queue_name}", daemon=True)
        thread.start()
        started.append((thread, stop))
        assert consumer.ready.wait(5), "the consumer did not start"
        return consumer

    yield start
    for thread, stop in started:
        stop.set()
        BUS_PUBLISHES.notify()  # an idle consumer sleeps until a publish: let it see `stop` now
        thread.join(10)
        assert not thread.is_alive(), "the consumer did not stop"
    assert not errors, f"the consumer thread raised: {errors!r}"


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


@pytest.fixture
def eventually() -> Callable[..., bool]:
    return wait_until


@pytest.fixture
def effects_of(service: SimpleNamespace) -> Callable[[str], int]:
    """How many effects the throwaway service recorded for an event id."""

    def count(event_id: str) -> int:
        with service.database.connection_context():
            return Effect.select().where(Effect.event_id == event_id).count()

    return count
