"""Bus throughput on the real RabbitMQ and PostgreSQL: the library against the naive loops.

    .venv/bin/python bench/bus.py [--n 5000]

In one run, on a vhost and a database of its own (created here, dropped at the end), it
measures four rates over N messages and prints them as a table:

  (i)   raw kombu publish, one publisher confirm per message (`confirm_publish`);
  (ii)  the outbox relay: `OutboxRelay.relay_once` over N pre-written outbox rows, i.e. batches
        published back to back with their confirms collected once per batch;
  (iii) a raw consumer: per message, consume → insert a row → commit → ack;
  (iv)  the library's `EventConsumer` with a trivial (no-op) handler: envelope and contract
        checked, one inbox row per event (the row (iii) inserts), one commit per batch, acks
        after the commit;
  (iv+) the same with a handler that also inserts (iii)'s row, i.e. two rows per event: what a
        real handler costs on top of the inbox (for information, no target).

Targets: (ii) ≥ 3 × (i), (iv) ≥ 1.5 × (iii). Every phase uses the production topology (the
subscription's durable quorum queue with its dead-letter set-up) and the same message
properties, so the ratios show what batching buys, not a difference in what is stored. The
exit status is 0 whether or not the targets are met: this reports, it does not gate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import threading
import time
import uuid
from collections.abc import Callable

import marshmallow as ma
import peewee
import psycopg2
from kombu import Connection, Consumer, Producer
from kombu.message import Message

from platform_shared.database import open_database
from platform_shared.events.contracts import build_event
from platform_shared.events.envelope import Envelope
from platform_shared.events.registry import contract
from platform_shared.messaging.consumer import EventConsumer
from platform_shared.messaging.outbox import OutboxRelay, write_to_outbox
from platform_shared.messaging.publisher import ConfirmedPublisher, OutgoingMessage
from platform_shared.messaging.topology import EVENTS_EXCHANGE, Subscription, declare
from platform_shared.migrations import Migration, create_tables, migrate
from platform_shared.tables import ServiceTables

SERVICE = "bench"
EVENT_TYPE = "bench.entry.recorded"
SUBSCRIPTION = Subscription(SERVICE, "entries", ("bench.#",))
PG_ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=test"
PG_URL = "postgresql://postgres@127.0.0.1:5432"
AMQP_BASE = "amqp://guest:guest@127.0.0.1:5672"

tables = ServiceTables()
database = tables.database
Outbox = tables.Outbox
Inbox = tables.Inbox


class Effect(peewee.Model):
    id = peewee.BigAutoField()
    event_id = peewee.CharField(max_length=36)
    seq = peewee.IntegerField()
    created_at = peewee.DateTimeField()

    class Meta:
        database = database
        table_name = "effect"


@contract(EVENT_TYPE, 1)
class EntryRecordedV1(ma.Schema):
    seq = ma.fields.Integer(required=True, strict=True)


MIGRATIONS = [Migration(1, "outbox, inbox and effects", create_tables(Outbox, Inbox, Effect))]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _record(event_id: str, seq: int) -> None:
    Effect.insert(event_id=event_id, seq=seq, created_at=_now()).execute()


# --- the four measurements ---------------------------------------------------------------------

def raw_publish(url: str, events: list[Envelope]) -> float:
    """(i): one confirm per message; seconds for all of them."""
    with Connection(url, transport_options={"confirm_publish": True}) as connection:
        producer = Producer(connection.channel(), exchange=EVENTS_EXCHANGE)
        started = time.perf_counter()
        for event in events:
            producer.publish(event.to_json().encode(), routing_key=event.type,
                             content_type="application/json", content_encoding="utf-8",
                             delivery_mode=2, message_id=event.id, type=event.type, retry=False)
        return time.perf_counter() - started


def relay_publish(url: str, events: list[Envelope]) -> float:
    """(ii): the rows are written first (not timed), then `relay_once` until none is left."""
    with database.connection_context():
        for start in range(0, len(events), 500):
            with database.atomic():
                for event in events[start:start + 500]:
                    write_to_outbox(Outbox, event)

    def publisher() -> ConfirmedPublisher:
        # As ServiceRuntime.relay builds it.
        connection = Connection(url, transport_options={"polling_interval": 0.02}, heartbeat=30)
        connection.ensure_connection(max_retries=1)
        return ConfirmedPublisher(connection, EVENTS_EXCHANGE)

    relay = OutboxRelay(Outbox, publisher, SERVICE, batch_size=500)
    relay.publisher  # noqa: B018 - connect before the clock starts, as a running relay has
    started = time.perf_counter()
    published = 0
    while published < len(events):
        published += relay.relay_once()
    elapsed = time.perf_counter() - started
    relay.drop_publisher()
    return elapsed


def raw_consume(url: str, count: int, prefetch: int) -> float:
    """(iii): per message, insert and commit, then ack; seconds from the first message on."""
    done = 0
    started: float | None = None

    def on_message(message: Message) -> None:
        nonlocal done, started
        started = started or time.perf_counter()
        event = json.loads(message.body)
        with database.atomic():
            _record(event["id"], event["data"]["seq"])
        message.ack()
        done += 1

    with Connection(url) as connection, database.connection_context():
        channel = connection.channel()
        queues = declare(channel, [SUBSCRIPTION], 5, True)
        with Consumer(channel, queues=queues, on_message=on_message, prefetch_count=prefetch):
            while done < count:
                connection.drain_events(timeout=30)
    return time.perf_counter() - (started or time.perf_counter())


def library_consume(url: str, handler: Callable[[Envelope], None], until: int, prefetch: int,
                    batch: int) -> float:
    """(iv): EventConsumer until the inbox holds `until` rows; seconds from its start."""
    stop = threading.Event()
    consumer = EventConsumer(amqp_url=url, subscription=SUBSCRIPTION, inbox=Inbox, handler=handler,
                             prefetch=prefetch, batch_size=batch)
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    try:
        if not consumer.ready.wait(30):
            raise RuntimeError("the consumer did not start")
        started = time.perf_counter()
        with database.connection_context():
            while Inbox.select().count() < until:
                if not thread.is_alive():
                    raise RuntimeError("the consumer stopped")
                time.sleep(0.02)  # coarse enough not to compete with the consumer for the GIL
        return time.perf_counter() - started
    finally:
        stop.set()
        thread.join(timeout=30)


def load_queue(url: str, events: list[Envelope]) -> None:
    """Put `events` in the subscription's queue without timing (for (iv+))."""
    with Connection(url) as connection:
        publisher = ConfirmedPublisher(connection, EVENTS_EXCHANGE)
        for start in range(0, len(events), 500):
            publisher.publish_batch([
                OutgoingMessage(routing_key=e.type, body=e.to_json(), message_id=e.id, type=e.type)
                for e in events[start:start + 500]])


