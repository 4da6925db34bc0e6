"""reporting as the platform runs it, the composition root: its tables and migrations, its unit
of work on peewee, its dependencies (the report files' writers, the industry classification),
its blueprints, subscriptions and commands (`rebuild`, `publish-month`) and its scheduled job
(`close-year`). Settings besides the
platform's: `ANNUAL_UPDATE_WINDOW` (as filing's), for the annual update's counts."""

from __future__ import annotations

from platform_shared.annual_update import AnnualUpdateWindow
from platform_shared.industries import classification
from platform_shared.runtime import ServiceDefinition, ServiceRuntime
from reporting.adapters import orm, report_files, target_files
from reporting.adapters.migrations import MIGRATIONS
from reporting.adapters.repository import PeeweeReportingUnitOfWork
from reporting.entrypoints.api import BLUEPRINTS
from reporting.entrypoints.commands import COMMANDS
from reporting.entrypoints.events import SUBSCRIPTIONS
from reporting.entrypoints.scheduled import SCHEDULED
from reporting.service_layer.dependencies import ReportingDependencies


def _start(runtime: ServiceRuntime) -> None:
    window = AnnualUpdateWindow.parse(runtime.settings.setting("ANNUAL_UPDATE_WINDOW", "01-01/03-31"))
    runtime.dependencies = ReportingDependencies(report_files=report_files, industries=classification(),
                                                 annual_update_window=window,
                                                 read_target_file=target_files.read_target_file)


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="reporting", title="reporting — province statistics", tables=orm.tables, migrations=MIGRATIONS,
        unit_of_work=PeeweeReportingUnitOfWork, blueprints=lambda: BLUEPRINTS, consumes=SUBSCRIPTIONS,
        on_start=_start, commands=COMMANDS, scheduled=SCHEDULED)
