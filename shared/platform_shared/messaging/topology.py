"""The one naming convention for exchanges and queues, defined once for all services.

- Domain events go to one durable topic exchange, `platform.events`; the routing key is the
  event type (`<service>.<aggregate>.<happened>`).
- A consuming service declares one durable quorum queue per subscription, named
  `<service>.<subscription>`, bound by patterns, with a delivery limit and the dead-letter
  exchange `platform.dead-letter` (direct), routing key = the queue's name.
- Each subscription has a durable dead-letter queue `<service>.<subscription>.dead-letter`
  bound to that key: whatever the broker gives up on (delivery limit) or the consumer refuses
  (malformed event, handler that keeps failing) lands there, never vanishes.

The exchanges are the platform's, not a service's: the topology step declares them
(`declare_exchanges`, run with an administrator's rights: the Topology Operator's `Exchange`
resources in Kubernetes, `python -m gateway broker-users` on a bare broker, the tests'
`service_users`). A service only checks they are there (a passive declare), as its broker
user may not configure them (`permissions`); on a broker where they are missing it declares
them itself, which only an administrator (the development broker's guest) is allowed to do.

On `memory://` (embedded default, unit tests) the queue arguments are ignored by kombu's
virtual transport; the consumer's own retry-then-dead-letter logic gives the same outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from amqp.exceptions import NotFound
from kombu.entity import Exchange, Queue, binding

EVENTS_EXCHANGE = Exchange("platform.events", type="topic", durable=True)
DEAD_LETTER_EXCHANGE = Exchange("platform.dead-letter", type="direct", durable=True)
PLATFORM_EXCHANGES = (EVENTS_EXCHANGE, DEAD_LETTER_EXCHANGE)
# The same exchanges as queues name them: declaring a queue or binding must not declare them
# again (`ensure_exchanges` did), or a service's user would need configure on them.
_EVENTS_AS_BOUND = Exchange(EVENTS_EXCHANGE.name, type="topic", durable=True, no_declare=True)
_DEAD_LETTER_AS_BOUND = Exchange(DEAD_LETTER_EXCHANGE.name, type="direct", durable=True, no_declare=True)


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
        bindings=[binding(_EVENTS_AS_BOUND, routing_key=p) for p in subscription.patterns],
        durable=True,
        queue_arguments=arguments,
    )


def dead_letter_queue(subscription: Subscription, amqp: bool) -> Queue:
    arguments = {"x-queue-type": "quorum"} if amqp else None
    return Queue(
        subscription.dead_letter_queue_name,
        exchange=_DEAD_LETTER_AS_BOUND,
        routing_key=subscription.queue_name,
        durable=True,
        queue_arguments=arguments,
    )


def declare_exchanges(channel: Any) -> None:
    """Declare the platform's exchanges (the topology step; needs configure on them)."""
    for exchange in PLATFORM_EXCHANGES:
        exchange(channel).declare()


def ensure_exchanges(channel: Any, amqp: bool) -> None:
    """Check the exchanges exist, declaring them only when they do not.

    On AMQP the check is a passive declare on a channel of its own (a missing exchange closes
    the channel it was asked on): it needs no permission, so a least-privileged service
    passes it once the topology step ran, and an administrator's declare follows only when
    the exchanges are missing. A service user reaching that declare is refused (ACCESS_REFUSED):
    the broker was not provisioned.
    """
    if not amqp:
        declare_exchanges(channel)  # memory://: one process, nothing to protect
        return
    probe = channel.connection.channel()
    try:
        for exchange in PLATFORM_EXCHANGES:
            probe.exchange_declare(exchange.name, exchange.type, passive=True)
    except NotFound:
        probe = channel.connection.channel()
        declare_exchanges(probe)
    finally:
        probe.close()


def declare(channel: Any, subscriptions: Sequence[Subscription], delivery_limit: int, amqp: bool) -> list[Queue]:
    """Check (or declare) the exchanges, then declare the subscriptions' queues and their
    dead-letter queues."""
    ensure_exchanges(channel, amqp)
    queues = []
    for subscription in subscriptions:
        dead_letter_queue(subscription, amqp)(channel).declare()
        queue = consumer_queue(subscription, delivery_limit, amqp)(channel)
        queue.declare()
        queues.append(queue)
    return queues
