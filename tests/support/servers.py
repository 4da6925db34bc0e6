"""Throwaway places on the machine's real servers: a RabbitMQ vhost, a PostgreSQL database.

Each is created for a test (or a session) and removed afterwards, so tests never see each
other's queues, messages or rows. Addresses can be moved with TEST_PG_ADMIN_DSN, TEST_PG_URL
and TEST_AMQP_BASE.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import psycopg2
from kombu import Connection

from gateway.broker_users import bus_permissions
from platform_shared.messaging.permissions import BUS_SERVICES, provision, remove_users
from platform_shared.messaging.topology import declare_exchanges

PG_ADMIN_DSN = os.environ.get("TEST_PG_ADMIN_DSN", "host=127.0.0.1 port=5432 user=postgres dbname=test")
PG_URL = os.environ.get("TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432")
AMQP_BASE = os.environ.get("TEST_AMQP_BASE", "amqp://guest:guest@127.0.0.1:5672")


def rabbitmqctl(*args: str, timeout: float = 120) -> str:
    result = subprocess.run(["rabbitmqctl", *args], capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"rabbitmqctl {' '.join(args)} failed: {result.stderr or result.stdout}")
    return result.stdout


@contextmanager
def throwaway_vhost(prefix: str) -> Iterator[str]:
    """A fresh vhost that only `guest` may use, as an AMQP URL; deleted (with its queues) after."""
    vhost = f"{prefix}-{uuid.uuid4().hex[:12]}"
    rabbitmqctl("add_vhost", vhost)
    try:
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        yield f"{AMQP_BASE}/{vhost}"
    finally:
        rabbitmqctl("delete_vhost", vhost)


def pg_admin(sql: str) -> None:
    connection = psycopg2.connect(PG_ADMIN_DSN)
    try:
        connection.autocommit = True  # CREATE/DROP DATABASE refuse to run in a transaction
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def create_database(name: str) -> str:
    pg_admin(f'CREATE DATABASE "{name}"')
    return f"{PG_URL}/{name}"


def drop_database(name: str) -> None:
    """Dropped WITH (FORCE), so stray connections cannot keep it alive."""
    pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def service_users(amqp_url: str, services: Sequence[str] = BUS_SERVICES) -> Iterator[dict[str, str]]:
    """On the vhost of `amqp_url`: the platform's exchanges declared (the topology step, as
    guest) and a broker user for each of `services` (all by default) with the permissions of
    `gateway.broker_users`, as deployed; yields each one's AMQP URL. The users (named after the
    vhost, as users are not per vhost) are deleted after."""
    base, vhost = amqp_url.rsplit("/", 1)
    with Connection(amqp_url) as connection:
        declare_exchanges(connection.default_channel)
    passwords = {service: secrets.token_hex(16) for service in services}
    users = {service: f"{vhost}-{service}" for service in services}
    try:
        provision(vhost, passwords, bus_permissions(), username=users.__getitem__)
        host = base.split("@", 1)[1]
        yield {service: f"amqp://{users[service]}:{passwords[service]}@{host}/{vhost}" for service in services}
    finally:
        remove_users(list(users.values()))
