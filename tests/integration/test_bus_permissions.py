"""Least privilege on the real broker: each service's own user does its work and nothing more.

A throwaway vhost gets the platform's exchanges (the topology step, as guest) and one user per
service with the permissions of `platform_shared.messaging.permissions`. Then:

- every service, as its own user, declares its real subscriptions' queues (the code path of
  `migrate` and the consumer), publishes every event it owns with publisher confirms (the
  relay's publisher), consumes what its queues received and dead-letters a message (the
  consumer's work);
- filing's user publishing `review.decision.made` is refused by the broker (ACCESS_REFUSED,
  403) and nothing reaches the subscribers; it cannot consume, bind or declare another
  service's queue, drop a message into one through the default exchange, or delete the
  platform's exchange;
- a service user on a broker that was not provisioned cannot declare the exchanges itself;
- the ops command (`python -m gateway broker-users`) sets up a bare vhost:
  the exchanges, then users that work and are bounded.
"""

from __future__ import annotations

import importlib
import re
import uuid
from collections.abc import Iterator

import pytest
from amqp.exceptions import AccessRefused
from kombu import Connection, Exchange, Queue

from gateway.__main__ import main
from gateway.broker_users import bus_permissions
from platform_shared.events.contracts import known_contracts
from platform_shared.messaging.permissions import BUS_SERVICES, owned_event_types, provision, remove_users
from platform_shared.messaging.publisher import ConfirmedPublisher, OutgoingMessage
from platform_shared.messaging.topology import (
    DEAD_LETTER_EXCHANGE,
    EVENTS_EXCHANGE,
    Subscription,
    dead_letter_queue,
    declare,
)
from tests.support.servers import service_users, throwaway_vhost

pytestmark = pytest.mark.integration


