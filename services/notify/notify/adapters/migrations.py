"""notify's schema history."""

import peewee
from playhouse.migrate import SchemaMigrator, migrate

from notify.adapters.orm import (
    AccountView,
    Delivery,
    Inbox,
    OrganisationContact,
    OrganisationView,
    Outbox,
    Preference,
    tables,
)
from platform_shared.migrations import Migration, create_tables


def _sealed_secrets(db: peewee.Database) -> None:
    # Version 2 creates the table from today's model, so a database made since has the column.
    if "sealed" not in {column.name for column in db.get_columns("delivery")}:
        migrate(SchemaMigrator.from_database(db).add_column("delivery", "sealed", Delivery.sealed))

MIGRATIONS = [
    Migration(1, "outbox and inbox", create_tables(Outbox, Inbox)),
    Migration(2, "deliveries", create_tables(Delivery)),
    Migration(3, "local view of contacts", create_tables(OrganisationView, OrganisationContact)),
    Migration(4, "local view of accounts, and their preferences", create_tables(AccountView, Preference)),
    Migration(5, "one-time links sealed until their mail is sent, never kept in the mail", _sealed_secrets),
    Migration(6, "accounts identity deactivated (their tokens refused)", create_tables(tables.RevokedAccount)),
]
