"""identity's scheduled jobs: `python -m identity unverified-holds [--at ISO-moment]`, daily at
02:00 UTC (10:00 in Beijing) — a CronJob in deployment, the embedded runner otherwise.

Daily, because the bound is counted in days from each registration (`IDENTITY_UNVERIFIED_HOLD_DAYS`,
30; warned `IDENTITY_UNVERIFIED_HOLD_WARN_DAYS`, 7, before): a registration lapses at most a day
after its bound, and a missed run catches up on the next. Each organisation is warned and
released once, as recorded, so a repeated run does nothing."""

from __future__ import annotations

import datetime as dt
import sys

from identity.service_layer.dependencies import IdentityDependencies
from identity.service_layer.holds import handle_unverified_holds
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.runtime import ServiceRuntime
from platform_shared.schedules import Schedule, ScheduledJob


def unverified_holds(runtime: ServiceRuntime, moment: dt.datetime) -> int:
    dependencies = runtime.dependencies
    if not isinstance(dependencies, IdentityDependencies):
        raise TypeError("identity's dependencies are not set: the runtime has not started")
    uow = runtime.unit_of_work(f"unverified-holds-{moment.astimezone(dt.UTC).date().isoformat()}")
    if not isinstance(uow, IdentityUnitOfWork):
        raise TypeError(f"identity's jobs need identity's unit of work, not a {type(uow).__name__}")
    with runtime.definition.tables.database.connection_context():
        done = handle_unverified_holds(uow, dependencies.holds, moment)
    print(f"unverified-holds {moment.isoformat()}: {done.warned} warned, {done.lapsed} lapsed", file=sys.stderr)
    return 0


SCHEDULED = [
    ScheduledJob("unverified-holds",
                 "warn unverified registrations whose hold on their USCC ends soon, and release those whose "
                 "hold has ended (status lapsed)",
                 Schedule(hour=2), unverified_holds),
]
