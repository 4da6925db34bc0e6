"""The transactional outbox and its relay, on SQLite and the memory:// bus."""

from __future__ import annotations

import datetime as dt
import json

import peewee
import pytest
from kombu import Connection, Queue

from platform_shared.database import is_postgres, open_database
from platform_shared.events.envelope import Envelope
from platform_shared.messaging.outbox import NotInTransaction, OutboxRelay, write_to_outbox
from platform_shared.messaging.publisher import ConfirmedPublisher
from platform_shared.messaging.topology import EVENTS_EXCHANGE

pytestmark = pytest.mark.unit


@pytest.fixture
def event_type(unique_name) -> str:
    """A type of this test's own: relayed under a routing key no other test or service binds."""
    return f"{unique_name}.outbox.relayed"


@pytest.fixture
def new_event(event_type):
    def make(n: int = 0) -> Envelope:
        return Envelope(type=event_type, data={"n": n, "name": f"机构{n}"}, producer="unit",
                        aggregate_id=f"agg-{n}", correlation_id=f"req-{n}")

    return make


def _pending_rows(outbox) -> list:
    return list(outbox.select().where(outbox.published_at.is_null()).order_by(outbox.id))


@pytest.fixture
def collector(unique_name, event_type):
    """A queue of this test's own, bound to the test's event type, as a consumer's would be."""
    connection = Connection("memory://")
    queue = Queue(f"{unique_name}.relayed", exchange=EVENTS_EXCHANGE, routing_key=event_type)(connection.channel())
    queue.declare()

    def drain() -> list:
        messages = []
        while (message := queue.get(no_ack=True)) is not None:
            messages.append(message)
        return messages

    yield drain
    connection.release()


def _relay(outbox, batch_size: int = 500) -> OutboxRelay:
    return OutboxRelay(outbox, lambda: ConfirmedPublisher(Connection("memory://"), EVENTS_EXCHANGE),
                       service="unit", batch_size=batch_size)


def test_writing_to_the_outbox_outside_a_transaction_raises_not_in_transaction(service, event_type, new_event):
    with service.database.connection_context():
        with pytest.raises(NotInTransaction) as caught:
            write_to_outbox(service.Outbox, new_event())
        assert event_type in str(caught.value)
        assert service.Outbox.select().count() == 0


def test_an_outbox_row_commits_with_the_transaction_that_wrote_it(service, event_type, new_event):
    event = new_event()
    with service.database.connection_context():
        with service.database.atomic():
            write_to_outbox(service.Outbox, event)
        row = service.Outbox.get(service.Outbox.event_id == event.id)

    assert row.type == event_type
    assert row.correlation_id == "req-0"
    assert row.published_at is None
    assert json.loads(row.body)["id"] == event.id


def test_an_outbox_row_written_in_a_transaction_that_rolls_back_leaves_nothing(service, new_event):
    with service.database.connection_context():
        with pytest.raises(RuntimeError), service.database.atomic():
            service.Thing.create(name="will vanish")
            write_to_outbox(service.Outbox, new_event())
            raise RuntimeError("the state change failed")
        assert service.Outbox.select().count() == 0
        assert service.Thing.select().count() == 0


def test_the_relay_publishes_pending_events_in_order_and_marks_them_sent(service, event_type, new_event,
                                                                       collector):
    events = [new_event(n) for n in range(5)]
    with service.database.connection_context(), service.database.atomic():
        for event in events:
            write_to_outbox(service.Outbox, event)

    relay = _relay(service.Outbox)
    published = relay.relay_once()

    assert published == 5
    messages = collector()
    assert [m.properties["message_id"] for m in messages] == [e.id for e in events]
    assert [json.loads(m.body)["data"]["name"] for m in messages] == [f"机构{n}" for n in range(5)]
    assert messages[0].delivery_info["routing_key"] == event_type
    assert messages[0].properties["correlation_id"] == "req-0"
    with service.database.connection_context():
        assert _pending_rows(service.Outbox) == []
        assert service.Outbox.select().where(service.Outbox.published_at.is_null(False)).count() == 5


def test_a_second_relay_pass_publishes_nothing_more(service, new_event, collector):
    with service.database.connection_context(), service.database.atomic():
        write_to_outbox(service.Outbox, new_event())
    relay = _relay(service.Outbox)
    assert relay.relay_once() == 1
    assert len(collector()) == 1

    assert relay.relay_once() == 0
    assert collector() == []


def test_the_relay_works_in_batches_oldest_first(service, new_event, collector):
    events = [new_event(n) for n in range(5)]
    with service.database.connection_context(), service.database.atomic():
        for event in events:
            write_to_outbox(service.Outbox, event)
    relay = _relay(service.Outbox, batch_size=2)

    counts = [relay.relay_once() for _ in range(4)]

    assert counts == [2, 2, 1, 0]
    assert [m.properties["message_id"] for m in collector()] == [e.id for e in events]


