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


MIGRATIONS = [
    Migration(1, "outbox and inbox", create_tables(Outbox, Inbox)),
    Migration(2, "event archive and organisation view", create_tables(ArchivedEvent, OrganisationView)),
    Migration(3, "product view, counters, monthly reports, target lists, audit log", _views_and_reports),
]
