"""Least privilege on the bus: what each service's broker user may do, defined once.

Every service (its API, consumer, relay and jobs) connects as a RabbitMQ user of its own,
never as an administrator. The rules follow from the naming of `topology` and the event
catalogue, so they cannot drift from the code:

- configure: the service's own queues only (`<service>.<subscription>` and its
  `.dead-letter`). Not the exchanges: they are declared once by the topology step (the
  Topology Operator's `Exchange` resources, `provision` below), and a service only checks
  them (passive declare). Configure on an exchange would let any pod delete it.
- write: its own queues (binding them), `platform.events` (publishing) and
  `platform.dead-letter` (its dead letters; the broker also checks it when a queue names it
  as dead-letter exchange). Not `amq.default`: no pod can drop a message straight into
  another service's queue.
- read: its own queues (consuming) and the two exchanges (binding its queues to them).
- topic permission on `platform.events`: write only the routing keys of the events the
  service owns in the catalogue (`owner_of`), read every key (events are for anyone
  subscribed). The broker refuses, with ACCESS_REFUSED, filing's pod publishing
  `review.decision.made`; consumers refuse a forged `producer` too (`parse_event`).

`provision()` applies the rules to a broker through `rabbitmqctl` (tests, a bare broker);
the Kubernetes manifests (`User`, `Permission`, `TopicPermission`) carry the same regexes,
which tests/deploy compares with `permissions_of`.

On a broker without the Topology Operator, where `rabbitmqctl` runs:

    python -m platform_shared.messaging.permissions --show          # the rules, per service
    BROKER_ADMIN_URL=amqps://admin:…@host:5671/ FILING_BROKER_PASSWORD=… … \
        python -m platform_shared.messaging.permissions --vhost /   # exchanges, then the users

Passwords come from `<SERVICE>_BROKER_PASSWORD` (a service without one is left alone), never
from the command line, which other processes can read.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass

from kombu.connection import Connection

from platform_shared.events.contracts import known_contracts, owner_of
from platform_shared.messaging.tls import tls_options
from platform_shared.messaging.topology import DEAD_LETTER_EXCHANGE, EVENTS_EXCHANGE, declare_exchanges

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


def permissions_of(service: str) -> BrokerPermissions:
    """The broker permissions of `service`, derived from the queue naming and the catalogue."""
    if service not in BUS_SERVICES:
        raise ValueError(f"{service!r} does not use the bus")
    own_queues = rf"{re.escape(service)}\.{_SUBSCRIPTION}(\.dead-letter)?"
    exchanges = [re.escape(EVENTS_EXCHANGE.name), re.escape(DEAD_LETTER_EXCHANGE.name)]
    owned = owned_event_types(service)
    # A service with no event of its own may publish nothing: a regex no routing key matches.
    topic_write = _either([re.escape(t) for t in owned]) if owned else "^$"
    return BrokerPermissions(
        service=service,
        configure=_either([own_queues]),
        write=_either([own_queues, *exchanges]),
        read=_either([own_queues, *exchanges]),
        topic_exchange=str(EVENTS_EXCHANGE.name),
        topic_write=topic_write,
        topic_read=".*",
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


def provision(vhost: str, passwords: dict[str, str], *, username: Callable[[str], str] = str,
              run: Runner = run_rabbitmqctl) -> None:
    """Create each service's user on `vhost` with its permissions (an existing user gets its
    password and permissions reset). `passwords` maps service to password; `username` names
    the user of a service (the service's name unless told otherwise). The exchanges must exist
    already (`declare_exchanges`), as services no longer may declare them."""
    for service, password in passwords.items():
        rights = permissions_of(service)
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


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """The command line of the module docstring; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m platform_shared.messaging.permissions",
                                     description="Each service's broker user and permissions.")
    parser.add_argument("--show", action="store_true", help="print the rules of every service and exit")
    parser.add_argument("--vhost", default="/", help="the vhost to provision (default /)")
    parser.add_argument("--user-prefix", default="", help="users are named <prefix><service> (default: no prefix)")
    arguments = parser.parse_args(argv)
    env = os.environ if env is None else env
    if arguments.show:
        for service in BUS_SERVICES:
            for name, value in asdict(permissions_of(service)).items():
                if name != "service":
                    print(f"{service}\t{name}\t{value}")
        return 0
    admin_url = env.get("BROKER_ADMIN_URL", "")
    passwords = {service: env[f"{service.upper()}_BROKER_PASSWORD"] for service in BUS_SERVICES
                 if env.get(f"{service.upper()}_BROKER_PASSWORD")}
    if not admin_url or not passwords:
        parser.error("set BROKER_ADMIN_URL and at least one <SERVICE>_BROKER_PASSWORD")
    with Connection(admin_url, ssl=tls_options(admin_url, env.get("AMQP_CA_FILE", ""))) as connection:
        declare_exchanges(connection.default_channel)
    prefix = arguments.user_prefix
    provision(arguments.vhost, passwords, username=lambda service: prefix + service)
    print(f"provisioned on vhost {arguments.vhost!r}: {', '.join(prefix + s for s in sorted(passwords))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
