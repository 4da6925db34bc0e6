"""The platform as its images run it: `make test-containers` (marker `containers`).

Not part of `pytest tests` or `make test`: the files here are collected only when the mark
expression selects `containers` (`pytest tests/containers -m containers`).

Once per session:
- a Docker engine: the running one, or Debian's `dockerd` started here (no bridge network,
  no iptables rules: every container uses the host's network) with its log in the session's
  temporary folder, and stopped again at the end (only if started here);
- the seven images, built by deploy/images/build.sh with the tag `ct` (the base image and the
  layers stay in the engine's store as the cache of the next run);
- a throwaway RabbitMQ vhost and one PostgreSQL database per service on the machine's servers,
  and a real SMTP server (aiosmtpd), as the end-to-end tests have them;
- every service's `migrate` (must exit 0), then `serve`, `consume` and `relay` as containers
  (read-only root filesystem, /tmp and DATA_DIR on tmpfs, all capabilities dropped), the
  gateway image in proxy mode in front of them, and the portal image (`serve`) calling the API
  through that gateway, which also routes `/` to it (as the Ingress does in Kubernetes).

Every container is removed at the end by its id (stopped first, so processes finish their
batch), before the vhost and the databases are dropped. Images are left as the build cache.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
SERVICES = ("identity", "filing", "review", "reporting", "notify")
IMAGES = (*SERVICES, "gateway", "portal")
TAG = os.environ.get("CONTAINER_TEST_TAG", "ct")
OPERATOR = ("ops@example.cn", "Operator-containers-2026")
STARTUP_SECONDS = 90.0
BUILD_SECONDS = 1500


def _selected(config: pytest.Config) -> bool:
    expression = config.getoption("markexpr", "") or ""
    return "containers" in expression and "not containers" not in expression


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Leave this folder's tests out unless `-m containers` asks for them."""
    if collection_path.suffix == ".py" and collection_path.name.startswith("test_"):
        return True if not _selected(config) else None
    return None


