"""The platform as deployment runs it, on this machine, for the end-to-end tests.

Once per session:
- a throwaway RabbitMQ vhost (`rabbitmqctl add_vhost`, deleted at the end) with the platform's
  exchanges and one broker user per service with deployment's least privilege (its own queues,
  its own events: `platform_shared.messaging.permissions`; deleted at the end), and one
  throwaway PostgreSQL database per service (dropped WITH (FORCE) at the end);
- a real SMTP server (aiosmtpd) on a free loopback port that keeps every mail it accepts;
- the five services as separate processes: `python -m <service> migrate` (must exit 0), then
  `serve` (gunicorn, one worker, four threads), `consume` and `relay` of each; identity's JWKS
  reached by the others over HTTP, notify mailing through the SMTP server;
- the gateway in proxy mode in front of the five;
- the annual update open all year (`ANNUAL_UPDATE_WINDOW=01-01/12-31`), so that the recognition
  journey gives last year's figures whatever today is.

Every process writes its stdout and stderr into files under the session's temporary folder;
when a test fails, the tail of each process's log is added to its report. Every process is
stopped at the end (SIGTERM, then SIGKILL), before the vhost and the databases are removed.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import os
import sys
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller

from tests.support.processes import ManagedProcess, ProcessGroup, free_port, wait_for_http, wait_until
from tests.support.servers import create_database, drop_database, service_users, throwaway_vhost

REPO = Path(__file__).resolve().parents[2]
SERVICES = ("identity", "filing", "review", "reporting", "notify")
OPERATOR = ("ops@example.cn", "Operator-e2e-pass-2026")
# Variables of the platform that must come from this file, never from the caller's shell.
PLATFORM_VARIABLES = {"DATABASE_URL", "AMQP_URL", "JWKS_URL", "DATA_DIR", "BIND", "WEB_WORKERS", "WEB_THREADS",
                      "PROMETHEUS_MULTIPROC_DIR", "LOG_JSON", "LOG_LEVEL", "MIGRATE_ON_START"}
STARTUP_SECONDS = 45.0

_running: list[ProcessGroup] = []


# --- reporting failures with the processes' logs --------------------------------------------
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for group in _running:
            for process in group.started:
                report.sections.append((f"e2e log tail: {process.name}", process.tail(40)))


# --- RabbitMQ and PostgreSQL -----------------------------------------------------------------
@pytest.fixture(scope="session")
def e2e_amqp_url() -> Iterator[str]:
    """A fresh vhost that only `guest` may use; deleted with its queues at the end."""
    with throwaway_vhost("e2e") as url:
        yield url


@pytest.fixture(scope="session")
def e2e_broker_users(e2e_amqp_url: str) -> Iterator[dict[str, str]]:
    """Each service's AMQP URL on that vhost, as its own least-privileged user, as deployed."""
    with service_users(e2e_amqp_url) as urls:
        yield urls


@pytest.fixture(scope="session")
def e2e_databases() -> Iterator[dict[str, str]]:
    """One fresh database per service: {service: URL}; all dropped WITH (FORCE) at the end."""
    run = uuid.uuid4().hex[:10]
    names = {service: f"e2e_{run}_{service}" for service in SERVICES}
    # Five at once: each CREATE or DROP waits for a checkpoint, and those overlap.
    with ThreadPoolExecutor(len(names)) as pool:
        try:
            urls = list(pool.map(create_database, names.values()))
            yield dict(zip(names, urls, strict=True))
        finally:
            list(pool.map(drop_database, names.values()))


# --- SMTP ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    recipients: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content()


