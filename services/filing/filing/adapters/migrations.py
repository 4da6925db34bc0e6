"""filing's schema history."""

import peewee

from filing.adapters.orm import (
    AnnualUpdateReminder,
    AuditLog,
    EconomicYear,
    FilingSequence,
    Inbox,
    Material,
    ModelClaim,
    OrganisationView,
    Outbox,
    PatentDeclaration,
    Product,
    ProductDecision,
    Recognition,
    RecognitionOptIn,
    tables,
)
from platform_shared.migrations import Migration, create_tables


def _organisation_uscc(db: peewee.Database) -> None:
    # Migration 2 creates the table from today's model, which has the column already; databases
    # made before it existed get it added here.
    from playhouse.migrate import SchemaMigrator, migrate

    if "uscc" not in {column.name for column in db.get_columns("organisation_view")}:
        migrate(SchemaMigrator.from_database(db).add_column("organisation_view", "uscc", OrganisationView.uscc))


MIGRATIONS = [
    Migration(1, "outbox and inbox", create_tables(Outbox, Inbox)),
    Migration(2, "organisation view", create_tables(OrganisationView)),
    Migration(3, "organisation view: uscc", _organisation_uscc),
    Migration(4, "products, declarations, materials, claims, filing numbers, decisions, recognition",
              create_tables(Product, EconomicYear, PatentDeclaration, Material, ModelClaim, FilingSequence,
                            ProductDecision, RecognitionOptIn, Recognition, AuditLog)),
    Migration(5, "annual update reminders sent", create_tables(AnnualUpdateReminder)),
    Migration(6, "accounts identity deactivated (their tokens refused)", create_tables(tables.RevokedAccount)),
]
