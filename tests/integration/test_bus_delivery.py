"""The bus keeps its promises on the real RabbitMQ and PostgreSQL: once in effect, nothing lost.

Every test runs the `ledger` test service (tests/support/ledger.py) as separate processes (its
relay and its consumer, through `platform_shared.cli` as production does) against a vhost and a
database of its own, and checks the outcome in the database and on the broker:

- events written to the outbox have exactly one effect each, even when the consumer and the
  relay are killed with SIGKILL mid-stream and restarted;
- a duplicated delivery has one effect;
- an event whose handler keeps failing, and a malformed message, end in the subscription's
  dead-letter queue with their reason, while the events behind them still flow;
- the relay and the consumer ride through a broker restart;
- two relays on one outbox publish every row exactly once (FOR UPDATE SKIP LOCKED);
- an idle relay and consumer keep their connections (heartbeats; run in this process with a
  short heartbeat).

Nothing here asserts speed: waits are polls with generous deadlines, and "nothing more
happened" is shown with a sentinel event that can only be handled after everything before it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable

import peewee
import pytest
from kombu import Connection, Queue

from platform_shared.events.contracts import build_event
from platform_shared.messaging.topology import EVENTS_EXCHANGE
from platform_shared.runtime import ServiceRuntime
from tests.integration.conftest import Broker, Processes
from tests.support import ledger as svc
from tests.support.processes import wait_until
from tests.support.servers import rabbitmqctl

pytestmark = pytest.mark.integration


# --- what the database says -------------------------------------------------------------------

def effects(runtime: ServiceRuntime) -> tuple[int, int]:
    """(Effect rows, distinct event ids among them)."""
    with runtime.database.connection_context():
        return svc.effect_counts()


def effects_per_event(runtime: ServiceRuntime) -> dict[str, int]:
    with runtime.database.connection_context():
        query = (svc.Effect.select(svc.Effect.event_id, peewee.fn.COUNT(svc.Effect.id))
                 .group_by(svc.Effect.event_id).tuples())
        return dict(query)


def published(runtime: ServiceRuntime) -> int:
    with runtime.database.connection_context():
        return svc.published_count()


def handled(runtime: ServiceRuntime, event_id: str) -> bool:
    with runtime.database.connection_context():
        return svc.Effect.select().where(svc.Effect.event_id == event_id).exists()


def write_sentinel(runtime: ServiceRuntime) -> str:
    """One more event through the outbox; once it has its effect, everything before it has too.

    The relay publishes in outbox order and a lone consumer handles its queue in order
    (redeliveries included), so the sentinel's effect proves the stream before it is done.
    """
    return svc.produce(runtime, 1, first_seq=1_000_000)[0]


def envelope(seq: int, **fields: object) -> dict:
    """A valid event as a dict, to be broken on purpose by the malformed-message test."""
    event = build_event(svc.EVENT_TYPE, {"seq": seq}, producer=svc.SERVICE, aggregate_id=f"entry-{seq}")
    return {**json.loads(event.to_json()), **fields}


# --- (a) exactly once in effect through SIGKILLs -----------------------------------------------

@pytest.mark.timeout(180)
def test_every_outbox_event_has_exactly_one_effect_when_consumer_and_relay_are_killed(
        ledger: ServiceRuntime, processes: Processes) -> None:
    total, chunk = 2000, 20
    # Small batches: many commits and confirms in flight, so a SIGKILL lands inside a batch.
    small = {"relay_batch": 50, "consumer_batch": 50, "prefetch": 100}
    consumer = processes.start("consume", **small)
    relay = processes.start("relay", **small)

    written: list[str] = []
    errors: list[BaseException] = []
    kills_done = threading.Event()

    def write() -> None:
        # 1,200 events at a steady pace, the last 800 only after both kills: each kill then
        # happens while some, but certainly not all, of the 2,000 events have had their effect.
        try:
            for start in range(0, total, chunk):
                if start == 1200:
                    kills_done.wait(timeout=120)
                written.extend(svc.produce(ledger, chunk, first_seq=start, per_transaction=chunk))
                time.sleep(0.02)
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread below
            errors.append(exc)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        wait_until(lambda: effects(ledger)[0] >= 300, 60, "300 effects", processes.describe)
        effects_at_kill = effects(ledger)[0]
        consumer.kill()
        consumer = processes.start("consume", **small)

        wait_until(lambda: published(ledger) >= 700, 60, "700 published", processes.describe)
        published_at_kill = published(ledger)
        relay.kill()
        relay = processes.start("relay", **small)
    finally:
        kills_done.set()
        writer.join(timeout=120)
    assert not errors, errors
    assert 0 < effects_at_kill < total and 0 < published_at_kill < total

    wait_until(lambda: published(ledger) == total, 90, "all rows published", processes.describe)
    sentinel = write_sentinel(ledger)
    wait_until(lambda: handled(ledger, sentinel), 90, "the sentinel's effect", processes.describe)

    per_event = effects_per_event(ledger)
    assert set(per_event) == set(written) | {sentinel}
    assert effects(ledger) == (total + 1, total + 1)
    assert max(per_event.values()) == 1
    with ledger.database.connection_context():
        pids = {row.pid for row in svc.Effect.select(svc.Effect.pid).distinct()}
    assert len(pids) == 2, "the restarted consumer took over the stream"


# --- (b) a duplicate delivery ---------------------------------------------------------------------

@pytest.mark.timeout(90)
def test_the_same_event_delivered_twice_has_one_effect(
        ledger: ServiceRuntime, processes: Processes, broker: Broker) -> None:
    processes.start("consume")
    processes.start("relay")
    event = build_event(svc.EVENT_TYPE, {"seq": 7}, producer=svc.SERVICE, aggregate_id="entry-7")
    body = event.to_json().encode()

    # Twice back to back (likely one batch, one transaction) ...
    broker.publish_raw(EVENTS_EXCHANGE.name, svc.EVENT_TYPE, [body, body])
    first = write_sentinel(ledger)
    wait_until(lambda: handled(ledger, first), 60, "the first sentinel", processes.describe)
    # ... and once more after the first copy's effect committed (another transaction).
    broker.publish_raw(EVENTS_EXCHANGE.name, svc.EVENT_TYPE, [body])
    second = svc.produce(ledger, 1, first_seq=2_000_000)[0]
    wait_until(lambda: handled(ledger, second), 60, "the second sentinel", processes.describe)

    assert effects_per_event(ledger) == {event.id: 1, first: 1, second: 1}


# --- (c) a handler that always fails ---------------------------------------------------------------

@pytest.mark.timeout(90)
def test_an_event_whose_handler_keeps_failing_is_dead_lettered_and_later_events_flow(
        ledger: ServiceRuntime, processes: Processes, broker: Broker) -> None:
    with ledger.database.connection_context(), ledger.unit_of_work() as uow:
        poison = uow.publish(svc.EVENT_TYPE, {"seq": 0, "fail": True}, aggregate_id="entry-0").id
    later = svc.produce(ledger, 50, first_seq=1)
    consumer = processes.start("consume", handler_attempts=3)
    processes.start("relay")

    wait_until(lambda: effects(ledger) == (50, 50), 60, "the later events' effects", processes.describe)
    wait_until(lambda: broker.depth(svc.DEAD_LETTER_QUEUE) == 1, 60, "one dead letter",
               processes.describe)

    [dead] = broker.take_all(svc.DEAD_LETTER_QUEUE, expected=1)
    assert json.loads(dead.body)["id"] == poison
    reason = dead.headers["x-dead-letter-reason"]
    assert "handler failed 3 times" in reason and "EntryRefused" in reason
    assert dead.headers["x-original-routing-key"] == svc.EVENT_TYPE
    assert set(effects_per_event(ledger)) == set(later)  # the poison's effect was rolled back
    assert consumer.alive()


# --- (d) malformed messages --------------------------------------------------------------------

MALFORMED = {
    # marker in the body: the part of the dead-letter reason expected for it
    "case-not-json": (b"this is not json (case-not-json)", "body is not JSON"),
    "case-bad-utf8": (b"\xff\xfe{ (case-bad-utf8)", "body is not JSON"),
    "case-array": (b'["case-array"]', "body is not a JSON object"),
    # Deep enough to exhaust the JSON parser's recursion: must not take the consumer down.
    "case-too-deep": (b'["case-too-deep",' * 50_000, "RecursionError"),
}


def malformed_json_bodies() -> dict[str, tuple[bytes, str]]:
    missing = {"id": str(uuid.uuid4()), "type": svc.EVENT_TYPE, "aggregate_id": "case-missing"}
    return {
        "case-missing": (json.dumps(missing).encode(), "envelope invalid"),
        "case-unknown-type": (json.dumps(envelope(1, type="ledger.entry.forgotten",
                                                  aggregate_id="case-unknown-type")).encode(),
                              "unknown event type or version"),
        "case-unknown-version": (json.dumps(envelope(2, version=9, aggregate_id="case-unknown-version")
                                            ).encode(), "unknown event type or version"),
        "case-contract": (json.dumps(envelope(3, data={"seq": "three"}, aggregate_id="case-contract")
                                     ).encode(), "breaks its contract"),
    }


@pytest.mark.timeout(90)
def test_malformed_messages_are_dead_lettered_with_a_reason_and_nothing_else_breaks(
        ledger: ServiceRuntime, processes: Processes, broker: Broker) -> None:
    consumer = processes.start("consume")
    processes.start("relay")
    before = svc.produce(ledger, 20, first_seq=0)
    wait_until(lambda: effects(ledger)[0] == 20, 60, "the first events' effects", processes.describe)

    cases = {**MALFORMED, **malformed_json_bodies()}
    for _marker, (body, _reason) in cases.items():
        broker.publish_raw(EVENTS_EXCHANGE.name, svc.EVENT_TYPE, [body],
                           content_type="application/octet-stream")
    after = svc.produce(ledger, 20, first_seq=20)
    sentinel = write_sentinel(ledger)
    wait_until(lambda: handled(ledger, sentinel), 60, "the sentinel's effect", processes.describe)
    wait_until(lambda: broker.depth(svc.DEAD_LETTER_QUEUE) == len(cases), 60,
               f"{len(cases)} dead letters", processes.describe)

    reasons = {}
    for message in broker.take_all(svc.DEAD_LETTER_QUEUE, expected=len(cases)):
        body = message.body  # py-amqp decodes it to str when the encoding allows
        text = body if isinstance(body, str) else body.decode("utf-8", errors="replace")
        [marker] = [m for m in cases if m in text]
        reasons[marker] = message.headers["x-dead-letter-reason"]
    assert set(reasons) == set(cases)
    for marker, (_body, expected) in cases.items():
        assert expected in reasons[marker], (marker, reasons[marker])

    assert set(effects_per_event(ledger)) == set(before) | set(after) | {sentinel}
    assert max(effects_per_event(ledger).values()) == 1
    assert consumer.alive(), consumer.log_tail()


# --- (e) broker restart ------------------------------------------------------------------------

@pytest.mark.timeout(240)
def test_events_written_while_the_broker_restarts_are_all_delivered_once(
        ledger: ServiceRuntime, processes: Processes) -> None:
    consumer = processes.start("consume")
    relay = processes.start("relay")
    written: list[str] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def write() -> None:
        # The database stays up: the service keeps accepting work while the broker is away.
        seq = 0
        try:
            while not done.is_set():
                written.extend(svc.produce(ledger, 10, first_seq=seq, per_transaction=10))
                seq += 10
                time.sleep(0.05)
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread below
            errors.append(exc)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        wait_until(lambda: effects(ledger)[0] >= 100, 60, "effects before the restart", processes.describe)
        try:
            rabbitmqctl("stop_app")
            written_before_outage = len(written)
            wait_until(lambda: len(written) >= written_before_outage + 100, 30, "writes during the outage")
        finally:
            rabbitmqctl("start_app")
            rabbitmqctl("await_startup")
        time.sleep(1.0)  # and a few more events once the broker is back
    finally:
        done.set()
        writer.join(timeout=60)
    assert not errors, errors

    total = len(written)
    wait_until(lambda: published(ledger) == total, 120, "all rows published after the restart",
               processes.describe)
    sentinel = write_sentinel(ledger)
    wait_until(lambda: handled(ledger, sentinel), 120, "the sentinel's effect", processes.describe)
    assert effects(ledger) == (total + 1, total + 1)
    assert set(effects_per_event(ledger)) == set(written) | {sentinel}
    # The same two processes rode it out: they saw the broker go and came back by themselves.
    assert consumer.alive() and relay.alive()
    assert "broker unavailable" in relay.stderr.read_text()
    assert "lost the broker" in consumer.stderr.read_text()


# --- (f) two relays, one outbox --------------------------------------------------------------

@pytest.mark.timeout(120)
def test_two_relays_on_one_outbox_publish_each_row_exactly_once(
        ledger: ServiceRuntime, processes: Processes, broker: Broker) -> None:
    # A plain classic queue, no inbox in the way: it shows every copy the relays publish.
    with Connection(broker.url) as connection:
        Queue("tap", exchange=EVENTS_EXCHANGE, routing_key="ledger.#", durable=True)(
            connection.channel()).declare()

    relays = [processes.start("relay", relay_batch=50) for _ in range(2)]
    wait_until(lambda: all(r.reports() for r in relays), 60, "both relays started", processes.describe)
    time.sleep(1.0)  # past start-up: both are polling the outbox before the rows arrive
    # Written in many small transactions while both relays poll: they compete for every batch.
    total = 2000
    written = svc.produce(ledger, total, per_transaction=100)
    wait_until(lambda: published(ledger) == total, 90, "all rows published", processes.describe)

    for relay in relays:
        assert relay.stop() == 0, relay.log_tail()
    counts = [relay.reports()[-1]["published"] for relay in relays]
    assert sum(counts) == total
    assert all(count > 0 for count in counts), f"both relays must have taken rows: {counts}"

    message_ids = [m.properties["message_id"] for m in broker.take_all("tap", expected=total)]
    assert len(message_ids) == total
    assert set(message_ids) == set(written)


# --- heartbeats (regression) -----------------------------------------------------------------

QUICK_HEARTBEAT = 2  # seconds; RabbitMQ drops a client silent for two intervals


def _with_quick_heartbeat(connection_class: type[Connection]) -> Callable[..., Connection]:
    def connect(*args: object, **kwargs: object) -> Connection:
        return connection_class(*args, **{**kwargs, "heartbeat": QUICK_HEARTBEAT})

    return connect


@pytest.mark.timeout(90)
def test_an_idle_relay_and_consumer_keep_their_broker_connections(
        ledger: ServiceRuntime, broker: Broker, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    # Regression: heartbeats were negotiated (30 s) but never sent, so the broker dropped every
    # idle consumer, dead-letter and relay connection after about a minute, and the next dead
    # letter or batch failed first. The production code runs here unchanged in this process,
    # only with a 2 s heartbeat, so a dozen idle seconds show it.
    from platform_shared import runtime as runtime_module
    from platform_shared.messaging import consumer as consumer_module

    monkeypatch.setattr(consumer_module, "Connection", _with_quick_heartbeat(Connection))
    monkeypatch.setattr(runtime_module, "Connection", _with_quick_heartbeat(Connection))
    caplog.set_level(logging.WARNING)
    stop = threading.Event()
    [consumer] = ledger.consumers()
    threads = [threading.Thread(target=run, args=(stop,), daemon=True)
               for run in (consumer.run, ledger.run_relay)]
    for thread in threads:
        thread.start()
    try:
        def poison_then_entry(seq: int) -> str:
            with ledger.database.connection_context(), ledger.unit_of_work() as uow:
                uow.publish(svc.EVENT_TYPE, {"seq": seq, "fail": True}, aggregate_id=f"entry-{seq}")
            return svc.produce(ledger, 1, first_seq=seq + 1)[0]

        # Every connection in use once: consumer, its dead-letter publisher, the relay's.
        first = poison_then_entry(0)
        wait_until(lambda: handled(ledger, first) and broker.depth(svc.DEAD_LETTER_QUEUE) == 1, 60,
                   "the first entry and dead letter")
        time.sleep(6 * QUICK_HEARTBEAT)  # idle for three times the broker's patience
        second = poison_then_entry(10)
        wait_until(lambda: handled(ledger, second) and broker.depth(svc.DEAD_LETTER_QUEUE) == 2, 60,
                   "the second entry and dead letter")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    lost = [r.getMessage() for r in caplog.records if "lost the broker" in r.getMessage()
            or "broker unavailable" in r.getMessage()]
    assert lost == []
