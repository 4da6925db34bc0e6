"""The one naming convention for exchanges and queues, defined once for all services.

- Domain events go to one durable topic exchange, `platform.events`; the routing key is the
  event type (`<service>.<aggregate>.<happened>`).
- A consuming service declares one durable quorum queue per subscription, named
  `<service>.<subscription>`, bound by patterns, with a delivery limit and the dead-letter
  exchange `platform.dead-letter` (direct), routing key = the queue's name.
- Each subscription has a durable dead-letter queue `<service>.<subscription>.dead-letter`
  bound to that key: whatever the broker gives up on (delivery limit) or the consumer refuses
  (malformed event, handler that keeps failing) lands there, never vanishes.

On `memory://` (embedded default, unit tests) the queue arguments are ignored by kombu's
virtual transport; the consumer's own retry-then-dead-letter logic gives the same outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kombu.entity import Exchange, Queue, binding

EVENTS_EXCHANGE = Exchange("platform.events", type="topic", durable=True)
DEAD_LETTER_EXCHANGE = Exchange("platform.dead-letter", type="direct", durable=True)


@dataclass(frozen=True)
class Subscription:
    """A named stream of events one service consumes: the queue and its binding patterns."""

    service: str
    name: str
    patterns: Sequence[str]

    @property
    def queue_name(self) -> str:
        return f"{self.service}.{self.name}"

    @property
    def dead_letter_queue_name(self) -> str:
        return f"{self.queue_name}.dead-letter"


def is_amqp(url: str) -> bool:
    return url.split("://", 1)[0] in ("amqp", "amqps", "pyamqp")


def consumer_queue(subscription: Subscription, delivery_limit: int, amqp: bool) -> Queue:
    """The subscription's durable queue, bound to every pattern it listens to."""
    arguments = None
    if amqp:
        arguments = {
            "x-queue-type": "quorum",
            "x-delivery-limit": delivery_limit,
            "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE.name,
            "x-dead-letter-routing-key": subscription.queue_name,
        }
    return Queue(
        subscription.queue_name,
        bindings=[binding(EVENTS_EXCHANGE, routing_key=p) for p in subscription.patterns],
        durable=True,
        queue_arguments=arguments,
    )


def dead_letter_queue(subscription: Subscription, amqp: bool) -> Queue:
    arguments = {"x-queue-type": "quorum"} if amqp else None
    return Queue(
        subscription.dead_letter_queue_name,
        exchange=DEAD_LETTER_EXCHANGE,
        routing_key=subscription.queue_name,
        durable=True,
        queue_arguments=arguments,
    )


def declare(channel: Any, subscriptions: Sequence[Subscription], delivery_limit: int, amqp: bool) -> list[Queue]:
    """Declare the exchanges, the subscriptions' queues and their dead-letter queues."""
    EVENTS_EXCHANGE(channel).declare()
    DEAD_LETTER_EXCHANGE(channel).declare()
    queues = []
    for subscription in subscriptions:
        dead_letter_queue(subscription, amqp)(channel).declare()
        queue = consumer_queue(subscription, delivery_limit, amqp)(channel)
        queue.declare()
        queues.append(queue)
    return queues
