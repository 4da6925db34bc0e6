"""Each service's broker user, from the one place that knows every service: their permissions
(`platform_shared.messaging.permissions`, given each service's subscriptions) and the command
that provisions them on a broker without the Topology Operator.

    python -m gateway broker-users --show                  # the rules, per service
    BROKER_ADMIN_URL=amqps://admin:…@host:5671/ FILING_BROKER_PASSWORD=… … \\
        python -m gateway broker-users --vhost /           # the exchanges, then the users

Passwords come from `<SERVICE>_BROKER_PASSWORD` (a service without one is left alone), the
administrator's URL from `BROKER_ADMIN_URL`: never from the command line, which other
processes can read. `rabbitmqctl` must run on this machine (the broker's node).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import asdict

from kombu.connection import Connection

from gateway.embedded import definitions
from platform_shared.messaging.permissions import BUS_SERVICES, BrokerPermissions, permissions_of, provision
from platform_shared.messaging.tls import tls_options
from platform_shared.messaging.topology import declare_exchanges


def bus_permissions() -> dict[str, BrokerPermissions]:
    """{service: its broker permissions}, its topic reads being the patterns it subscribes to."""
    known = definitions()
    return {service: permissions_of(service, [p for c in known[service].consumes for p in c.patterns])
            for service in BUS_SERVICES}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--show", action="store_true", help="print every service's rules and exit")
    parser.add_argument("--vhost", default="/", help="the vhost to provision (default /)")
    parser.add_argument("--user-prefix", default="", help="users are named <prefix><service> (default: none)")


def run(arguments: argparse.Namespace, env: Mapping[str, str]) -> int:
    """`broker-users` of `python -m gateway`; returns the exit status."""
    rights = bus_permissions()
    if arguments.show:
        for service, permissions in rights.items():
            for name, value in asdict(permissions).items():
                if name != "service":
                    print(f"{service}\t{name}\t{value}")
        return 0
    admin_url = env.get("BROKER_ADMIN_URL", "")
    passwords = {service: env[f"{service.upper()}_BROKER_PASSWORD"] for service in BUS_SERVICES
                 if env.get(f"{service.upper()}_BROKER_PASSWORD")}
    if not admin_url or not passwords:
        raise SystemExit("set BROKER_ADMIN_URL and at least one <SERVICE>_BROKER_PASSWORD")
    with Connection(admin_url, ssl=tls_options(admin_url, env.get("AMQP_CA_FILE", ""))) as connection:
        declare_exchanges(connection.default_channel)
    prefix = arguments.user_prefix
    provision(arguments.vhost, passwords, rights, username=lambda service: prefix + service)
    print(f"provisioned on vhost {arguments.vhost!r}: {', '.join(prefix + s for s in sorted(passwords))}")
    return 0