# --- set-up, table --------------------------------------------------------------------------

def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=120)


def _admin(sql: str) -> None:
    connection = psycopg2.connect(PG_ADMIN_DSN)
    connection.autocommit = True  # CREATE/DROP DATABASE refuse to run in a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def _queue_depth(url: str) -> int:
    with Connection(url) as connection:
        return connection.channel().queue_declare(SUBSCRIPTION.queue_name, passive=True)[1]


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def run(n: int, prefetch: int, batch: int, say: Callable[[str], None]) -> None:
    suffix = uuid.uuid4().hex[:10]
    vhost, name = f"bench-{suffix}", f"bench_{suffix}"
    url = f"{AMQP_BASE}/{vhost}"
    _rabbitmqctl("add_vhost", vhost)
    _admin(f'CREATE DATABASE "{name}"')
    db = None
    try:
        _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        db = open_database(f"{PG_URL}/{name}")
        database.initialize(db)
        migrate(db, MIGRATIONS, lock_name="bench.migrations")
        with Connection(url) as connection:
            declare(connection.channel(), [SUBSCRIPTION], 5, True)
        events = [build_event(EVENT_TYPE, {"seq": i}, producer=SERVICE, aggregate_id=f"entry-{i}")
                  for i in range(n)]

        say(f"N = {n}, prefetch {prefetch}, consumer batch {batch}, relay batch 500")
        t_raw_pub = raw_publish(url, events)
        say(f"  (i)   raw publish done in {t_raw_pub:.2f}s")
        t_raw_con = raw_consume(url, n, prefetch)
        say(f"  (iii) raw consume done in {t_raw_con:.2f}s")
        with database.connection_context():
            Effect.delete().execute()
        t_relay = relay_publish(url, events)
        say(f"  (ii)  relay done in {t_relay:.2f}s (queue depth {_queue_depth(url)})")
        t_lib = library_consume(url, lambda _event: None, n, prefetch, batch)
        say(f"  (iv)  EventConsumer, no-op handler, done in {t_lib:.2f}s")
        with database.connection_context():
            Effect.delete().execute()
        more = [build_event(EVENT_TYPE, {"seq": i}, producer=SERVICE, aggregate_id=f"entry-{i}")
                for i in range(n, 2 * n)]
        load_queue(url, more)
        t_lib_effect = library_consume(url, lambda event: _record(event.id, event.data["seq"]), 2 * n,
                                       prefetch, batch)
        say(f"  (iv+) EventConsumer, inserting handler, done in {t_lib_effect:.2f}s")
        with database.connection_context():
            effects = Effect.select().count()
        if effects != n:
            say(f"  WARNING: {effects} effects for {n} events")
    finally:
        if db is not None:
            db.close_all()
        _rabbitmqctl("delete_vhost", vhost)
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    r_pub, r_relay = _rate(n, t_raw_pub), _rate(n, t_relay)
    r_con, r_lib, r_lib_effect = _rate(n, t_raw_con), _rate(n, t_lib), _rate(n, t_lib_effect)
    rows = [
        ("(i)   raw publish, one confirm per message", r_pub, None, None),
        ("(ii)  outbox relay (relay_once, batches of 500)", r_relay, r_relay / r_pub, 3.0),
        ("(iii) raw consume → insert → commit → ack", r_con, None, None),
        ("(iv)  EventConsumer (inbox, no-op handler)", r_lib, r_lib / r_con, 1.5),
        ("(iv+) EventConsumer (inbox + inserting handler)", r_lib_effect, r_lib_effect / r_con, None),
    ]
    say("")
    say(f"{'measure':<50}{'msgs/s':>10}{'ratio':>9}  target")
    for label, rate, ratio, target in rows:
        line = f"{label:<50}{rate:>10,.0f}"
        if ratio is not None:
            line += f"{ratio:>8.1f}x"
        if target is not None:
            line += f"  ≥ {target}x: {'met' if ratio >= target else 'NOT met'}"
        say(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="messages per measurement")
    parser.add_argument("--prefetch", type=int, default=200, help="consumer prefetch (both consumers)")
    parser.add_argument("--batch", type=int, default=100, help="EventConsumer batch size")
    args = parser.parse_args()
    run(args.n, args.prefetch, args.batch, lambda line: print(line, flush=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