# --- docker ----------------------------------------------------------------------------------
def docker(*args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise RuntimeError(f"docker {' '.join(args[:3])} … failed ({result.returncode}): "
                           f"{result.stderr.strip() or result.stdout.strip()}")
    return result


def engine_answers() -> bool:
    try:
        return docker("version", "--format", "{{.Server.Version}}", timeout=20, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture(scope="session")
def docker_engine(tmp_path_factory) -> Iterator[None]:
    """A Docker engine that answers; dockerd is started here (and stopped after) if none does."""
    if shutil.which("docker") is None:
        pytest.fail("no docker client: run tests/containers/engine.sh (make test-containers does)")
    if engine_answers():
        yield
        return
    dockerd = shutil.which("dockerd")
    if dockerd is None or os.geteuid() != 0:
        pytest.fail("no Docker engine runs, and dockerd cannot be started here (needs root and "
                    "Debian's docker.io: tests/containers/engine.sh)")
    log_path = tmp_path_factory.getbasetemp() / "dockerd.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen([dockerd, "--bridge=none", "--iptables=false", "--ip-forward=false"], stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not engine_answers():
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-3000:]
                pytest.fail(f"dockerd did not come up (log {log_path}):\n{tail}")
            time.sleep(0.5)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


@pytest.fixture(scope="session")
def images(docker_engine, tmp_path_factory) -> dict[str, str]:
    """{name: image} of the seven images, built (or taken from the cache) by deploy/images/build.sh."""
    logs = tmp_path_factory.mktemp("image-builds")
    env = {**os.environ, "TAG": TAG, "LOGS": str(logs)}
    started = time.monotonic()
    result = subprocess.run([str(REPO / "deploy" / "images" / "build.sh"), *IMAGES], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=BUILD_SECONDS)
    print(f"\n{result.stdout}images ready in {time.monotonic() - started:.0f} s")
    assert result.returncode == 0, result.stdout + result.stderr
    return {name: f"patent-platform/{name}:{TAG}" for name in IMAGES}


# --- containers ------------------------------------------------------------------------------
@dataclass
class Containers:
    """Containers started here, by name → id; only these are ever stopped or removed."""

    run_id: str
    ids: dict[str, str] = field(default_factory=dict)

    def start(self, name: str, image: str, args: Sequence[str], env: Mapping[str, str]) -> str:
        argv = ["run", "--detach", "--name", f"platform-ct-{self.run_id}-{name.replace(' ', '-')}",
                "--label", f"platform.test-run={self.run_id}",
                "--network", "host", "--read-only",
                "--tmpfs", "/tmp:rw,nosuid,nodev,mode=1777",
                "--tmpfs", "/var/lib/platform:rw,nosuid,nodev,uid=10001,gid=10001,mode=0750",
                "--cap-drop", "ALL", "--security-opt", "no-new-privileges"]
        for key, value in env.items():
            argv += ["--env", f"{key}={value}"]
        container = docker(*argv, image, *args).stdout.strip()
        self.ids[name] = container
        return container

    def wait(self, name: str, timeout: float) -> int:
        return int(docker("wait", self.ids[name], timeout=timeout).stdout.strip())

    def running(self, name: str) -> bool:
        return docker("inspect", "-f", "{{.State.Running}}", self.ids[name]).stdout.strip() == "true"

    def inspect(self, name: str, template: str) -> str:
        return docker("inspect", "-f", template, self.ids[name]).stdout.strip()

    def logs(self, name: str, lines: int = 40) -> str:
        result = docker("logs", "--tail", str(lines), self.ids[name], check=False)
        return (result.stdout + result.stderr).strip() or "(no output)"

    def describe(self) -> str:
        return "\n".join(f"--- {name} ---\n{self.logs(name)}" for name in self.ids)

    def remove_all(self) -> None:
        ids = list(self.ids.values())
        if ids:
            docker("stop", "--time", "15", *ids, timeout=120, check=False)
            docker("rm", "--force", "--volumes", *ids, timeout=120, check=False)
        self.ids.clear()


_running: list[Containers] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for containers in _running:
            for name in containers.ids:
                report.sections.append((f"container log tail: {name}", containers.logs(name)))


@pytest.fixture(scope="session")
def containers() -> Iterator[Containers]:
    group = Containers(uuid.uuid4().hex[:8])
    _running.append(group)
    try:
        yield group
    finally:
        group.remove_all()
        _running.remove(group)


# --- the platform ----------------------------------------------------------------------------
@dataclass
class ContainerPlatform:
    gateway: str
    services: dict[str, str]
    metrics: dict[str, str]
    containers: Containers
    mailbox: object
    portal: str = ""  # the portal's own address (the gateway's `/` reaches it too)
    session: requests.Session = field(default_factory=requests.Session)

    def url(self, path: str) -> str:
        return self.gateway + path

    def wait_until(self, check, what: str, timeout: float = 30.0):
        from tests.support.processes import wait_until

        return wait_until(check, timeout, what, lambda: self.mailbox.describe() + "\n" + self.containers.describe())

    def sign_in(self, email_address: str, password: str) -> str:
        response = self.session.post(self.url("/api/v1/identity/tokens"),
                                     json={"email": email_address, "password": password}, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()["access_token"]


def _wait_for_http(url: str, containers: Containers, watch: Sequence[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        dead = [name for name in watch if not containers.running(name)]
        if dead or time.monotonic() > deadline:
            why = f"{', '.join(dead)} stopped" if dead else f"no answer within {timeout:.0f} s"
            raise AssertionError(f"{url}: {why}\n{containers.describe()}")
        time.sleep(0.5)


@pytest.fixture(scope="session")
def container_platform(images, containers, mailbox) -> Iterator[ContainerPlatform]:
    from tests.support.processes import free_port
    from tests.support.servers import create_database, drop_database, throwaway_vhost

    handler, smtp_port = mailbox
    ports = {service: free_port() for service in SERVICES}
    metrics_ports = {service: free_port() for service in SERVICES}
    bases = {service: f"http://127.0.0.1:{port}" for service, port in ports.items()}
    gateway_port = free_port()
    portal_port = free_port()
    run = uuid.uuid4().hex[:10]
    names = {service: f"ct_{run}_{service}" for service in SERVICES}
    with contextlib.ExitStack() as stack:
        amqp_url = stack.enter_context(throwaway_vhost("containers"))
        pool = stack.enter_context(ThreadPoolExecutor(len(names)))
        urls = dict(zip(names, pool.map(create_database, names.values()), strict=True))
        stack.callback(lambda: list(pool.map(drop_database, names.values())))
        # Registered after the databases: removed first, so nothing holds a connection.
        stack.callback(containers.remove_all)

        common = {"AMQP_URL": amqp_url, "LOG_JSON": "false", "LOG_LEVEL": "INFO",
                  "JWKS_URL": f"{bases['identity']}/api/v1/identity/.well-known/jwks.json",
                  "PUBLIC_URL": f"http://127.0.0.1:{gateway_port}", "WEB_WORKERS": "1"}

        def env_of(service: str, command: str) -> dict[str, str]:
            env = {**common, "DATABASE_URL": urls[service],
                   # As the manifests run them: the migrate container migrates, the others do not.
                   "MIGRATE_ON_START": "false"}
            if service == "identity":
                env["IDENTITY_BOOTSTRAP_OPERATOR"] = ":".join(OPERATOR)
            if service == "notify":
                env.update(NOTIFY_MAIL_TRANSPORT="smtp", NOTIFY_SMTP_HOST="127.0.0.1",
                           NOTIFY_SMTP_PORT=str(smtp_port), NOTIFY_MAIL_POLL_SECONDS="0.2")
            if command == "consume":
                env["METRICS_PORT"] = str(metrics_ports[service])
            return env

        for service in SERVICES:
            containers.start(f"{service} migrate", images[service], ["migrate"], env_of(service, "migrate"))
        for service in SERVICES:
            status = containers.wait(f"{service} migrate", timeout=STARTUP_SECONDS)
            assert status == 0, f"{service} migrate exited {status}:\n{containers.logs(service + ' migrate')}"
        # identity first: it makes its signing key, which the others fetch (JWKS over HTTP).
        daemons = []
        for service in SERVICES:
            containers.start(f"{service} serve", images[service],
                             ["serve", "--bind", f"127.0.0.1:{ports[service]}", "--workers", "1", "--threads", "4"],
                             env_of(service, "serve"))
            for command in ("consume", "relay"):
                containers.start(f"{service} {command}", images[service], [command], env_of(service, command))
            daemons += [f"{service} serve", f"{service} consume", f"{service} relay"]
        portal_url = f"http://127.0.0.1:{portal_port}"
        containers.start("gateway proxy", images["gateway"],
                         ["proxy", "--bind", f"127.0.0.1:{gateway_port}", "--workers", "1",
                          *(f"{service}={base}" for service, base in bases.items()), f"portal={portal_url}"],
                         {"LOG_JSON": "false"})
        daemons.append("gateway proxy")
        # The portal as deployment runs it: its own container, calling the public API (here the
        # gateway; the Ingress in Kubernetes), the session key given, no database.
        from cryptography.fernet import Fernet

        containers.start("portal serve", images["portal"],
                         ["serve", "--bind", f"127.0.0.1:{portal_port}", "--workers", "1", "--threads", "4"],
                         {"LOG_JSON": "false", "LOG_LEVEL": "INFO", "PORTAL_API_URL": f"http://127.0.0.1:{gateway_port}",
                          "PORTAL_SESSION_KEY": Fernet.generate_key().decode(), "PORTAL_COOKIE_SECURE": "false",
                          "TRUSTED_PROXY_HOPS": "1"})
        daemons.append("portal serve")
        for service in SERVICES:
            _wait_for_http(f"{bases[service]}/readyz", containers, daemons, STARTUP_SECONDS)
            _wait_for_http(f"http://127.0.0.1:{metrics_ports[service]}/metrics", containers, daemons,
                           STARTUP_SECONDS)
        gateway_url = f"http://127.0.0.1:{gateway_port}"
        _wait_for_http(f"{gateway_url}/healthz", containers, daemons, STARTUP_SECONDS)
        # The portal is ready once the API answers it through the gateway.
        _wait_for_http(f"{portal_url}/readyz", containers, daemons, STARTUP_SECONDS)
        platform = ContainerPlatform(gateway_url, bases,
                                     {s: f"http://127.0.0.1:{p}/metrics" for s, p in metrics_ports.items()},
                                     containers, handler, portal=portal_url)
        yield platform
        platform.session.close()
        dead = [name for name in daemons if not containers.running(name)]
        assert not dead, "containers stopped during the tests:\n" + "\n".join(
            f"--- {name} ---\n{containers.logs(name)}" for name in dead)


@pytest.fixture(scope="session")
def mailbox():
    """A real SMTP server on a free loopback port (the e2e tests' Mailbox)."""
    from aiosmtpd.controller import Controller

    from tests.e2e.conftest import Mailbox
    from tests.support.processes import free_port

    handler = Mailbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()
