"""The command line every service shares: `python -m <service> serve|consume|relay|migrate`.

- `serve`: the HTTP API under gunicorn (workers and threads from options or environment).
- `consume`: the service's consumers, one thread per subscription, until SIGTERM.
- `relay`: the outbox relay until SIGTERM.
- `migrate`: apply schema migrations and declare the service's queues, then exit (the
  Kubernetes migration Job runs this before any other process of a new version starts).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication

from platform_shared.config import ServiceSettings
from platform_shared.migrations import current_version
from platform_shared.observability.logs import configure_logging
from platform_shared.runtime import ServiceDefinition, ServiceRuntime

if TYPE_CHECKING:
    from wsgiref.types import WSGIApplication

log = logging.getLogger(__name__)


class _Gunicorn(BaseApplication):
    def __init__(self, load_app: Callable[[], WSGIApplication], options: dict[str, Any]) -> None:
        self._load_app = load_app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIApplication:
        return self._load_app()


def enable_multiprocess_metrics() -> None:
    """Make every gunicorn worker write its samples to one shared folder (aggregated by /metrics).

    prometheus-client picks its value store when imported, which here is before we know we
    serve; the platform's metrics all have labels, so their values are created on first use,
    in the workers, after this switch.
    """
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="prometheus-")
    from prometheus_client import values

    values.ValueClass = values.get_value_class()


def serve_with_gunicorn(load_app: Callable[[], WSGIApplication], bind: str, workers: int, threads: int,
                        post_worker_init: Callable[[Any], None] | None = None) -> None:
    """Run `load_app()` under gunicorn; metrics aggregated across workers."""
    enable_multiprocess_metrics()
    options = {
        "bind": bind, "workers": workers, "threads": threads, "worker_class": "gthread",
        "timeout": 60, "graceful_timeout": 20, "accesslog": None, "loglevel": "warning",
        "limit_request_line": 8190, "forwarded_allow_ips": "*",
        # Idle keep-alive connections are closed by the server only after 75 s, longer than any
        # proxy in front keeps one for reuse (ingress-nginx's upstream-keepalive-timeout is 60 s):
        # with gunicorn's default of 2 s a proxy could send a request on a connection the server
        # was closing that instant, and a POST is not retried (the chaos test's one 502).
        "keepalive": 75,
    }
    if post_worker_init is not None:
        options["post_worker_init"] = post_worker_init
    from prometheus_client import multiprocess

    options["child_exit"] = lambda server, worker: multiprocess.mark_process_dead(worker.pid)
    _Gunicorn(load_app, options).run()


def run_until_signalled(targets: Sequence[Callable[[threading.Event], None]]) -> int:
    """Run each target in a thread until SIGTERM/SIGINT, then let them finish their batch.

    Returns 0 after a signal, 1 when a target ended by itself (it crashed): the process then
    exits non-zero, so its supervisor restarts it instead of taking it for a clean stop.
    """
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    threads = [threading.Thread(target=t, args=(stop,), daemon=True) for t in targets]
    for thread in threads:
        thread.start()
    while not stop.is_set() and all(t.is_alive() for t in threads):
        stop.wait(0.5)
    crashed = not stop.is_set()
    if crashed:
        log.error("a worker thread ended unexpectedly; stopping the others")
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    return 1 if crashed else 0


def main(definition: Callable[[], ServiceDefinition], argv: Sequence[str] | None = None) -> int:
    described = definition()
    service = described.name
    parser = argparse.ArgumentParser(prog=f"python -m {service}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="the HTTP API under gunicorn")
    serve.add_argument("--bind", default=os.environ.get("BIND", "0.0.0.0:8000"))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
    serve.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
    sub.add_parser("consume", help="handle the events the service subscribes to")
    sub.add_parser("relay", help="publish the outbox to the broker")
    sub.add_parser("migrate", help="apply migrations and declare queues, then exit")
    own = {command.name: command for command in
           [*described.commands, *(job.command() for job in described.scheduled)]}
    for command in own.values():
        command.arguments(sub.add_parser(command.name, help=command.help))
    args = parser.parse_args(argv)

    settings = ServiceSettings.from_env(service)
    configure_logging(service, settings.log_level, settings.log_json)

    if args.command == "migrate":
        # Migrations before the start-up duties: identity's bootstrap operator needs its tables.
        runtime = ServiceRuntime(definition(), settings).open(run_migrations=True)
        runtime.declare_topology()
        log.info("migrations applied: schema at version %s", current_version(runtime.database))
        return 0
    if args.command in own:
        runtime = ServiceRuntime(definition(), settings).open()
        try:
            return own[args.command].run(runtime, args)
        finally:
            runtime.close()
    if args.command == "serve":
        ServiceRuntime(definition(), settings).open().close()  # migrate once, before forking

        def load_app() -> WSGIApplication:
            return ServiceRuntime(definition(), settings).open(run_migrations=False).create_app()

        serve_with_gunicorn(load_app, args.bind, args.workers, args.threads)
        return 0
    runtime = ServiceRuntime(definition(), settings).open()
    metrics_port = int(os.environ.get("METRICS_PORT", "0"))
    if metrics_port:
        from prometheus_client import start_http_server

        start_http_server(metrics_port)  # consumers and relays have no HTTP API of their own
    if args.command == "consume":
        runtime.declare_topology()
        return run_until_signalled([consumer.run for consumer in runtime.consumers()]
                                   + runtime.background_workers())
    return run_until_signalled([runtime.run_relay])
