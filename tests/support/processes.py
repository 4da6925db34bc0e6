"""Real processes for the tests: started with their logs in files, waited for, always stopped.

    group = ProcessGroup(logs=tmp_path / "logs", cwd=REPO)
    group.run("identity migrate", [sys.executable, "-m", "identity", "migrate"], env)  # must exit 0
    web = group.start("identity serve", [sys.executable, "-m", "identity", "serve", ...], env)
    wait_for_http("http://127.0.0.1:8001/readyz", group, watch=[web])
    ...
    group.stop_all()  # SIGTERM, then SIGKILL of the whole process group after a timeout

Each process gets its own session (process group), so that a gunicorn master and its workers
are stopped together and a Ctrl-C in the terminal reaches pytest only. Only processes started
here are ever signalled, each by its own id.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Run before the real program (Linux): ask the kernel to SIGTERM the process when the test run
# that started it dies (killed, or ended without its teardown), then exec the program itself.
_DIE_WITH_PARENT = ("import ctypes, os, signal, sys; "
                    "ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0); "  # PR_SET_PDEATHSIG
                    "os.getppid() == int(sys.argv[1]) or sys.exit('parent gone'); "
                    "os.execv(sys.argv[2], sys.argv[2:])")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the OS's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "process"


def _tail(path: Path, lines: int) -> str:
    if not path.exists():
        return "(no log file)"
    text = path.read_text(encoding="utf-8", errors="replace")
    kept = text.splitlines()[-lines:]
    return "\n".join(kept) if kept else "(empty)"


@dataclass
class ManagedProcess:
    """One started process, its log files and how it ended."""

    name: str
    argv: Sequence[str]
    popen: subprocess.Popen
    stdout: Path
    stderr: Path
    stopped_by: str | None = None

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    @property
    def returncode(self) -> int | None:
        return self.popen.poll()

    def _signal_group(self, sig: int) -> None:
        # The process leads its own session: its group id is its pid (gunicorn workers included).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)

    def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM and wait; SIGKILL (the process and its children) when it overstays `timeout`."""
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            self.stopped_by = "SIGTERM"
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.popen.wait(timeout=10)
                self.stopped_by = "SIGKILL"
        # Children that outlived their parent (a gunicorn worker after its master): none may stay.
        self._signal_group(signal.SIGKILL)
        return self.popen.returncode

    def kill(self) -> None:
        """SIGKILL the process and its children at once (a crash, an OOM kill): no cleanup runs."""
        self._signal_group(signal.SIGKILL)
        self.popen.wait(timeout=10)
        self.stopped_by = "SIGKILL (test)"

    def tail(self, lines: int = 40) -> str:
        """The end of the process's stderr (and stdout, when it wrote any), labelled."""
        state = "running" if self.alive() else f"exit {self.returncode}"
        if self.stopped_by:
            state += f", stopped by {self.stopped_by}"
        text = f"--- {self.name} (pid {self.pid}, {state}) stderr: {self.stderr}\n{_tail(self.stderr, lines)}"
        if self.stdout.exists() and self.stdout.stat().st_size:
            text += f"\n--- {self.name} stdout: {self.stdout}\n{_tail(self.stdout, lines // 2)}"
        return text


@dataclass
class ProcessGroup:
    """The processes of one test session; `stop_all()` ends every one of them."""

    logs: Path
    cwd: Path | None = None
    started: list[ManagedProcess] = field(default_factory=list)

    def start(self, name: str, argv: Sequence[str], env: Mapping[str, str]) -> ManagedProcess:
        """Start `argv` with exactly `env`, stdout and stderr into files under `logs`.

        `argv[0]` must be a path (e.g. `sys.executable`). On Linux the process also gets
        SIGTERM should this process die without stopping it: nothing outlives the test run.
        (Linux sends it when the starting *thread* ends: start from the main thread.)
        """
        self.logs.mkdir(parents=True, exist_ok=True)
        stem = f"{len(self.started):02d}-{_slug(name)}"
        stdout, stderr = self.logs / f"{stem}.out", self.logs / f"{stem}.err"
        command = list(argv)
        if sys.platform == "linux":
            command = [sys.executable, "-S", "-c", _DIE_WITH_PARENT, str(os.getpid()), *command]
        with stdout.open("wb") as out, stderr.open("wb") as err:
            popen = subprocess.Popen(command, cwd=self.cwd, env=dict(env), stdin=subprocess.DEVNULL,
                                     stdout=out, stderr=err, start_new_session=True)
        process = ManagedProcess(name, list(argv), popen, stdout, stderr)
        self.started.append(process)
        return process

    def run(self, name: str, argv: Sequence[str], env: Mapping[str, str], timeout: float = 60.0) -> ManagedProcess:
        """Start `argv` and wait for it to exit 0; fail with its log tail otherwise."""
        return self.finish([self.start(name, argv, env)], timeout)[0]

    def finish(self, processes: Iterable[ManagedProcess], timeout: float = 60.0) -> list[ManagedProcess]:
        """Wait (in parallel) for processes that should end by themselves; each must exit 0."""
        processes = list(processes)
        deadline = time.monotonic() + timeout
        for process in processes:
            try:
                process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.stop()
                raise AssertionError(f"{process.name} did not finish within {timeout}s\n{process.tail()}") from None
        failed = [p for p in processes if p.returncode != 0]
        if failed:
            raise AssertionError("\n".join(f"{p.name} exited {p.returncode}\n{p.tail()}" for p in failed))
        return processes

    def describe(self, lines: int = 40) -> str:
        return "\n".join(p.tail(lines) for p in self.started)

    def stop_all(self, timeout: float = 10.0) -> None:
        """SIGTERM to every running process at once, then wait; SIGKILL whoever overstays."""
        running = [p for p in self.started if p.alive()]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                process.popen.send_signal(signal.SIGTERM)
                process.stopped_by = "SIGTERM"
        deadline = time.monotonic() + timeout
        for process in self.started:
            process.stop(timeout=max(0.1, deadline - time.monotonic()))


def wait_until(check: Callable[[], object], timeout: float, what: str,
               describe: Callable[[], str] | None = None, interval: float = 0.1) -> object:
    """Poll `check` until it returns something truthy; fail naming `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            detail = f"\n{describe()}" if describe else ""
            raise AssertionError(f"timed out after {timeout}s waiting for {what}{detail}")
        time.sleep(interval)


def http_status(url: str, timeout: float = 2.0) -> int | None:
    """The status of GET `url`, or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (OSError, ValueError):
        return None


def wait_for_http(url: str, group: ProcessGroup, watch: Sequence[ManagedProcess] = (),
                  timeout: float = 30.0, status: int = 200) -> None:
    """Wait until GET `url` answers `status`; fail at once, with the logs, if a watched process died."""
    last: list[int | None] = [None]

    def ready() -> bool:
        for process in watch:
            if not process.alive():
                raise AssertionError(f"{process.name} died while waiting for {url}\n{group.describe()}")
        last[0] = http_status(url)
        return last[0] == status

    wait_until(ready, timeout, f"{url} to answer {status}",
               lambda: f"(last answer: {last[0]})\n{group.describe()}")
