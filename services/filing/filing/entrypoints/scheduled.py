"""filing's scheduled jobs: `python -m filing annual-update-reminders [--at ISO-moment]`, daily at
01:00 UTC (09:00 in Beijing) — a CronJob in deployment, the embedded runner otherwise.

Daily rather than on two fixed dates: the window is configuration (`ANNUAL_UPDATE_WINDOW`),
and a run that was missed (a platform down on 1 January) still sends what is due the next day.
Each product is reminded once per year and kind, as recorded, so a repeated run sends nothing."""

from __future__ import annotations

import datetime as dt
import sys

from filing.service_layer.annual_reminders import handle_reminders
from filing.service_layer.dependencies import FilingDependencies
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.moments import utcnow
from platform_shared.runtime import ServiceRuntime
from platform_shared.schedules import Schedule, ScheduledJob


def annual_update_reminders(runtime: ServiceRuntime, moment: dt.datetime) -> int:
    dependencies = runtime.dependencies
    if not isinstance(dependencies, FilingDependencies):
        raise TypeError("filing's dependencies are not set: the runtime has not started")
    today = moment.astimezone(dt.UTC).date()
    uow = runtime.unit_of_work(f"annual-update-reminders-{today.isoformat()}")
    if not isinstance(uow, FilingUnitOfWork):
        raise TypeError(f"filing's jobs need filing's unit of work, not a {type(uow).__name__}")
    with runtime.definition.tables.database.connection_context():
        sent = handle_reminders(uow, dependencies.annual_update_window, today, utcnow())
    print(f"annual-update-reminders {today}: {sum(sent.values())} products of {len(sent)} organisations reminded",
          file=sys.stderr)
    return 0


SCHEDULED = [
    ScheduledJob("annual-update-reminders",
                 "remind organisations of filed products not yet updated (the window's opening; 14 days before "
                 "its close)",
                 Schedule(hour=1), annual_update_reminders),
]
