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
    PatentRecheck,
    Product,
    ProductAmendment,
    ProductDecision,
    RecheckRequest,
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


def _patent_rechecks(db: peewee.Database) -> None:
    # Migration 4 creates the product table from today's model, which has the columns already;
    # databases made before the re-checks get them added here.
    from playhouse.migrate import SchemaMigrator, migrate

    present = {column.name for column in db.get_columns("product")}
    migrator = SchemaMigrator.from_database(db)
    migrate(*(migrator.add_column("product", name, getattr(Product, name))
              for name in ("at_risk_since", "patent_deadline", "suspended_at") if name not in present))
    create_tables(PatentRecheck)(db)


def _amendments(db: peewee.Database) -> None:
    # Migration 4 creates the product and material tables from today's models, which have the
    # columns already; databases made before amendments get them added here.
    from playhouse.migrate import SchemaMigrator, migrate

    migrator = SchemaMigrator.from_database(db)
    products = {column.name for column in db.get_columns("product")}
    migrate(*(migrator.add_column("product", name, getattr(Product, name))
              for name in ("edition", "amended_at") if name not in products))
    if "amendment_id" not in {column.name for column in db.get_columns("material")}:
        migrate(migrator.add_column("material", "amendment_id", Material.amendment_id))  # its index with it
    create_tables(ProductAmendment)(db)


def _former_names(db: peewee.Database) -> None:
    # Migration 2 creates the view from today's model, which has the column already.
    from playhouse.migrate import SchemaMigrator, migrate

    if "former_names" not in {column.name for column in db.get_columns("organisation_view")}:
        migrate(SchemaMigrator.from_database(db).add_column("organisation_view", "former_names",
                                                            OrganisationView.former_names))


MIGRATIONS = [
    Migration(1, "outbox and inbox", create_tables(Outbox, Inbox)),
    Migration(2, "organisation view", create_tables(OrganisationView)),
    Migration(3, "organisation view: uscc", _organisation_uscc),
    Migration(4, "products, declarations, materials, claims, filing numbers, decisions, recognition",
              create_tables(Product, EconomicYear, PatentDeclaration, Material, ModelClaim, FilingSequence,
                            ProductDecision, RecognitionOptIn, Recognition, AuditLog)),
    Migration(5, "annual update reminders sent", create_tables(AnnualUpdateReminder)),
    Migration(6, "accounts identity deactivated (their tokens refused)", create_tables(tables.RevokedAccount)),
    Migration(7, "patent re-checks: the product's mark, each check's outcome", _patent_rechecks),
    Migration(8, "re-checks asked for by events (a recognition round opened)", create_tables(RecheckRequest)),
    Migration(9, "amendments of filed products: the product's edition, materials of an amendment", _amendments),
    Migration(10, "organisation view: former names (a change of name approved)", _former_names),
]
