"""A service as it runs: its definition, its opened database, its app, consumers and relay.

Each service describes itself once in a `ServiceDefinition` (name, database proxy, migrations,
blueprints, subscriptions with their handlers); `ServiceRuntime` turns that plus settings into
the three kinds of process (HTTP, consumer, relay). The embedded default builds all five
runtimes in one process; deployment runs one kind of process per container.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import peewee
from flask import Flask
from flask_smorest import Blueprint
from kombu.connection import Connection

from platform_shared.audit import SYSTEM, Actor
from platform_shared.auth.revocations import RevocationCheck
from platform_shared.auth.tokens import TokenVerifier
from platform_shared.config import ServiceSettings
from platform_shared.database import database_reachable, open_database
from platform_shared.events.envelope import Envelope
from platform_shared.messaging.consumer import DATABASE_DOWN, POLLING, EventConsumer
from platform_shared.messaging.outbox import OutboxRelay
from platform_shared.messaging.publisher import ConfirmedPublisher, PublishNotConfirmed
from platform_shared.messaging.signals import OUTBOX_COMMITS
from platform_shared.messaging.tls import tls_options
from platform_shared.messaging.topology import EVENTS_EXCHANGE, Subscription, declare, is_amqp
from platform_shared.migrations import Migration, migrate
from platform_shared.observability import metrics
from platform_shared.peewee_unit_of_work import PeeweeUnitOfWork
from platform_shared.rate_limits import RateLimits
from platform_shared.schedules import ScheduledJob
from platform_shared.tables import ServiceTables
from platform_shared.unit_of_work import UnitOfWork
from platform_shared.web.access import install_verifier
from platform_shared.web.app import create_service_app

log = logging.getLogger(__name__)

HandlerFactory = Callable[["ServiceRuntime"], Callable[[Envelope], None]]


@dataclass(frozen=True)
class Consumes:
    """A subscription of the service and how to build its handler once the service runs."""

    name: str
    patterns: Sequence[str]
    handler: HandlerFactory


@dataclass(frozen=True)
class ServiceCommand:
    """A command of one service beside serve/consume/relay/migrate (e.g. reporting's `rebuild`).

    `arguments` adds the command's options to its argparse parser; `run` gets the opened
    runtime and the parsed arguments and returns the exit status.
    """

    name: str
    help: str
    run: Callable[[ServiceRuntime, Any], int]
    arguments: Callable[[Any], None] = lambda parser: None


@dataclass
class ServiceDefinition:
    """What a service is: its tables and migrations, its unit of work (a class taking the tables
    and the unit of work's context), its blueprints, subscriptions, workers and commands."""

    name: str
    title: str
    tables: ServiceTables
    migrations: Sequence[Migration]
    unit_of_work: Callable[..., PeeweeUnitOfWork] = PeeweeUnitOfWork
    blueprints: Callable[[], Sequence[Blueprint]] = lambda: ()
    consumes: Sequence[Consumes] = ()
    on_start: Callable[[ServiceRuntime], None] | None = None
    # Background loops that run beside the consumers (e.g. notify's mail delivery).
    workers: Sequence[Callable[[ServiceRuntime], Callable[[threading.Event], None]]] = ()
    configure_app: Sequence[Callable[[Flask], None]] = field(default_factory=tuple)
    commands: Sequence[ServiceCommand] = ()
    # Jobs due at a time (a CronJob each in deployment; `ScheduleRunner` embedded), also commands.
    scheduled: Sequence[ScheduledJob] = ()


class ServiceRuntime:
    """One service with its database opened; the factory of its app, consumers and relay."""

    def __init__(self, definition: ServiceDefinition, settings: ServiceSettings):
        self.definition = definition
        self.settings = settings
        self._database: peewee.Database | None = None
        # What the service's handlers need beyond a unit of work (registries, stores, settings),
        # built by its `on_start`; views reach it with `web.context.current_dependencies`.
        self.dependencies: object = None

    @property
    def database(self) -> peewee.Database:
        """The service's database, once `open()` opened it."""
        if self._database is None:
            raise RuntimeError(f"{self.name}: open() the runtime before using its database")
        return self._database

    @property
    def name(self) -> str:
        return self.definition.name

    def open(self, run_migrations: bool | None = None) -> ServiceRuntime:
        if self._database is None:
            self._database = open_database(self.settings.database_url)
            self.definition.tables.database.initialize(self._database)
        if self.settings.migrate_on_start if run_migrations is None else run_migrations:
            self.migrate()
        if self.definition.on_start:
            self.definition.on_start(self)
        return self

    def migrate(self) -> list[int]:
        return migrate(self.database, self.definition.migrations, lock_name=f"{self.name}.migrations")

    def close(self) -> None:
        if self._database is not None:
            close_all = getattr(self._database, "close_all", None)
            if close_all is not None:
                close_all()  # a pool's every connection
            else:
                self._database.close()

    # --- transactions -------------------------------------------------------------
    def unit_of_work(self, correlation_id: str | None = None, actor: Actor = SYSTEM) -> UnitOfWork:
        return self.definition.unit_of_work(self.definition.tables, producer=self.name,
                                            correlation_id=correlation_id, actor=actor)

    def unit_of_work_for(self, event: Envelope) -> UnitOfWork:
        """A unit of work reacting to `event`: its events carry the same correlation id."""
        return self.unit_of_work().caused_by(event)

    # --- messaging ----------------------------------------------------------------
    def subscriptions(self) -> list[Subscription]:
        return [Subscription(self.name, c.name, tuple(c.patterns)) for c in self.definition.consumes]

    def connection(self) -> Connection:
        return Connection(self.settings.amqp_url, transport_options=dict(POLLING),
                          heartbeat=30, ssl=self.broker_tls())

    def broker_tls(self) -> dict[str, Any] | bool:
        """How connections verify the broker (AMQPS with the cluster's CA, `messaging.tls`)."""
        return tls_options(self.settings.amqp_url, self.settings.amqp_ca_file)

    def declare_topology(self) -> None:
        """Declare the exchanges and this service's queues (migrate does it before any relay)."""
        with self.connection() as connection:
            declare(connection.default_channel, self.subscriptions(), self.settings.delivery_limit,
                    is_amqp(self.settings.amqp_url))

    def consumers(self) -> list[EventConsumer]:
        return [
            EventConsumer(
                amqp_url=self.settings.amqp_url, subscription=subscription, inbox=self.definition.tables.Inbox,
                handler=consumes.handler(self), prefetch=self.settings.prefetch,
                batch_size=self.settings.consumer_batch, handler_attempts=self.settings.handler_attempts,
                delivery_limit=self.settings.delivery_limit, tls=self.broker_tls())
            for subscription, consumes in zip(self.subscriptions(), self.definition.consumes, strict=True)
        ]

    def background_workers(self) -> list[Callable[[threading.Event], None]]:
        """What `consume` runs beside the consumers: one callable per loop, taking `stop`."""
        return [worker(self) for worker in self.definition.workers]

    def relay(self) -> OutboxRelay:
        def publisher() -> ConfirmedPublisher:
            connection = self.connection()
            connection.ensure_connection(max_retries=1)
            return ConfirmedPublisher(connection, EVENTS_EXCHANGE)

        return OutboxRelay(self.definition.tables.Outbox, publisher, self.name, self.settings.relay_batch)

    def run_relay(self, stop: threading.Event, idle_seconds: float = 0.1) -> None:
        """Relay outbox rows until `stop`, surviving broker and database outages.

        When idle it waits `idle_seconds` or until a commit of this process wrote outbox rows
        (`OUTBOX_COMMITS`): a relay beside its writers (embedded) can wait long without delaying
        anything; a relay of its own (deployment) keeps the short default and polls."""
        relay = self.relay()
        backoff = 0.2
        while not stop.is_set():
            try:
                seen = OUTBOX_COMMITS.count
                published = relay.relay_once()
                metrics.OUTBOX_LAG.labels(self.name).set(relay.oldest_pending_age())
                backoff = 0.2
                if published < self.settings.relay_batch:
                    OUTBOX_COMMITS.wait_after(seen, idle_seconds)
            except DATABASE_DOWN as exc:
                log.warning("relay %s: database unavailable: %s", self.name, exc)
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
            except (PublishNotConfirmed, OSError, ConnectionError) as exc:
                log.warning("relay %s: broker unavailable: %s", self.name, exc)
                relay.drop_publisher()
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
            except Exception as exc:
                if not _is_broker_error(exc):
                    raise
                log.warning("relay %s: broker unavailable: %s", self.name, exc)
                relay.drop_publisher()
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
        # Stopped: its connection is closed now, not when the garbage collector finds it (a relay
        # run in a thread of a longer-lived process: the embedded platform, the tests).
        relay.drop_publisher()

    # --- HTTP ---------------------------------------------------------------------
    def broker_reachable(self) -> bool:
        if not is_amqp(self.settings.amqp_url):
            return True
        try:
            with Connection(self.settings.amqp_url, connect_timeout=2, ssl=self.broker_tls()) as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
            return True
        except Exception:  # noqa: BLE001 - any failure to connect means not ready
            return False

    def create_app(self) -> Flask:
        app = create_service_app(
            self.name, title=self.definition.title, blueprints=self.definition.blueprints(),
            readiness={"database": lambda: database_reachable(self.database),
                       "broker": self.broker_reachable},
            max_body_bytes=self.settings.max_body_bytes,
            configure=self.definition.configure_app,
            trusted_proxy_hops=int(self.settings.setting("TRUSTED_PROXY_HOPS", "0")),
            trusted_proxies=self.settings.setting("TRUSTED_PROXIES"),
        )
        app.extensions["runtime"] = self
        app.extensions["rate_limits"] = RateLimits(
            self.settings.setting("RATELIMIT_STORAGE_URI", "memory://"),
            lambda scope, default: self.settings.setting(f"RATE_LIMIT_{scope.upper()}", default))
        install_verifier(app, TokenVerifier(self.settings.jwks_url),
                         RevocationCheck(self.definition.tables.RevokedAccount))
        database = self.database

        @app.before_request
        def _connect() -> None:
            database.connect(reuse_if_open=True)

        @app.teardown_request
        def _release(_exc: BaseException | None) -> None:
            if not database.is_closed():
                database.close()

        return app


def _is_broker_error(exc: Exception) -> bool:
    from amqp.exceptions import AMQPError
    from kombu.exceptions import KombuError

    return isinstance(exc, (AMQPError, KombuError))
