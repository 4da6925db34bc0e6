"""ledger: a tiny test service made only of the platform library, to prove the bus end to end.

It has what every real service has and nothing else: a peewee `DatabaseProxy`, the outbox and
inbox bound to it, one table of its own (`Effect`), migrations, a registered event contract
(`ledger.entry.recorded` v1) and a `ServiceDefinition` with one subscription. The consumer,
the relay and the topology therefore run through `ServiceRuntime` and `platform_shared.cli`,
exactly the code paths a production service runs.

`Effect` deliberately has no unique constraint: the handler inserts one row per run, so a
second run of the handler for the same event shows up as a second row. Only the inbox may
prevent it.

As a separate process (`DATABASE_URL` and `AMQP_URL` from the environment, cwd = repo root):

    python -m tests.support.ledger consume       # EventConsumer.run until SIGTERM
    python -m tests.support.ledger relay         # ServiceRuntime.run_relay until SIGTERM
    python -m tests.support.ledger produce N     # N events written through UnitOfWork

`consume` and `relay` print one JSON line on stdout when they start and one with their
counters when they stop, so a test can tell what each process did.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import uuid
from collections.abc import Sequence

import marshmallow as ma
import peewee

from platform_shared import cli
from platform_shared.config import ServiceSettings
from platform_shared.events.envelope import Envelope
from platform_shared.events.registry import contract
from platform_shared.migrations import Migration, create_tables
from platform_shared.observability import metrics
from platform_shared.runtime import Consumes, ServiceDefinition, ServiceRuntime
from platform_shared.tables import ServiceTables

SERVICE = "ledger"
SUBSCRIPTION = "entries"
EVENT_TYPE = "ledger.entry.recorded"
QUEUE = f"{SERVICE}.{SUBSCRIPTION}"
DEAD_LETTER_QUEUE = f"{QUEUE}.dead-letter"

tables = ServiceTables()
database = tables.database
Outbox = tables.Outbox
Inbox = tables.Inbox


class Effect(peewee.Model):
    """One row per run of the handler (no unique key on purpose: duplicates must be visible)."""

    id = peewee.BigAutoField()
    event_id = peewee.CharField(max_length=36, index=True)
    seq = peewee.IntegerField()
    # Which consumer process ran the handler: tells a restarted consumer's work apart.
    pid = peewee.IntegerField()
    created_at = peewee.DateTimeField()

    class Meta:
        database = database
        table_name = "effect"


@contract(EVENT_TYPE, 1)
class EntryRecordedV1(ma.Schema):
    """A ledger entry was recorded; `fail` makes the test handler refuse it every time."""

    seq = ma.fields.Integer(required=True, strict=True)
    fail = ma.fields.Boolean(load_default=False)


MIGRATIONS = [
    Migration(1, "outbox and inbox", create_tables(Outbox, Inbox)),
    Migration(2, "effects", create_tables(Effect)),
]


class EntryRefused(Exception):
    """The handler's deliberate failure for events flagged `fail`."""


def record_effect(event: Envelope) -> None:
    """The handler: one Effect row per run, inside the consumer's transaction."""
    if event.data.get("fail"):
        raise EntryRefused(f"entry {event.data['seq']} is flagged to fail")
    Effect.insert(event_id=event.id, seq=event.data["seq"], pid=os.getpid(),
                  created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)).execute()


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name=SERVICE, title="ledger — a test service for the bus", tables=tables,
        migrations=MIGRATIONS,
        consumes=(Consumes(SUBSCRIPTION, ("ledger.#",), lambda _runtime: record_effect),))


def settings(env: dict[str, str] | None = None) -> ServiceSettings:
    return ServiceSettings.from_env(SERVICE, os.environ if env is None else env)


def produce(runtime: ServiceRuntime, count: int, *, first_seq: int = 0, per_transaction: int = 100,
            fail: bool = False) -> list[str]:
    """Write `count` events through the unit of work, `per_transaction` per commit; their ids."""
    ids: list[str] = []
    seq = first_seq
    with runtime.database.connection_context():
        while seq < first_seq + count:
            size = min(per_transaction, first_seq + count - seq)
            with runtime.unit_of_work(correlation_id=str(uuid.uuid4())) as uow:
                for _ in range(size):
                    event = uow.publish(EVENT_TYPE, {"seq": seq, "fail": fail},
                                        aggregate_id=f"entry-{seq}")
                    ids.append(event.id)
                    seq += 1
    return ids


def effect_counts() -> tuple[int, int]:
    """(Effect rows, distinct event ids among them)."""
    row = Effect.select(peewee.fn.COUNT(Effect.id),
                        peewee.fn.COUNT(Effect.event_id.distinct())).tuples().get()
    return int(row[0]), int(row[1])


def published_count() -> int:
    return Outbox.select().where(Outbox.published_at.is_null(False)).count()


def _say(**fields: object) -> None:
    print(json.dumps({"pid": os.getpid(), **fields}), flush=True)


def _counter(counter, *labels: str) -> int:
    return int(counter.labels(*labels)._value.get())


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else ""
    if command == "produce" and len(args) == 2:
        runtime = ServiceRuntime(definition(), settings()).open()
        ids = produce(runtime, int(args[1]))
        runtime.close()
        _say(produced=len(ids))
        return 0
    if command in ("consume", "relay"):
        _say(started=command)
        code = cli.main(definition, [command])
        if command == "relay":
            _say(stopped=command, published=_counter(metrics.OUTBOX_PUBLISHED, SERVICE))
        else:
            _say(stopped=command,
                 handled=_counter(metrics.EVENTS_CONSUMED, SERVICE, QUEUE, "handled"),
                 dead_lettered=_counter(metrics.EVENTS_DEAD_LETTERED, SERVICE, QUEUE))
        return code
    print("usage: python -m tests.support.ledger relay|consume|produce N", file=sys.stderr)
    return 2


if __name__ == "__main__":
    # Run from this module itself: importing `tests.support.ledger` a second time would
    # register the contract again under another class and be refused.
    sys.exit(main())
