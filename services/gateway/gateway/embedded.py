"""The embedded default: all five services in one process, on SQLite and the in-process bus.

Why one process: kombu's `memory://` transport lives inside one Python process, and it is
what lets a newcomer run the platform with nothing installed but Python. So the five Flask
apps are mounted under one dispatcher and each service's consumers, outbox relay and
background workers run as threads beside the HTTP server. The service code is the same as in
deployment; only configuration differs (SQLite files under `var/`, `memory://`, a mail sink).
The web portal is served at `/` from the same process; it reaches the services only through
`/api/v1/…`, handed to this dispatcher in-process.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from gateway.responses import index, problem
from gateway.routes import SERVICES, service_for
from platform_shared.config import ServiceSettings
from platform_shared.messaging.signals import BUS_PUBLISHES, OUTBOX_COMMITS
from platform_shared.observability import metrics
from platform_shared.runtime import ServiceDefinition, ServiceRuntime
from platform_shared.schedules import ScheduleRunner

log = logging.getLogger(__name__)
# How long an idle relay waits when no commit wakes it (a write by another process: a command).
RELAY_IDLE_SECONDS = 2.0


def definitions() -> dict[str, ServiceDefinition]:
    from filing.service import definition as filing
    from identity.service import definition as identity
    from notify.service import definition as notify
    from reporting.service import definition as reporting
    from review.service import definition as review

    return {"identity": identity(), "filing": filing(), "review": review(),
            "reporting": reporting(), "notify": notify()}


def embedded_environment(env: Mapping[str, str], data_dir: Path) -> dict[str, str]:
    """The embedded defaults, under whatever the caller set explicitly."""
    merged = dict(env)
    merged.setdefault("DATA_DIR", str(data_dir))
    merged.setdefault("AMQP_URL", "memory://")
    merged.setdefault("JWKS_URL", (data_dir / "identity" / "jwks.json").resolve().as_uri())
    return merged


class EmbeddedPlatform:
    """The five services in this process; `start()` opens them and starts their threads."""

    def __init__(self, env: Mapping[str, str] | None = None, data_dir: Path | None = None) -> None:
        env = os.environ if env is None else env
        data_dir = (data_dir or Path(env.get("DATA_DIR", "var"))).resolve()
        self.env = embedded_environment(env, data_dir)
        self.data_dir = data_dir
        self.runtimes: dict[str, ServiceRuntime] = {}
        self.apps: dict[str, WSGIApplication] = {}
        self.portal: WSGIApplication | None = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def open(self) -> EmbeddedPlatform:
        # identity first: it writes the JWKS the others verify tokens with.
        for name, definition in definitions().items():
            runtime = ServiceRuntime(definition, ServiceSettings.from_env(name, self.env)).open()
            self.runtimes[name] = runtime
            self.apps[name] = runtime.create_app()
        self.portal = _portal(self.env, self.api)
        return self

    def start_background(self) -> None:
        """Declare every queue first (memory:// drops what no queue is bound to), then start
        the consumers, the workers and, last, the relays."""
        for runtime in self.runtimes.values():
            runtime.declare_topology()
        targets: list[tuple[str, Callable[[threading.Event], None]]] = []
        for runtime in self.runtimes.values():
            targets += [(f"{runtime.name}-consumer-{i}", c.run) for i, c in enumerate(runtime.consumers())]
            targets += [(f"{runtime.name}-worker-{i}", w) for i, w in enumerate(runtime.background_workers())]
        jobs = [(runtime, job) for runtime in self.runtimes.values() for job in runtime.definition.scheduled]
        if jobs:
            targets.append(("scheduled-jobs", ScheduleRunner(jobs, self.data_dir / "scheduled-jobs.json")))
        for runtime in self.runtimes.values():
            # Every writer is in this process and wakes the relays on commit (OUTBOX_COMMITS):
            # they need not poll the five databases ten times a second.
            targets.append((f"{runtime.name}-relay", functools.partial(runtime.run_relay,
                                                                       idle_seconds=RELAY_IDLE_SECONDS)))
        for name, target in targets:
            thread = threading.Thread(target=target, args=(self._stop,), name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        OUTBOX_COMMITS.notify()  # the relays wait for a commit: let them see `stop` now
        BUS_PUBLISHES.notify()  # and the consumers for a message on the bus
        for thread in self._threads:
            thread.join(timeout=10)
        for runtime in self.runtimes.values():
            runtime.close()

    def api(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """`/api/v1/` (the index of the services) and `/api/v1/<service>/…`."""
        path = environ.get("PATH_INFO", "")
        name = service_for(path)
        if name is not None:
            return self.apps[name](environ, start_response)
        if path in ("/api/v1", "/api/v1/"):
            return index(start_response, SERVICES)
        return problem(start_response, 404, f"No service answers {path}; try /api/v1/<service>/.")

    def wsgi(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/api" or path.startswith("/api/"):
            return self.api(environ, start_response)
        if path == "/healthz":
            return problem(start_response, 503, "stopping") if self._stop.is_set() else \
                index(start_response, SERVICES)
        if path == "/readyz":
            not_ready = [n for n, r in self.runtimes.items()
                         if not (r.broker_reachable() and _database_ok(r))]
            if not_ready:
                return problem(start_response, 503, "Not ready: " + ", ".join(not_ready))
            return index(start_response, SERVICES)
        if path == "/metrics":
            # One process: the five services' samples are all in this registry.
            body, content_type = metrics.exposition()
            start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
            return [body]
        # Everything else is the web portal's (its pages call the services through `api`).
        if self.portal is None:
            raise RuntimeError("the embedded platform is not open")
        return self.portal(environ, start_response)


def _portal(env: Mapping[str, str], api: WSGIApplication) -> WSGIApplication:
    """The web portal, calling the API in this process (or at PORTAL_API_URL when set); its
    session cookie is not `Secure` here unless PORTAL_COOKIE_SECURE says so: the embedded
    default is served over http://127.0.0.1."""
    from portal.app import create_app
    from portal.config import PortalSettings
    from portal.transport import WsgiTransport

    settings = PortalSettings.from_env(env, api_url_default=None, cookie_secure_default=False)
    return create_app(settings, None if settings.api_url else WsgiTransport(api))


def _database_ok(runtime: ServiceRuntime) -> bool:
    import peewee

    from platform_shared.database import database_reachable

    database: object = runtime.database  # None before the platform is open
    return isinstance(database, peewee.Database) and database_reachable(database)
