"""The inbox and the idempotent consumer of a throwaway service, on SQLite and memory://."""

from __future__ import annotations

import json
import threading
import time

import pytest

from platform_shared.events.envelope import Envelope
from platform_shared.messaging.inbox import handle_once

pytestmark = pytest.mark.unit


@pytest.fixture
def record_effect(service):
    """The throwaway service's handler: one effect row per event; aggregates `fail-*` always fail."""
    calls: list[str] = []
    lock = threading.Lock()

    def handle(event: Envelope) -> None:
        with lock:
            calls.append(event.id)
        if event.aggregate_id.startswith("fail-"):
            raise RuntimeError(f"cannot handle {event.aggregate_id}")
        service.Effect.create(event_id=event.id, aggregate_id=event.aggregate_id)

    handle.calls = calls
    return handle


def test_handle_once_runs_the_handler_and_records_the_event(service, record_effect, make_event, effects_of):
    event = make_event()
    with service.database.connection_context(), service.database.atomic():
        assert handle_once(service.Inbox, "unit.events", event, record_effect) is True
        assert handle_once(service.Inbox, "unit.events", event, record_effect) is False

    assert effects_of(event.id) == 1
    with service.database.connection_context():
        row = service.Inbox.get(service.Inbox.event_id == event.id)
    assert (row.subscription, row.type) == ("unit.events", event.type)


def test_handle_once_keeps_subscriptions_apart(service, record_effect, make_event, effects_of):
    event = make_event()
    with service.database.connection_context(), service.database.atomic():
        assert handle_once(service.Inbox, "unit.first", event, record_effect) is True
        assert handle_once(service.Inbox, "unit.second", event, record_effect) is True

    assert effects_of(event.id) == 2


def test_a_handler_that_raises_leaves_neither_effect_nor_inbox_row(service, record_effect, make_event):
    event = make_event(aggregate_id="fail-1")
    with service.database.connection_context():
        with pytest.raises(RuntimeError), service.database.atomic():
            handle_once(service.Inbox, "unit.events", event, record_effect)
        assert service.Inbox.select().count() == 0
        assert service.Effect.select().count() == 0


def test_each_published_event_has_exactly_one_effect(service, record_effect, run_consumer, publish,
                                                     make_event, effects_of, eventually, read_dead_letters):
    run_consumer(record_effect)
    events = [make_event() for _ in range(20)]

    publish(events)

    assert eventually(lambda: all(effects_of(e.id) == 1 for e in events))
    assert [effects_of(e.id) for e in events] == [1] * 20
    with service.database.connection_context():
        assert service.Inbox.select().count() == 20
    assert read_dead_letters(0, timeout=0.1) == []


def test_a_duplicate_event_delivered_later_has_one_effect(service, record_effect, run_consumer, publish,
                                                          make_event, effects_of, eventually):
    run_consumer(record_effect)
    event, sentinel = make_event(), make_event()
    publish([event])
    assert eventually(lambda: effects_of(event.id) == 1)

    publish([event, sentinel])  # the same id again, then something to know it was consumed

    assert eventually(lambda: effects_of(sentinel.id) == 1)
    assert effects_of(event.id) == 1
    assert record_effect.calls.count(event.id) == 1


def test_a_duplicate_event_in_the_same_batch_has_one_effect(service, record_effect, run_consumer, publish,
                                                           make_event, effects_of, eventually):
    event, sentinel = make_event(), make_event()
    publish([event, event, event, sentinel])  # queued before the consumer starts: one batch

    run_consumer(record_effect)

    assert eventually(lambda: effects_of(sentinel.id) == 1)
    assert effects_of(event.id) == 1


def test_an_event_whose_handler_always_fails_ends_in_the_dead_letter_queue(
        service, record_effect, run_consumer, publish, make_event, effects_of, eventually, read_dead_letters,
        subscription):
    run_consumer(record_effect, handler_attempts=3)
    bad = make_event(aggregate_id="fail-7", correlation_id="req-7")
    later = [make_event() for _ in range(3)]

    publish([bad, *later])

    assert eventually(lambda: all(effects_of(e.id) == 1 for e in later))
    dead = read_dead_letters(1)
    assert len(dead) == 1
    message = dead[0]
    assert json.loads(message.body)["id"] == bad.id
    reason = message.headers["x-dead-letter-reason"]
    assert "handler failed 3 times" in reason
    assert "cannot handle fail-7" in reason
    assert message.headers["x-dead-lettered-by"] == subscription.queue_name
    assert message.headers["x-original-routing-key"] == subscription.patterns[0]
    assert message.properties["message_id"] == bad.id
    # Once in the all-at-once pass over the batch (rolled back), then its 3 attempts alone.
    assert record_effect.calls.count(bad.id) == 4
    assert effects_of(bad.id) == 0
    with service.database.connection_context():
        assert not service.Inbox.select().where(service.Inbox.event_id == bad.id).exists()


def test_events_after_a_dead_lettered_one_are_still_handled(service, record_effect, run_consumer, publish,
                                                           make_event, effects_of, eventually, read_dead_letters):
    run_consumer(record_effect, handler_attempts=2)
    first_bad = make_event(aggregate_id="fail-1")
    publish([first_bad])
    assert len(read_dead_letters(1)) == 1

    after = make_event()
    publish([after])

    assert eventually(lambda: effects_of(after.id) == 1)