@pytest.fixture
def users(amqp_url: str, request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """Each service's AMQP URL on the test's vhost, as its own least-privileged user (only the
    services a test names with `@pytest.mark.parametrize("users", [...], indirect=True)`: each
    user costs a few `rabbitmqctl` runs)."""
    with service_users(amqp_url, getattr(request, "param", BUS_SERVICES)) as urls:
        yield urls


def subscriptions(service: str) -> list[Subscription]:
    """The service's real subscriptions, from its definition (as `ServiceRuntime` makes them)."""
    definition = importlib.import_module(f"{service}.service").definition()
    return [Subscription(service, c.name, tuple(c.patterns)) for c in definition.consumes]


def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic matching of the patterns the services use: `*` is one word (no `#` in them)."""
    assert "#" not in pattern, "a pattern with # needs a fuller matcher here"
    words = [r"[^.]+" if w == "*" else re.escape(w) for w in pattern.split(".")]
    return re.fullmatch(r"\.".join(words), routing_key) is not None


def event(event_type: str) -> OutgoingMessage:
    return OutgoingMessage(routing_key=event_type, body="{}", message_id=str(uuid.uuid4()), type=event_type)


def drain(connection: Connection, queue_name: str) -> list[str]:
    """The routing keys of every message in the queue, taken and acked with `connection`'s user."""
    queue = Queue(queue_name, channel=connection.channel(), no_declare=True)
    keys = []
    while (message := queue.get(no_ack=False)) is not None:
        keys.append(message.delivery_info["routing_key"])
        message.ack()
    return keys


def refused(operation) -> AccessRefused:
    """The broker's refusal of `operation` (a channel closed with 403)."""
    with pytest.raises(AccessRefused) as refusal:
        operation()
    assert refusal.value.reply_code == 403
    return refusal.value


def test_each_service_declares_publishes_consumes_and_dead_letters_with_its_own_user(users):
    every_type = sorted({t for t, _v in known_contracts() if t.split(".", 1)[0] in BUS_SERVICES})
    connections = {service: Connection(url) for service, url in users.items()}
    try:
        for service, connection in connections.items():
            declare(connection.default_channel, subscriptions(service), 5, True)
        for service, connection in connections.items():
            publisher = ConfirmedPublisher(connection.clone(), EVENTS_EXCHANGE)
            owned = owned_event_types(service)
            assert owned, f"{service} owns no event in the catalogue"
            publisher.publish_batch([event(t) for t in owned])  # raises unless all confirmed
            publisher.close()
        for service, connection in connections.items():
            for subscription in subscriptions(service):
                expected = sorted(t for t in every_type
                                  if any(topic_matches(p, t) for p in subscription.patterns))
                assert expected, f"{subscription.queue_name} listens to no catalogue event"
                assert sorted(drain(connection, subscription.queue_name)) == expected
            # The consumer's dead letter: into its own subscription's dead-letter queue.
            first = subscriptions(service)[0]
            dead_letters = ConfirmedPublisher(connection.clone(), DEAD_LETTER_EXCHANGE)
            dead_letters.publish_batch([OutgoingMessage(routing_key=first.queue_name, body="{}",
                                                        message_id=str(uuid.uuid4()))])
            dead_letters.close()
            assert drain(connection, first.dead_letter_queue_name) == [first.queue_name]
    finally:
        for connection in connections.values():
            connection.release()


@pytest.mark.parametrize("users", [("identity", "filing")], indirect=True)
def test_filing_cannot_publish_reviews_decision(users):
    with Connection(users["identity"]) as identity:
        declare(identity.default_channel, subscriptions("identity"), 5, True)
    with Connection(users["filing"]) as filing:
        publisher = ConfirmedPublisher(filing, EVENTS_EXCHANGE)
        refusal = refused(lambda: publisher.publish_batch([event("review.decision.made")]))
        assert "review.decision.made" in str(refusal)
        publisher.reset()
        # Its own events still go out on a new channel: the refusal was about the key, not the user.
        ConfirmedPublisher(filing, EVENTS_EXCHANGE).publish_batch([event("filing.product.submitted")])
    with Connection(users["identity"]) as identity:
        assert drain(identity, "identity.decisions") == []


@pytest.mark.parametrize("users", [("review", "filing")], indirect=True)
def test_filing_cannot_touch_another_services_queues_or_the_exchanges(users):
    with Connection(users["review"]) as review:
        declare(review.default_channel, subscriptions("review"), 5, True)
        review_queue = subscriptions("review")[0]
    with Connection(users["filing"]) as filing:
        def channel():  # each refusal closes its channel
            return filing.channel()

        refused(lambda: channel().basic_consume(review_queue.queue_name, callback=lambda m: None))
        refused(lambda: channel().basic_get(review_queue.queue_name))
        refused(lambda: channel().queue_bind(review_queue.queue_name, EVENTS_EXCHANGE.name, "filing.#"))
        refused(lambda: channel().queue_declare("review.stolen", durable=True))
        refused(lambda: channel().queue_purge(review_queue.queue_name))
        refused(lambda: channel().exchange_delete(EVENTS_EXCHANGE.name))
        refused(lambda: channel().exchange_declare("platform.events", "topic", durable=True))
        # Straight into review's queue through the default exchange: refused too.
        default = ConfirmedPublisher(filing, Exchange(""))
        refused(lambda: default.publish_batch([OutgoingMessage(
            routing_key=review_queue.queue_name, body="{}", message_id=str(uuid.uuid4()))]))
        default.reset()
        # Nor may it declare a dead-letter queue for another service's subscription.
        refused(lambda: dead_letter_queue(review_queue, True)(channel()).declare())
        # Nor tap, with a queue of its own, events it does not subscribe to: an invitation's link.
        declare(filing.default_channel, subscriptions("filing"), 5, True)
        own = subscriptions("filing")[0].queue_name
        refused(lambda: channel().queue_bind(own, EVENTS_EXCHANGE.name, "identity.account.invited"))
        refused(lambda: channel().queue_bind(own, EVENTS_EXCHANGE.name, "#"))
    with Connection(users["review"]) as review:
        assert drain(review, review_queue.queue_name) == []


def test_a_service_user_cannot_set_up_a_broker_that_was_not_provisioned():
    """The exchanges are the topology step's: on a bare vhost the service's declare is refused."""
    with throwaway_vhost("perm") as url:
        vhost = url.rsplit("/", 1)[1]
        user, password = f"{vhost}-filing", uuid.uuid4().hex
        provision(vhost, {"filing": password}, bus_permissions(), username=lambda _s: user)
        try:
            host = url.split("@", 1)[1].rsplit("/", 1)[0]
            with Connection(f"amqp://{user}:{password}@{host}/{vhost}") as filing:
                refused(lambda: declare(filing.default_channel, subscriptions("filing"), 5, True))
        finally:
            remove_users([user])


def test_the_ops_command_provisions_a_bare_vhost(capsys, monkeypatch):
    with throwaway_vhost("perm") as admin_url:
        vhost = admin_url.rsplit("/", 1)[1]
        prefix, password = f"{vhost}-", uuid.uuid4().hex
        try:
            monkeypatch.setenv("BROKER_ADMIN_URL", admin_url)
            monkeypatch.setenv("FILING_BROKER_PASSWORD", password)
            status = main(["broker-users", "--vhost", vhost, "--user-prefix", prefix])
            assert status == 0 and f"{prefix}filing" in capsys.readouterr().out
            host = admin_url.split("@", 1)[1].rsplit("/", 1)[0]
            with Connection(f"amqp://{prefix}filing:{password}@{host}/{vhost}") as filing:
                declare(filing.default_channel, subscriptions("filing"), 5, True)  # exchanges exist
                ConfirmedPublisher(filing, EVENTS_EXCHANGE).publish_batch([event("filing.product.filed")])
                refused(lambda: ConfirmedPublisher(filing, EVENTS_EXCHANGE).publish_batch(
                    [event("identity.organisation.verified")]))
        finally:
            remove_users([f"{prefix}filing"])
