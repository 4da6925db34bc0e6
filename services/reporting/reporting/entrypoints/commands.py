"""reporting's own commands, as an operator (or the monthly CronJob) runs them:
`python -m reporting rebuild` and `python -m reporting publish-month YYYY-MM|previous`.
Each reports on stderr; a refusal exits with status 2."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from platform_shared.errors import DomainError
from platform_shared.runtime import ServiceCommand, ServiceRuntime
from reporting.domain.commands import PublishMonth, RebuildReadModels
from reporting.domain.months import previous_month
from reporting.service_layer.dependencies import ReportingDependencies
from reporting.service_layer.monthly import handle_publish_month
from reporting.service_layer.rebuild import archived_events, handle_rebuild
from reporting.service_layer.unit_of_work import ReportingUnitOfWork


def reporting_uow(runtime: ServiceRuntime, correlation_id: str | None = None) -> ReportingUnitOfWork:
    uow = runtime.unit_of_work(correlation_id)
    if not isinstance(uow, ReportingUnitOfWork):
        raise TypeError(f"reporting's commands need reporting's unit of work, not a {type(uow).__name__}")
    return uow


def rebuild(runtime: ServiceRuntime, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    uow = reporting_uow(runtime)
    with runtime.definition.tables.database.connection_context():
        total = archived_events(uow)
        with tqdm(total=total, unit="event", desc="rebuild", file=sys.stderr, disable=args.quiet) as bar:
            applied = handle_rebuild(RebuildReadModels(), uow, bar.update)
    print(f"rebuilt from {applied} archived events", file=sys.stderr)
    return 0


def publish_month(runtime: ServiceRuntime, args: argparse.Namespace) -> int:
    today = dt.datetime.now(dt.UTC).date()
    month = previous_month(today) if args.month == "previous" else args.month
    dependencies = runtime.dependencies
    if not isinstance(dependencies, ReportingDependencies):
        raise TypeError("reporting's dependencies are not set: the runtime has not started")
    uow = reporting_uow(runtime, f"publish-month-{month}")
    try:
        with runtime.definition.tables.database.connection_context():
            published = handle_publish_month(PublishMonth(month, today), uow, dependencies.industries)
    except DomainError as exc:
        print(f"publish-month: {exc}", file=sys.stderr)
        return 2
    print(f"{month}: published {len(published)} reports" + ("" if published else " (already published)"),
          file=sys.stderr)
    return 0


def _rebuild_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _month_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("month", help="YYYY-MM, or `previous` for the month before today (the CronJob's)")


COMMANDS = [
    ServiceCommand("rebuild", "rebuild every read model from the event archive", rebuild, _rebuild_arguments),
    ServiceCommand("publish-month", "freeze a month's reports and tell the provinces", publish_month,
                   _month_arguments),
]