def test_a_handler_that_fails_once_succeeds_on_retry_without_dead_lettering(
        service, run_consumer, publish, make_event, effects_of, eventually, read_dead_letters):
    failures = {"left": 1}

    def flaky(event: Envelope) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise RuntimeError("transient")
        service.Effect.create(event_id=event.id, aggregate_id=event.aggregate_id)

    run_consumer(flaky, handler_attempts=3)
    event = make_event()

    publish([event])

    assert eventually(lambda: effects_of(event.id) == 1)
    assert read_dead_letters(0, timeout=0.2) == []


def test_a_body_that_is_not_json_ends_in_the_dead_letter_queue_with_the_reason(
        record_effect, run_consumer, publish, make_event, effects_of, eventually, read_dead_letters):
    run_consumer(record_effect)
    good = make_event()

    publish(["this is not an event", good])

    assert eventually(lambda: effects_of(good.id) == 1)
    dead = read_dead_letters(1)
    assert len(dead) == 1
    assert dead[0].body == b"this is not an event"
    assert "not JSON" in dead[0].headers["x-dead-letter-reason"]
    assert record_effect.calls == [good.id]


def test_an_event_that_breaks_its_contract_ends_in_the_dead_letter_queue(
        record_effect, run_consumer, publish, make_event, read_dead_letters):
    run_consumer(record_effect)
    event = make_event()
    rogue = Envelope(type=event.type, data={**event.data, "kind": "government"}, producer="rogue",
                     aggregate_id=event.aggregate_id)

    publish([rogue])

    dead = read_dead_letters(1)
    assert len(dead) == 1
    reason = dead[0].headers["x-dead-letter-reason"]
    assert "breaks its contract" in reason and "kind" in reason
    assert record_effect.calls == []


def test_an_event_of_an_unknown_type_ends_in_the_dead_letter_queue(record_effect, run_consumer, publish,
                                                                   read_dead_letters):
    run_consumer(record_effect)
    stranger = Envelope(type="unit.thing.appeared", data={}, producer="unit", aggregate_id="x")

    publish([stranger])

    dead = read_dead_letters(1)
    assert len(dead) == 1
    assert "unknown event type or version" in dead[0].headers["x-dead-letter-reason"]
    assert record_effect.calls == []


def test_a_statement_error_of_a_handler_on_sqlite_is_dead_lettered_not_retried_forever(
        service, run_consumer, publish, make_event, read_dead_letters, effects_of, eventually, record_effect):
    def broken(event: Envelope) -> None:
        if event.aggregate_id == "broken":
            service.database.execute_sql("SELECT * FROM a_table_nobody_made")
        record_effect(event)

    run_consumer(broken, handler_attempts=2)
    bad, good = make_event(aggregate_id="broken"), make_event()
    publish([bad, good])

    dead = read_dead_letters(1)
    assert json.loads(dead[0].body)["id"] == bad.id
    assert "no such table" in dead[0].headers["x-dead-letter-reason"]
    assert eventually(lambda: effects_of(good.id) == 1)


def test_only_real_outages_count_as_the_database_being_down():
    import peewee

    from platform_shared.messaging.consumer import database_unavailable

    assert database_unavailable(peewee.OperationalError("database is locked"))
    assert database_unavailable(peewee.OperationalError("could not connect to server: Connection refused"))
    assert database_unavailable(peewee.InterfaceError("connection already closed"))
    assert not database_unavailable(peewee.OperationalError("no such table: effect"))
    assert not database_unavailable(peewee.IntegrityError("UNIQUE constraint failed"))
    assert not database_unavailable(RuntimeError("handler bug"))


def test_an_idle_consumer_on_the_in_process_bus_is_woken_by_a_publish(service, record_effect, run_consumer, publish,
                                                                       make_event, effects_of, eventually, monkeypatch):
    """It does not poll memory://: it sleeps until a publisher of the process notifies, so an
    event is handled at once, not after its longest sleep (made 60 s here)."""
    from platform_shared.messaging import consumer as consumers

    monkeypatch.setattr(consumers, "MEMORY_IDLE_SECONDS", 60.0)
    run_consumer(record_effect)
    event = make_event()
    threading.Event().wait(0.3)  # the consumer is asleep by now
    started = time.monotonic()

    publish([event])

    assert eventually(lambda: effects_of(event.id) == 1, timeout=10)
    assert time.monotonic() - started < 5


def test_a_block_a_handler_rolls_back_leaves_nothing_though_the_batch_takes_no_savepoints(
        service, run_consumer, publish, make_event, eventually):
    """Handlers in a batch take no savepoint; one whose inner block fails (and is caught) makes
    the consumer redo the batch with savepoints, so that block's write is undone and the rest kept."""
    from platform_shared.peewee_unit_of_work import PeeweeUnitOfWork

    def handler(event: Envelope) -> None:
        uow = PeeweeUnitOfWork(service.tables, producer="test")
        with uow:
            service.Effect.insert(event_id=event.id, aggregate_id=event.aggregate_id).execute()
            if event.data["name"] == "refused":
                try:
                    with uow:
                        service.Thing.insert(name=f"undone {event.id}").execute()
                        raise ValueError("refused inside")
                except ValueError:
                    pass

    events = [make_event(), make_event(), make_event()]
    events[1].data["name"] = "refused"

    publish(events)
    run_consumer(handler)

    def effects() -> int:
        with service.database.connection_context():
            return service.Effect.select().count()

    assert eventually(lambda: effects() == 3)
    with service.database.connection_context():
        assert service.Thing.select().count() == 0  # the failed block's write, undone
        assert service.Inbox.select().count() == 3
