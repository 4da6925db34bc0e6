"""Least privilege on the bus: what each service's broker user may do, defined once.

Every service (its API, consumer, relay and jobs) connects as a RabbitMQ user of its own,
never as an administrator. The rules follow from the naming of `topology` and the event
catalogue, so they cannot drift from the code:

- configure: the service's own queues only (`<service>.<subscription>` and its
  `.dead-letter`). Not the exchanges: they are declared once by the topology step (the
  Topology Operator's `Exchange` resources, `gateway broker-users`), and a service only checks
  them (passive declare). Configure on an exchange would let any pod delete it.
- write: its own queues (binding them), `platform.events` (publishing) and
  `platform.dead-letter` (its dead letters; the broker also checks it when a queue names it
  as dead-letter exchange). Not `amq.default`: no pod can drop a message straight into
  another service's queue.
- read: its own queues (consuming) and the two exchanges (binding its queues to them).
- topic permission on `platform.events`: write only the routing keys of the events the
  service owns in the catalogue (`owner_of`); read (bind) only the patterns its subscriptions
  bind, so no pod can tap events it does not consume (identity's carry one-time password
  links). The broker refuses, with ACCESS_REFUSED, filing's pod publishing
  `review.decision.made`; consumers refuse a forged `producer` too (`parse_event`).

The subscriptions are the services' own (`ServiceDefinition.consumes`), which this library may
not import: callers pass each service's binding patterns (`gateway.broker_users` gathers them).
`provision()` applies the rules to a broker through `rabbitmqctl` (tests, a bare broker); the
Kubernetes manifests (`User`, `Permission`, `TopicPermission`) carry the same regexes, which
tests/deploy compares.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from platform_shared.events.contracts import known_contracts, owner_of
from platform_shared.messaging.topology import DEAD_LETTER_EXCHANGE, EVENTS_EXCHANGE

# The services that use the bus; the portal and the gateway never connect to it.
BUS_SERVICES = ("identity", "filing", "review", "reporting", "notify")
# A subscription's name as `topology.Subscription` makes queue names of it.
_SUBSCRIPTION = r"[a-z0-9-]+"


@dataclass(frozen=True)
class BrokerPermissions:
    """One service's rights on a vhost: the three resource regexes and its topic permission."""

    service: str
    configure: str
    write: str
    read: str
    topic_exchange: str
    topic_write: str
    topic_read: str


def owned_event_types(service: str) -> list[str]:
    """The event types of the catalogue that `service` alone publishes, sorted."""
    return sorted({event_type for event_type, _version in known_contracts() if owner_of(event_type) == service})


def _either(names: Sequence[str]) -> str:
    return "^(" + "|".join(names) + ")$"


def permissions_of(service: str, binding_patterns: Sequence[str]) -> BrokerPermissions:
    """The broker permissions of `service`, derived from the queue naming, the catalogue and the
    patterns its subscriptions bind to `platform.events`."""
    if service not in BUS_SERVICES:
        raise ValueError(f"{service!r} does not use the bus")
    own_queues = rf"{re.escape(service)}\.{_SUBSCRIPTION}(\.dead-letter)?"
    exchanges = [re.escape(EVENTS_EXCHANGE.name), re.escape(DEAD_LETTER_EXCHANGE.name)]
    owned = owned_event_types(service)
    # A service with no event of its own may publish nothing: a regex no routing key matches.
    topic_write = _either([re.escape(t) for t in owned]) if owned else "^$"
    # The broker checks a binding's key as written (`identity.organisation.*`), not the events.
    patterns = sorted(set(binding_patterns))
    topic_read = _either([re.escape(p) for p in patterns]) if patterns else "^$"
    return BrokerPermissions(
        service=service,
        configure=_either([own_queues]),
        write=_either([own_queues, *exchanges]),
        read=_either([own_queues, *exchanges]),
        topic_exchange=str(EVENTS_EXCHANGE.name),
        topic_write=topic_write,
        topic_read=topic_read,
    )


Runner = Callable[[Sequence[str], str | None], None]


def run_rabbitmqctl(args: Sequence[str], stdin: str | None = None) -> None:
    """`rabbitmqctl <args>` on this machine's broker; raises with its output when it fails."""
    program = shutil.which("rabbitmqctl")
    if program is None:
        raise RuntimeError("rabbitmqctl not found: run this where the broker's CLI is installed")
    # A list of arguments, no shell: names and regexes reach rabbitmqctl as they are.
    result = subprocess.run([program, *args], input=stdin, capture_output=True, text=True,  # noqa: S603
                            timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"rabbitmqctl {args[0]} failed: {result.stderr or result.stdout}")


def provision(vhost: str, passwords: Mapping[str, str], rights_of: Mapping[str, BrokerPermissions], *,
              username: Callable[[str], str] = str, run: Runner = run_rabbitmqctl) -> None:
    """Create each service's user on `vhost` with its permissions (an existing user gets its
    password and permissions reset). `passwords` maps service to password, `rights_of` service
    to its permissions; `username` names the user of a service (the service's name unless told
    otherwise). The exchanges must exist already (`declare_exchanges`): services may not
    declare them."""
    for service, password in passwords.items():
        rights = rights_of[service]
        user = username(service)
        try:
            # The password on standard input, never on a command line another process can read.
            run(["add_user", user], password)
        except RuntimeError as exc:
            if "already exists" not in str(exc):
                raise
            run(["change_password", user], password)
        run(["set_permissions", "-p", vhost, user, rights.configure, rights.write, rights.read], None)
        run(["set_topic_permissions", "-p", vhost, user, rights.topic_exchange, rights.topic_write,
             rights.topic_read], None)


def remove_users(users: Sequence[str], run: Runner = run_rabbitmqctl) -> None:
    """Delete the users `provision` made (their permissions go with them)."""
    for user in users:
        run(["delete_user", user], None)

