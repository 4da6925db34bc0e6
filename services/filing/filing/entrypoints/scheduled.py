"""filing's scheduled jobs — a CronJob each in deployment, the embedded runner otherwise:

- `python -m filing annual-update-reminders [--at ISO-moment]`, daily at 01:00 UTC (09:00 in
  Beijing). Daily rather than on two fixed dates: the window is configuration
  (`ANNUAL_UPDATE_WINDOW`), and a run that was missed (a platform down on 1 January) still sends
  what is due the next day. Each product is reminded once per year and kind, as recorded, so a
  repeated run sends nothing.
- `python -m filing recheck-patents [--at ISO-moment]`, the 1st of each month at 01:00 UTC: every
  filed product's patents against the register, once per product, patent and month.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys

from filing.service_layer.annual_reminders import handle_reminders
from filing.service_layer.dependencies import FilingDependencies
from filing.service_layer.patent_rechecks import recheck_all
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.moments import naive_utc, utcnow
from platform_shared.runtime import ServiceRuntime
from platform_shared.schedules import Schedule, ScheduledJob

log = logging.getLogger(__name__)


def filing_dependencies(runtime: ServiceRuntime) -> FilingDependencies:
    dependencies = runtime.dependencies
    if not isinstance(dependencies, FilingDependencies):
        raise TypeError("filing's dependencies are not set: the runtime has not started")
    return dependencies


def filing_uow(runtime: ServiceRuntime, correlation_id: str | None = None) -> FilingUnitOfWork:
    uow = runtime.unit_of_work(correlation_id)
    if not isinstance(uow, FilingUnitOfWork):
        raise TypeError(f"filing's jobs need filing's unit of work, not a {type(uow).__name__}")
    return uow


def annual_update_reminders(runtime: ServiceRuntime, moment: dt.datetime) -> int:
    dependencies = filing_dependencies(runtime)
    today = moment.astimezone(dt.UTC).date()
    uow = filing_uow(runtime, f"annual-update-reminders-{today.isoformat()}")
    with runtime.definition.tables.database.connection_context():
        sent = handle_reminders(uow, dependencies.annual_update_window, today, utcnow())
    print(f"annual-update-reminders {today}: {sum(sent.values())} products of {len(sent)} organisations reminded",
          file=sys.stderr)
    return 0


def recheck_patents(runtime: ServiceRuntime, moment: dt.datetime) -> int:
    """The `recheck-patents` job: 0 when every product was checked, 1 when the registry could
    not answer for some (they are tried again at the next run; what was checked stays)."""
    dependencies = filing_dependencies(runtime)

    def on_record() -> list[str]:
        with filing_uow(runtime) as uow:
            return uow.products.on_record_ids()

    run = recheck_all(on_record, lambda: filing_uow(runtime), dependencies.patent_registry, naive_utc(moment),
                      dependencies.patent_grace_days)
    log.info("patent re-check for %s: %s products, %s problems found, %s suspended, %s cleared, %s unanswered",
             moment.isoformat(), run.checked, run.problems, run.suspended, run.cleared, len(run.unanswered))
    return 1 if run.unanswered else 0


RECHECK_PATENTS = ScheduledJob(
    "recheck-patents", "re-check every filed product's patents against the patent registry",
    Schedule(day=1, hour=1), recheck_patents)

SCHEDULED = [
    ScheduledJob("annual-update-reminders",
                 "remind organisations of filed products not yet updated (the window's opening; 14 days before "
                 "its close)",
                 Schedule(hour=1), annual_update_reminders),
    RECHECK_PATENTS,
]
