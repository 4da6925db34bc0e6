"""Scheduled jobs: when a schedule was last due, and the embedded runner that stands in for CronJobs."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from platform_shared.schedules import Schedule, ScheduledJob, ScheduleRunner

pytestmark = pytest.mark.unit


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(("schedule", "now", "due"), [
    (Schedule(hour=2), "2026-12-07 03:00", "2026-12-07 02:00"),
    (Schedule(hour=2), "2026-12-07 01:59", "2026-12-06 02:00"),
    (Schedule(hour=2), "2026-01-01 00:00", "2025-12-31 02:00"),
    (Schedule(day=1, hour=1), "2026-12-07 00:00", "2026-12-01 01:00"),
    (Schedule(day=1, hour=1), "2026-12-01 00:59", "2026-11-01 01:00"),
    (Schedule(day=1, hour=1), "2026-01-01 00:30", "2025-12-01 01:00"),
    (Schedule(month=1, day=1), "2026-12-07 00:00", "2026-01-01 00:00"),
    (Schedule(month=3, day=17, hour=16), "2026-03-17 15:59", "2025-03-17 16:00"),
    (Schedule(month=3, day=17, hour=16), "2026-03-17 16:00", "2026-03-17 16:00"),
])
def test_the_latest_due_moment_is_the_last_one_at_or_before_now(schedule, now, due):
    assert schedule.latest_due(at(now)) == at(due)


def test_a_schedule_reads_as_the_cronjob_writes_it():
    assert Schedule(day=1, hour=1, minute=30).cron == "30 1 1 * *"
    assert Schedule(month=1, day=1).cron == "0 0 1 1 *"
    assert Schedule(hour=2).cron == "0 2 * * *"


@pytest.mark.parametrize("bad", [{"month": 1}, {"hour": 24}, {"minute": 60}, {"day": 31}])
def test_a_schedule_that_could_never_or_not_every_month_be_due_is_refused(bad):
    with pytest.raises(ValueError):
        Schedule(**bad)


@dataclass
class Runtime:
    name: str


def test_the_runner_runs_a_job_once_per_due_moment_and_again_at_the_next(tmp_path):
    moments: list[datetime] = []
    now = [at("2026-12-07 10:00")]
    job = ScheduledJob("recheck", "re-check", Schedule(day=1, hour=1),
                       lambda runtime, moment: moments.append(moment) or 0)
    state = tmp_path / "jobs.json"
    runner = ScheduleRunner([(Runtime("filing"), job)], state, clock=lambda: now[0])  # type: ignore[list-item]

    assert runner.run_due() == ["filing.recheck"]  # first start: the missed 1 December moment
    assert runner.run_due() == []
    # A restarted platform reads what ran from the file, and does not run it again.
    assert ScheduleRunner([(Runtime("filing"), job)], state, clock=lambda: now[0]).run_due() == []  # type: ignore[list-item]
    now[0] = at("2027-01-01 01:00")
    assert runner.run_due() == ["filing.recheck"]
    assert moments == [at("2026-12-07 10:00"), at("2027-01-01 01:00")]


def test_a_failing_job_is_tried_again_and_does_not_stop_the_others(tmp_path):
    calls: list[str] = []

    def failing(runtime, moment):
        calls.append("failing")
        raise RuntimeError("database down")

    def fine(runtime, moment):
        calls.append("fine")
        return 0

    runner = ScheduleRunner([(Runtime("a"), ScheduledJob("failing", "", Schedule(hour=1), failing)),  # type: ignore[list-item]
                             (Runtime("b"), ScheduledJob("fine", "", Schedule(hour=1), fine))],
                            tmp_path / "jobs.json", clock=lambda: at("2026-12-07 10:00"))
    assert runner.run_due() == ["b.fine"]
    assert runner.run_due() == []
    assert calls == ["failing", "fine", "failing"]


def test_a_job_is_a_command_with_an_optional_moment():
    seen: list[datetime] = []
    command = ScheduledJob("remind", "remind", Schedule(hour=1),
                           lambda runtime, moment: seen.append(moment) or 0).command()

    parser = argparse.ArgumentParser()
    command.arguments(parser)
    assert command.run(None, parser.parse_args(["--at", "2027-03-17T16:00"])) == 0  # type: ignore[arg-type]
    assert seen == [at("2027-03-17 16:00")]
    assert "1 * * *" in command.help
