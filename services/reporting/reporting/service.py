"""reporting as the platform runs it: read models from events, figures over HTTP, and its
commands `rebuild` (every read model again from the event archive) and `publish-month`."""

from __future__ import annotations

import datetime as dt
import sys

from platform_shared.event_handlers import route
from platform_shared.events.catalogue.identity import ORGANISATION_STATUS_AFTER as STATUS_AFTER
from platform_shared.runtime import Consumes, ServiceCommand, ServiceDefinition, ServiceRuntime
from reporting.adapters import orm
from reporting.adapters.migrations import MIGRATIONS
from reporting.domain.months import parse_month, previous_month
from reporting.domain.products import PRODUCT_EVENTS
from reporting.service_layer.monthly import MonthNotEnded, publish_month
from reporting.service_layer.projections import on_organisation_event, on_product_event
from reporting.service_layer.rebuild import rebuild


def _rebuild(runtime: ServiceRuntime, args) -> int:
    from tqdm import tqdm

    from reporting.adapters.orm import ArchivedEvent

    with runtime.database.connection_context():
        total = ArchivedEvent.select().count()
        with tqdm(total=total, unit="event", desc="rebuild", file=sys.stderr, disable=args.quiet) as bar:
            applied = rebuild(runtime.database, bar.update)
    print(f"rebuilt from {applied} archived events", file=sys.stderr)
    return 0


def _publish_month(runtime: ServiceRuntime, args) -> int:
    today = dt.datetime.now(dt.UTC).date()
    month = previous_month(today) if args.month == "previous" else args.month
    try:
        parse_month(month)
        with runtime.database.connection_context():
            published = publish_month(month, runtime.unit_of_work(f"publish-month-{month}"), today)
    except (ValueError, MonthNotEnded) as exc:
        print(f"publish-month: {exc}", file=sys.stderr)
        return 2
    print(f"{month}: published {len(published)} reports" + ("" if published else " (already published)"),
          file=sys.stderr)
    return 0


def _rebuild_arguments(parser) -> None:
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _month_arguments(parser) -> None:
    parser.add_argument("month", help="YYYY-MM, or `previous` for the month before today (the CronJob's)")


def definition() -> ServiceDefinition:
    from reporting.entrypoints.api import blp

    handlers = dict.fromkeys(STATUS_AFTER, on_organisation_event) | dict.fromkeys(PRODUCT_EVENTS, on_product_event)
    return ServiceDefinition(
        name="reporting", title="reporting — province statistics",
        tables=orm.tables, migrations=MIGRATIONS, blueprints=lambda: [blp],
        consumes=[Consumes("events", ["identity.organisation.*", *PRODUCT_EVENTS], route(handlers))],
        commands=[ServiceCommand("rebuild", "rebuild every read model from the event archive", _rebuild,
                                 _rebuild_arguments),
                  ServiceCommand("publish-month", "freeze a month's reports and tell the provinces", _publish_month,
                                 _month_arguments)])
