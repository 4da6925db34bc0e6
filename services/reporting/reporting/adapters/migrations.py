"""reporting's schema history."""

import json

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
    YearEvaluation,
    tables,
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


def _economic_figures(db: peewee.Database) -> None:
    # Version 5: each product's figures by year (the export shows them), beside the revenue the
    # counters take. Version 3 creates product_view from today's model, which has the column.
    from playhouse.migrate import SchemaMigrator, migrate

    from platform_shared.figures import YearFigures
    from reporting.adapters.repository import figures_json
    from reporting.domain.products import PRODUCT_EVENTS, figures_after

    if "economic_data" not in {column.name for column in db.get_columns("product_view")}:
        migrator = SchemaMigrator.from_database(db)
        migrate(migrator.add_column("product_view", "economic_data", ProductView.economic_data))
    # The products already in the view get their figures from the event archive, by the same
    # rule the projection applies (`figures_after`), each product's events in version order, as
    # the projection keeps only the newest: no `rebuild` is needed for them.
    with db.bind_ctx((ArchivedEvent, ProductView)):
        kept = {str(row.product_id) for row in ProductView.select(ProductView.product_id)}
        figures: dict[str, dict[int, YearFigures]] = {}
        events = (ArchivedEvent.select(ArchivedEvent.type, ArchivedEvent.body)
                  .where(ArchivedEvent.type.in_(PRODUCT_EVENTS))
                  .order_by(ArchivedEvent.aggregate_id, ArchivedEvent.aggregate_version, ArchivedEvent.id))
        for event_type, body in events.tuples().iterator():
            data = json.loads(body)["data"]
            if data["product_id"] in kept:
                figures[data["product_id"]] = figures_after(figures.get(data["product_id"], {}), event_type, data)
        for product_id, by_year in figures.items():
            (ProductView.update(economic_data=figures_json(by_year))
             .where(ProductView.product_id == product_id).execute())

def _suspended(db: peewee.Database) -> None:
    # Version 3 creates product_view from today's model, which has the column already. The
    # suspension events are new: no archived event to replay.
    from playhouse.migrate import SchemaMigrator, migrate

    if "suspended" not in {column.name for column in db.get_columns("product_view")}:
        migrate(SchemaMigrator.from_database(db).add_column("product_view", "suspended", ProductView.suspended))


MIGRATIONS = [
    Migration(1, "outbox and inbox", create_tables(Outbox, Inbox)),
    Migration(2, "event archive and organisation view", create_tables(ArchivedEvent, OrganisationView)),
    Migration(3, "product view, counters, monthly reports, target lists, audit log", _views_and_reports),
    Migration(4, "counters kept per month, so a month's report is as of its end", _counters_by_month),
    Migration(5, "each product's economic figures by year, for the product export", _economic_figures),
    Migration(6, "accounts identity deactivated (their tokens refused)", create_tables(tables.RevokedAccount)),
    Migration(7, "suspended filings, counted apart", _suspended),
    Migration(8, "the year-end evaluations, frozen when a year is closed", create_tables(YearEvaluation)),
]