def test_events_written_after_a_relay_pass_go_out_on_the_next(service, new_event, collector):
    relay = _relay(service.Outbox)
    first, second = new_event(1), new_event(2)
    with service.database.connection_context(), service.database.atomic():
        write_to_outbox(service.Outbox, first)
    relay.relay_once()
    with service.database.connection_context(), service.database.atomic():
        write_to_outbox(service.Outbox, second)

    assert relay.relay_once() == 1
    assert [m.properties["message_id"] for m in collector()] == [first.id, second.id]


def test_oldest_pending_age_is_zero_without_pending_events(service):
    assert _relay(service.Outbox).oldest_pending_age() == 0.0


def test_oldest_pending_age_measures_the_oldest_unpublished_event(service, event_type, new_event, collector):
    with service.database.connection_context(), service.database.atomic():
        write_to_outbox(service.Outbox, new_event(1))
        write_to_outbox(service.Outbox, new_event(2))
        an_hour_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=1)
        service.Outbox.update(created_at=an_hour_ago).where(service.Outbox.type == event_type).execute()
    relay = _relay(service.Outbox)

    age = relay.oldest_pending_age()

    assert 3590 <= age <= 3700
    relay.relay_once()
    assert relay.oldest_pending_age() == 0.0


def test_a_relay_that_cannot_publish_marks_nothing_sent(service, new_event):
    class Broken(Exception):
        pass

    class FailingPublisher:
        def publish_batch(self, messages):
            raise Broken("broker gone")

        def reset(self):
            pass

    with service.database.connection_context(), service.database.atomic():
        write_to_outbox(service.Outbox, new_event())
    relay = OutboxRelay(service.Outbox, FailingPublisher, service="unit")

    with pytest.raises(Broken):
        relay.relay_once()

    with service.database.connection_context():
        assert len(_pending_rows(service.Outbox)) == 1


def test_is_postgres_looks_through_a_database_proxy(tmp_path):
    # Services bind the outbox to a DatabaseProxy; the relay must still see PostgreSQL behind it
    # (SKIP LOCKED), and SQLite behind it.
    postgres = peewee.DatabaseProxy()
    postgres.initialize(peewee.PostgresqlDatabase("never_connected"))
    sqlite = peewee.DatabaseProxy()
    sqlite.initialize(open_database(f"sqlite:///{tmp_path / 'x.db'}"))

    assert is_postgres(postgres) is True
    assert is_postgres(sqlite) is False
    assert is_postgres(peewee.PostgresqlDatabase("never_connected")) is True


def test_a_secret_of_an_event_stays_in_the_outbox_only_until_the_broker_has_it(service, unique_name):
    from platform_shared.events.contracts import REDACTED, build_event, secret_fields

    assert secret_fields("identity.account.invited", 1) == ("password_setup_url",)
    link = "http://127.0.0.1:8000/password-setup?token=s3cr3t-one-time-token"
    invited = build_event("identity.account.invited", {
        "account_id": "a-1", "email": "new@example.cn", "role": "reviewer", "invited_by": "o-1",
        "password_setup_url": link, "password_setup_expires_at": "2026-12-10T00:00:00+00:00"},
        producer="identity", aggregate_id="a-1")
    plain = Envelope(type=f"{unique_name}.outbox.relayed", data={"n": 1}, producer="unit", aggregate_id="x")
    connection = Connection("memory://")
    queue = Queue(f"{unique_name}.invited", exchange=EVENTS_EXCHANGE, routing_key="identity.account.invited")(
        connection.channel())
    queue.declare()
    with service.database.connection_context(), service.database.atomic():
        write_to_outbox(service.Outbox, invited)
        write_to_outbox(service.Outbox, plain)
    with service.database.connection_context():
        assert "s3cr3t-one-time-token" in service.Outbox.get(service.Outbox.event_id == invited.id).body

    assert _relay(service.Outbox).relay_once() == 2

    delivered = queue.get(no_ack=True)
    assert json.loads(delivered.body)["data"]["password_setup_url"] == link  # the broker had it whole
    connection.release()
    with service.database.connection_context():
        rows = {row.event_id: json.loads(row.body) for row in service.Outbox.select()}
    assert rows[invited.id]["data"]["password_setup_url"] == REDACTED
    assert rows[invited.id]["data"]["email"] == "new@example.cn"  # the rest stays, for the record
    assert rows[plain.id]["data"] == {"n": 1}
    assert "s3cr3t" not in json.dumps(rows)
