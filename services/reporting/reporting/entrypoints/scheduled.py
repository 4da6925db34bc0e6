"""reporting's scheduled jobs: `python -m reporting close-year [YEAR] [--at ISO-moment]`, yearly on
1 January at 00:30 UTC, closes the year just ended — a CronJob in deployment, the embedded
runner otherwise.

The year-end evaluation is of the calendar year (its filings; coverage and totals at its end),
and a year's recognition round runs within that year, so the evaluation is frozen as soon as
the year is over, as a month's report is on the 1st; a round still under way on 31 December
counts in the next year's. Closing a year twice changes nothing, so a retried run is harmless.
Given a YEAR (an operator closing a past year by hand), that year is closed instead."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass

from platform_shared.errors import DomainError
from platform_shared.runtime import ServiceCommand, ServiceRuntime
from platform_shared.schedules import Schedule, ScheduledJob
from reporting.domain.commands import CloseYear
from reporting.entrypoints.commands import reporting_uow
from reporting.service_layer.evaluation import handle_close_year


def close_year(runtime: ServiceRuntime, moment: dt.datetime, year: int | None = None) -> int:
    today = moment.astimezone(dt.UTC).date()
    year = today.year - 1 if year is None else year
    uow = reporting_uow(runtime, f"close-year-{year}")
    try:
        with runtime.definition.tables.database.connection_context():
            frozen = handle_close_year(CloseYear(year, today), uow)
    except DomainError as exc:
        print(f"close-year: {exc}", file=sys.stderr)
        return 2
    print(f"{year}: evaluation " + ("frozen" if frozen else "frozen already, unchanged"), file=sys.stderr)
    return 0


@dataclass(frozen=True)
class CloseYearJob(ScheduledJob):
    """The job, whose command also takes the year to close (default: the one before `--at`)."""

    def command(self) -> ServiceCommand:
        scheduled = super().command()

        def arguments(parser: argparse.ArgumentParser) -> None:
            scheduled.arguments(parser)
            parser.add_argument("year", nargs="?", type=int, default=None,
                                help="the year to close (default: the year before today's, the CronJob's)")

        def run(runtime: ServiceRuntime, args: argparse.Namespace) -> int:
            return close_year(runtime, args.at or dt.datetime.now(dt.UTC), args.year)

        return ServiceCommand(scheduled.name, scheduled.help, run, arguments)


SCHEDULED = [
    CloseYearJob("close-year", "freeze the year-end evaluation of the year just ended (every province's)",
                 Schedule(month=1, day=1, hour=0, minute=30), close_year),
]