@dataclass
class Mailbox:
    """aiosmtpd handler: every accepted mail, parsed (headers and bodies decoded)."""

    received: list[ReceivedMail] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        with self.lock:
            self.received.append(ReceivedMail(envelope.mail_from, tuple(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[ReceivedMail]:
        with self.lock:
            return [mail for mail in self.received if address.lower() in (r.lower() for r in mail.recipients)]

    def describe(self) -> str:
        with self.lock:
            return "mails received: " + repr([(m.recipients, m.subject) for m in self.received])


@pytest.fixture(scope="session")
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    handler = Mailbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


# --- the platform ----------------------------------------------------------------------------
@dataclass
class RunningPlatform:
    gateway: str
    services: dict[str, str]
    processes: ProcessGroup
    mailbox: Mailbox
    databases: dict[str, str] = field(default_factory=dict)
    session: requests.Session = field(default_factory=requests.Session)
    # Each long-running process by name ("review consume", "gateway proxy"…) and how it is started.
    commands: dict[str, tuple[list[str], dict[str, str]]] = field(default_factory=dict)
    daemons: dict[str, ManagedProcess] = field(default_factory=dict)

    def kill_and_restart(self, name: str) -> ManagedProcess:
        """SIGKILL the process (and its children) with no warning, then start it again, as a
        Deployment's restart policy would. Call from the main thread (see ProcessGroup.start)."""
        self.daemons[name].kill()
        self.daemons[name] = self.processes.start(name, *self.commands[name])
        return self.daemons[name]

    def url(self, path: str) -> str:
        return self.gateway + path

    def wait_until(self, check, what: str, timeout: float = 20.0):
        """Poll `check` with a deadline; at the deadline fail with the mails and process logs."""
        return wait_until(check, timeout, what, lambda: self.mailbox.describe() + "\n" + self.processes.describe())

    def sign_in(self, email_address: str, password: str) -> str:
        response = self.session.post(self.url("/api/v1/identity/tokens"),
                                     json={"email": email_address, "password": password}, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()["access_token"]


def _clean_environment() -> dict[str, str]:
    env = {}
    prefixes = tuple(s.upper() + "_" for s in (*SERVICES, "gateway"))
    for name, value in os.environ.items():
        if name in PLATFORM_VARIABLES or name.startswith(prefixes):
            continue
        env[name] = value
    env["PYTHONUNBUFFERED"] = "1"
    env["LOG_JSON"] = "false"
    env["LOG_LEVEL"] = "INFO"
    return env


@contextlib.contextmanager
def deployed_platform(root: Path, broker_urls: dict[str, str], databases: dict[str, str],
                      mailbox: tuple[Mailbox, int], serving: tuple[int, int] = (1, 4)) -> Iterator[RunningPlatform]:
    """The five services as deployment runs them (migrate, then serve, consume and relay each) and
    the proxy gateway, on the given broker users and databases; every process stopped after.
    `serving`: each API's gunicorn workers and threads (bench/api.py compares serving models)."""
    handler, smtp_port = mailbox
    group = ProcessGroup(logs=root / "logs", cwd=REPO)
    _running.append(group)
    ports = {service: free_port() for service in SERVICES}
    bases = {service: f"http://127.0.0.1:{port}" for service, port in ports.items()}
    gateway_port = free_port()
    base_env = _clean_environment()
    # No broker for the gateway: only the services speak to it, each as its own user.
    base_env.update(JWKS_URL=f"{bases['identity']}/api/v1/identity/.well-known/jwks.json",
                    PUBLIC_URL=f"http://127.0.0.1:{gateway_port}",
                    # The annual update open all year (platform-wide, as in platform-config: filing takes
                    # updates in it, reporting counts overdue products after it), so that the recognition
                    # journey can give last year's figures whatever today is. No test here depends on it
                    # being closed, and no process here runs the reminders job.
                    ANNUAL_UPDATE_WINDOW="01-01/12-31")

    def env_of(service: str) -> dict[str, str]:
        env = {**base_env, "DATABASE_URL": databases[service], "AMQP_URL": broker_urls[service],
               "DATA_DIR": str(root / "data" / service), "WEB_WORKERS": "1"}
        if service == "identity":
            env["IDENTITY_BOOTSTRAP_OPERATOR"] = ":".join(OPERATOR)
        if service == "notify":
            env.update(NOTIFY_MAIL_TRANSPORT="smtp", NOTIFY_SMTP_HOST="127.0.0.1",
                       NOTIFY_SMTP_PORT=str(smtp_port), NOTIFY_MAIL_POLL_SECONDS="0.2")
        return env

    running: RunningPlatform | None = None
    try:
        # Migrations (and the queues) first, each service on its own database, all at once.
        group.finish([group.start(f"{service} migrate", [sys.executable, "-m", service, "migrate"], env_of(service))
                      for service in SERVICES], timeout=STARTUP_SECONDS)
        commands: dict[str, tuple[list[str], dict[str, str]]] = {}
        for service in SERVICES:
            commands[f"{service} serve"] = ([sys.executable, "-m", service, "serve", "--bind",
                                             f"127.0.0.1:{ports[service]}", "--workers", str(serving[0]),
                                             "--threads", str(serving[1])],
                                            env_of(service))
            for command in ("consume", "relay"):
                commands[f"{service} {command}"] = ([sys.executable, "-m", service, command], env_of(service))
        commands["gateway proxy"] = ([sys.executable, "-m", "gateway", "proxy", "--bind", f"127.0.0.1:{gateway_port}",
                                      "--workers", "1", *(f"{service}={base}" for service, base in bases.items())],
                                     base_env)
        running = RunningPlatform(f"http://127.0.0.1:{gateway_port}", bases, group, handler, dict(databases),
                                  commands=commands)
        for name in commands:
            running.daemons[name] = group.start(name, *commands[name])
        daemons = list(running.daemons.values())
        for service in SERVICES:
            wait_for_http(f"{bases[service]}/readyz", group, watch=daemons, timeout=STARTUP_SECONDS)
        wait_for_http(f"{running.gateway}/healthz", group, watch=[running.daemons["gateway proxy"]],
                      timeout=STARTUP_SECONDS)
        yield running
        running.session.close()
        dead = [process for process in running.daemons.values() if not process.alive()]
        assert not dead, "processes died during the tests:\n" + "\n".join(p.tail() for p in dead)
    finally:
        group.stop_all(timeout=15)
        _running.remove(group)


@pytest.fixture(scope="session")
def e2e_platform(tmp_path_factory, e2e_broker_users: dict[str, str], e2e_databases: dict[str, str],
                 mailbox: tuple[Mailbox, int]) -> Iterator[RunningPlatform]:
    with deployed_platform(tmp_path_factory.mktemp("e2e"), e2e_broker_users, e2e_databases, mailbox) as running:
        yield running
