"""Fixtures for the integration tests: a throwaway RabbitMQ vhost and PostgreSQL database per test.

Each test gets its own vhost (`rabbitmqctl add_vhost`, deleted afterwards) and its own database
(created on the `test` database, dropped WITH (FORCE) afterwards), so tests never see each
other's queues, messages or rows, and a test that leaves a process or a message behind cannot
make a later one pass or fail. Every test in this folder is marked `integration`.

The fixtures also start the `ledger` test service as separate processes (`processes`) and talk
to the broker directly (`broker`) the way an outside observer would.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from kombu import Connection, Consumer, Exchange, Producer, Queue
from kombu.message import Message

from tests.support.servers import create_database, drop_database, throwaway_vhost

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Hooks of a conftest see the whole session's items: mark only those in this folder.
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture
def amqp_url() -> Iterator[str]:
    """A fresh vhost that only `guest` may use; deleted (with its queues) after the test."""
    with throwaway_vhost("test") as url:
        yield url


@pytest.fixture
def database_url() -> Iterator[str]:
    """A fresh PostgreSQL database; dropped WITH (FORCE) so stray connections cannot keep it."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    url = create_database(name)
    try:
        yield url
    finally:
        drop_database(name)


@dataclass
class ServiceProcess:
    """One `python -m tests.support.ledger <command>` process and its log files."""

    command: str
    popen: subprocess.Popen
    stdout: Path
    stderr: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL: no chance to finish a batch, ack, commit or close anything."""
        if self.alive():
            os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM and wait for a clean exit (the process finishes its batch first)."""
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"{self.command} did not stop on SIGTERM\n{self.log_tail()}") from None

    def reports(self) -> list[dict]:
        """The JSON lines the process printed on stdout."""
        lines = self.stdout.read_text().splitlines() if self.stdout.exists() else []
        return [json.loads(line) for line in lines if line.startswith("{")]

    def log_tail(self, lines: int = 25) -> str:
        text = self.stderr.read_text(errors="replace") if self.stderr.exists() else ""
        tail = "\n".join(text.splitlines()[-lines:])
        return f"--- {self.command} pid {self.pid} (exit {self.popen.poll()}) stderr tail:\n{tail}"


@dataclass
class Processes:
    """Starts ledger processes for one test and kills whatever is still running at the end."""

    env: dict[str, str]
    logs: Path
    started: list[ServiceProcess] = field(default_factory=list)

    def start(self, command: str, **settings: str) -> ServiceProcess:
        index = len(self.started)
        stdout = self.logs / f"{index:02d}-{command}.out"
        stderr = self.logs / f"{index:02d}-{command}.err"
        env = {**self.env, **{f"LEDGER_{k.upper()}": str(v) for k, v in settings.items()}}
        with stdout.open("wb") as out, stderr.open("wb") as err:
            popen = subprocess.Popen([sys.executable, "-m", "tests.support.ledger", *command.split()],
                                     cwd=REPO, env=env, stdout=out, stderr=err)
        process = ServiceProcess(command, popen, stdout, stderr)
        self.started.append(process)
        return process

    def describe(self) -> str:
        return "\n".join(p.log_tail() for p in self.started)

    def kill_all(self) -> None:
        for process in self.started:
            with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
                process.kill()


@pytest.fixture
def processes(database_url: str, amqp_url: str, tmp_path: Path) -> Iterator[Processes]:
    """Ledger processes on this test's database and vhost; all killed before those are dropped."""
    env = {**os.environ, "DATABASE_URL": database_url, "AMQP_URL": amqp_url,
           "LOG_JSON": "false", "LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1"}
    group = Processes(env, tmp_path)
    try:
        yield group
    finally:
        group.kill_all()


@pytest.fixture
def ledger(database_url: str, amqp_url: str):
    """The ledger service opened in the test process: migrated, its queues declared.

    Declaring the topology before any consumer starts means nothing published in the test is
    dropped as unroutable while a consumer process is still starting.
    """
    from platform_shared.runtime import ServiceRuntime
    from tests.support import ledger as service

    env = {"DATABASE_URL": database_url, "AMQP_URL": amqp_url}
    runtime = ServiceRuntime(service.definition(), service.settings(env)).open()
    runtime.declare_topology()
    try:
        yield runtime
    finally:
        runtime.close()


class Broker:
    """The test's vhost seen from outside the library: raw publishes, queue depths, reads."""

    def __init__(self, url: str):
        self.url = url

    def publish_raw(self, exchange: str, routing_key: str, bodies: list[bytes],
                    content_type: str = "application/json") -> None:
        """Publish bytes as they are (confirmed), bypassing envelope and contract checks."""
        with Connection(self.url, transport_options={"confirm_publish": True}) as connection:
            producer = Producer(connection.channel(), exchange=Exchange(exchange, passive=True))
            for body in bodies:
                producer.publish(body, routing_key=routing_key, content_type=content_type,
                                 content_encoding="binary", delivery_mode=2, declare=[])

    def depth(self, queue: str) -> int:
        """Messages ready in `queue` (not counting those delivered and unacked)."""
        with Connection(self.url) as connection:
            _name, count, _consumers = connection.channel().queue_declare(queue, passive=True)
            return count

    def take_all(self, queue: str, expected: int, timeout: float = 30) -> list[Message]:
        """Consume and ack messages of `queue` until `expected` arrived and no more come quickly."""
        received: list[Message] = []
        with Connection(self.url) as connection:
            channel = connection.channel()
            consumer = Consumer(channel, queues=[Queue(queue, no_declare=True)], no_ack=True,
                                on_message=received.append, prefetch_count=1000)
            with consumer:
                deadline = time.monotonic() + timeout
                quiet_since = time.monotonic()
                while time.monotonic() < deadline:
                    before = len(received)
                    with contextlib.suppress(TimeoutError):
                        connection.drain_events(timeout=0.2)
                    if len(received) != before:
                        quiet_since = time.monotonic()
                    # Past `expected`, keep listening briefly: extra copies must be seen too.
                    elif len(received) >= expected and time.monotonic() - quiet_since > 1.0:
                        break
        return received


@pytest.fixture
def broker(amqp_url: str) -> Broker:
    return Broker(amqp_url)
