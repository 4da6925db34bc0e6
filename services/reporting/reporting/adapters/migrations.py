"""reporting's schema history."""

import peewee

from platform_shared.migrations import Migration, create_tables
from reporting.adapters.orm import (
    ArchivedEvent,
    AuditLog,
    Counter,
    Inbox,
    MonthlyReport,
    OrganisationView,
    Outbox,
    ProductView,
    TargetList,
    TargetMember,
)


def _views_and_reports(db: peewee.Database) -> None:
    # Version 2 creates organisation_view from today's model, which has the column already.
    from playhouse.migrate import SchemaMigrator, migrate

    if "registration_seen" not in {column.name for column in db.get_columns("organisation_view")}:
        # playhouse.migrate has no annotations; `unused-ignore` too, as main's mypy configuration
        # excludes playhouse's calls (untyped_calls_exclude): remove both once that is merged here.
        migrator = SchemaMigrator.from_database(db)
        column = OrganisationView.registration_seen
        migrate(migrator.add_column("organisation_view", "registration_seen", column))
    create_tables(ProductView, Counter, MonthlyReport, TargetList, TargetMember, AuditLog)(db)


def _counters_by_month(db: peewee.Database) -> None:
    # Version 3 made `counter` without months; today's model is `counter_by_month`. The old
    # figures move to month '' (counted in every month): `python -m reporting rebuild` gives them
    # their months from the event archive.
    tables = db.get_tables()
    if "counter_by_month" not in tables:  # version 3 of this code made it already
        create_tables(Counter)(db)
    if "counter" in tables:
        db.execute_sql("INSERT INTO counter_by_month (province_code, dimension, key, month, value) "
                       "SELECT province_code, dimension, key, '', value FROM counter")
        db.execute_sql("DROP TABLE counter")


MIGRATIONS = [
    Migration(1, "outbox and inbox", create_tables(Outbox, Inbox)),
    Migration(2, "event archive and organisation view", create_tables(ArchivedEvent, OrganisationView)),
    Migration(3, "product view, counters, monthly reports, target lists, audit log", _views_and_reports),
    Migration(4, "counters kept per month, so a month's report is as of its end", _counters_by_month),
]
