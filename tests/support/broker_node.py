"""A RabbitMQ node of a test's own, beside the machine's broker, that the test may stop and start.

The chaos test restarts "the broker" while the platform runs; doing that to the machine's node
would cut every other user of it (other test sessions, the developers' helpers). So the test
starts a second node of the same installation — its own name, ports, data and log folders, no
plugins — on a free AMQP port (distribution port = AMQP port + 20000, as RabbitMQ's default), and
`restart()` stops it (`rabbitmqctl stop`: every connection drops) and starts it again with its
durable queues and their messages. `rabbitmqctl()` inside `node.cli()` reaches this node.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.support.processes import free_port


@dataclass
class BrokerNode:
    name: str
    port: int
    folder: Path

    @property
    def environment(self) -> dict[str, str]:
        return {
            "RABBITMQ_NODENAME": self.name, "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.port + 20000),
            "RABBITMQ_MNESIA_BASE": str(self.folder / "mnesia"), "RABBITMQ_LOG_BASE": str(self.folder / "log"),
            "RABBITMQ_CONFIG_FILE": str(self.folder / "rabbitmq.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.folder / "enabled_plugins"),
            "RABBITMQ_PID_FILE": str(self.folder / "pid"),
        }

    @property
    def amqp_base(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}"

    def _run(self, *argv: str, timeout: float = 90) -> None:
        result = subprocess.run(argv, env={**os.environ, **self.environment}, capture_output=True, text=True,
                                timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed: {result.stderr or result.stdout}")

    def start(self) -> None:
        self._run("rabbitmq-server", "-detached")
        self._run("rabbitmqctl", "wait", "--timeout", "60", str(self.folder / "pid"))

    def stop(self) -> None:
        self._run("rabbitmqctl", "stop", str(self.folder / "pid"))

    def restart(self) -> None:
        self.stop()
        self.start()

    @contextlib.contextmanager
    def cli(self) -> Iterator[None]:
        """Within: every `rabbitmqctl` this process starts (the tests' helpers) reaches this node."""
        saved = {key: os.environ.get(key) for key in self.environment}
        os.environ.update(self.environment)
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


@contextlib.contextmanager
def own_broker_node(prefix: str = "chaos") -> Iterator[BrokerNode]:
    """A started node of this test's own; stopped and its folder removed at the end."""
    port = free_port()
    while port + 20000 > 65535:
        port = free_port()
    folder = Path(tempfile.mkdtemp(prefix=f"rabbitmq-{prefix}-"))
    (folder / "rabbitmq.conf").write_text(f"listeners.tcp.local = 127.0.0.1:{port}\n")
    (folder / "enabled_plugins").write_text("[].\n")
    shutil.chown(folder, "rabbitmq", "rabbitmq")  # the server drops to the rabbitmq user
    for child in folder.iterdir():
        shutil.chown(child, "rabbitmq", "rabbitmq")
    node = BrokerNode(f"{prefix}{port}@localhost", port, folder)
    node.start()
    try:
        yield node
    finally:
        with contextlib.suppress(Exception):
            node.stop()
        shutil.rmtree(folder, ignore_errors=True)
