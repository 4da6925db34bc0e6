"""The embedded default: all five services in one process, on SQLite and the in-process bus.

Why one process: kombu's `memory://` transport lives inside one Python process, and it is
what lets a newcomer run the platform with nothing installed but Python. So the five Flask
apps are mounted under one dispatcher and each service's consumers, outbox relay and
background workers run as threads beside the HTTP server. The service code is the same as in
deployment; only configuration differs (SQLite files under `var/`, `memory://`, a mail sink).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from pathlib import Path

from gateway.responses import index, problem
from gateway.routes import SERVICES, service_for
from platform_shared.config import ServiceSettings
from platform_shared.observability import metrics
from platform_shared.runtime import ServiceDefinition, ServiceRuntime

log = logging.getLogger(__name__)


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

    def __init__(self, env: Mapping[str, str] | None = None, data_dir: Path | None = None):
        env = os.environ if env is None else env
        data_dir = (data_dir or Path(env.get("DATA_DIR", "var"))).resolve()
        self.env = embedded_environment(env, data_dir)
        self.data_dir = data_dir
        self.runtimes: dict[str, ServiceRuntime] = {}
        self.apps = {}
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def open(self) -> EmbeddedPlatform:
        # identity first: it writes the JWKS the others verify tokens with.
        for name, definition in definitions().items():
            runtime = ServiceRuntime(definition, ServiceSettings.from_env(name, self.env)).open()
            self.runtimes[name] = runtime
            self.apps[name] = runtime.create_app()
        return self

    def start_background(self) -> None:
        """Declare every queue first (memory:// drops what no queue is bound to), then start
        the consumers, the workers and, last, the relays."""
        for runtime in self.runtimes.values():
            runtime.declare_topology()
        targets = []
        for runtime in self.runtimes.values():
            targets += [(f"{runtime.name}-consumer-{i}", c.run) for i, c in enumerate(runtime.consumers())]
            targets += [(f"{runtime.name}-worker-{i}", w) for i, w in enumerate(runtime.background_workers())]
        for runtime in self.runtimes.values():
            targets.append((f"{runtime.name}-relay", runtime.run_relay))
        for name, target in targets:
            thread = threading.Thread(target=target, args=(self._stop,), name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=10)
        for runtime in self.runtimes.values():
            runtime.close()

    def wsgi(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        name = service_for(path)
        if name is not None:
            return self.apps[name](environ, start_response)
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
        if path in ("", "/"):
            return index(start_response, SERVICES)
        return problem(start_response, 404, f"No service answers {path}; try /api/v1/<service>/.")


def _database_ok(runtime: ServiceRuntime) -> bool:
    from platform_shared.database import database_reachable

    return database_reachable(runtime.database)
