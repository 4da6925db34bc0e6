"""Scheduled jobs: what runs at a time rather than on an event (monthly re-checks, yearly mails).

A service declares each job once, as a `ScheduledJob`: its name (also its command,
`python -m <service> <name> [--at ISO-moment]`), its `Schedule` and what it does given the moment
it runs for. In deployment a Kubernetes CronJob runs the command on the same schedule; embedded,
`ScheduleRunner` runs it in a background thread. Either way a job must be idempotent — a CronJob
may be retried, and the embedded runner catches up a missed moment when it starts — so each
job records what it did (per organisation, product, year…) and does nothing twice.

Moments are UTC, as the CronJobs' `timeZone: Etc/UTC`; a job that means a Beijing date says so
in its schedule (e.g. 16:00 UTC the day before is 00:00 in Beijing).
"""

from __future__ import annotations

import argparse
import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from platform_shared.runtime import ServiceCommand, ServiceRuntime

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schedule:
    """When a job is due: at `hour:minute` UTC on `day` of `month`; `None` means every.

    `Schedule(day=1, hour=1)` is monthly on the 1st at 01:00; `Schedule(hour=2)` daily at 02:00;
    `Schedule(month=1, day=1)` yearly on 1 January at 00:00. `cron` is the same in crontab form.
    """

    hour: int = 0
    minute: int = 0
    day: int | None = None
    month: int | None = None

    def __post_init__(self) -> None:
        if self.month is not None and self.day is None:
            raise ValueError("a yearly schedule needs its day")
        if not (0 <= self.hour < 24 and 0 <= self.minute < 60):
            raise ValueError("hour 0–23 and minute 0–59")
        if self.day is not None and not 1 <= self.day <= 28:
            raise ValueError("day 1–28, so that every month has it")

    @property
    def cron(self) -> str:
        return (f"{self.minute} {self.hour} {'*' if self.day is None else self.day} "
                f"{'*' if self.month is None else self.month} *")

    def latest_due(self, now: datetime) -> datetime:
        """The most recent moment at or before `now` the job was due."""
        now = now.astimezone(UTC)
        candidate = now.replace(hour=self.hour, minute=self.minute, second=0, microsecond=0)
        if self.day is not None:
            candidate = candidate.replace(day=self.day)
        if self.month is not None:
            candidate = candidate.replace(month=self.month)
        if candidate <= now:
            return candidate
        if self.month is not None:
            return candidate.replace(year=candidate.year - 1)
        if self.day is not None:
            year, month = (candidate.year, candidate.month - 1) if candidate.month > 1 else (candidate.year - 1, 12)
            return candidate.replace(year=year, month=month)
        return candidate - timedelta(days=1)


@dataclass(frozen=True)
class ScheduledJob:
    """A job of a service: `run(runtime, moment)` does the work due at `moment`, returns the exit status."""

    name: str
    help: str
    schedule: Schedule
    run: Callable[[ServiceRuntime, datetime], int]

    def command(self) -> ServiceCommand:
        """The job as a command of its service (what the CronJob runs)."""
        from platform_shared.runtime import ServiceCommand

        def arguments(parser: argparse.ArgumentParser) -> None:
            parser.add_argument("--at", type=_moment, default=None,
                                help="the moment to run for (ISO 8601, default now)")

        def run(runtime: ServiceRuntime, args: argparse.Namespace) -> int:
            return self.run(runtime, args.at or datetime.now(UTC))

        return ServiceCommand(self.name, f"{self.help} (scheduled: {self.schedule.cron} UTC)", run, arguments)


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class ScheduleRunner:
    """The embedded stand-in for CronJobs: runs each job when its moment passes.

    What ran last is kept in `state_file`, so a platform started after a missed moment runs the
    job once at start (jobs are idempotent; a first start runs every job once). A job that
    fails is logged and tried again at the next check rather than stopping the others.
    """

    def __init__(self, jobs: Sequence[tuple[ServiceRuntime, ScheduledJob]], state_file: Path,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC), check_seconds: float = 60.0) -> None:
        self._jobs = list(jobs)
        self._state_file = state_file
        self._clock = clock
        self._check_seconds = check_seconds

    def _last_runs(self) -> dict[str, str]:
        try:
            loaded = json.loads(self._state_file.read_text())
        except (OSError, ValueError):
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def run_due(self) -> list[str]:
        """Run every job whose latest due moment has not run yet; returns their keys."""
        last_runs = self._last_runs()
        ran: list[str] = []
        for runtime, job in self._jobs:
            key = f"{runtime.name}.{job.name}"
            due = job.schedule.latest_due(self._clock())
            if last_runs.get(key) == due.isoformat():
                continue
            try:
                status = job.run(runtime, self._clock())
            except Exception:
                log.exception("scheduled job %s failed; it is tried again at the next check", key)
                continue
            if status != 0:
                log.warning("scheduled job %s ended with status %s; tried again at the next check", key, status)
                continue
            last_runs[key] = due.isoformat()
            ran.append(key)
            self._state_file.parent.mkdir(parents=True, exist_ok=True)
            temporary = self._state_file.with_suffix(f".{threading.get_ident()}.tmp")
            temporary.write_text(json.dumps(last_runs, indent=1))
            temporary.replace(self._state_file)
        return ran

    def __call__(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self.run_due()
            stop.wait(self._check_seconds)
