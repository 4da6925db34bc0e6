"""identity's schema history."""

import peewee

from identity.adapters.orm import (
    Account,
    AuditLog,
    Document,
    Inbox,
    Organisation,
    OrganisationDecision,
    Outbox,
    PasswordSetup,
    ProvincePortApplication,
    RefreshToken,
    SignInGuard,
)
from platform_shared.migrations import Migration, create_tables


def _uscc_holds(db: peewee.Database) -> None:
    """A USCC unique only among the registrations that hold it (the partial unique index
    `USCC_HELD_INDEX`); when a registration was warned and released it. Migration 2 makes today's
    table from today's model (all of it there already); older databases get it here."""
    from playhouse.migrate import SchemaMigrator, migrate

    migrator = SchemaMigrator.from_database(db)
    columns = {column.name for column in db.get_columns("organisation")}
    for name, field in (("hold_warned_at", Organisation.hold_warned_at), ("released_at", Organisation.released_at)):
        if name not in columns:
            migrate(migrator.add_column("organisation", name, field))
    if any(index.name == "organisation_uscc" and index.unique for index in db.get_indexes("organisation")):
        migrate(migrator.drop_index("organisation", "organisation_uscc"))
    with db.bind_ctx([Organisation]):
        for index in Organisation._meta.fields_to_index():  # each `IF NOT EXISTS`
            db.execute(index)


MIGRATIONS = [
    Migration(1, "outbox and inbox", create_tables(Outbox, Inbox)),
    Migration(2, "organisations and accounts", create_tables(Organisation, Account)),
    Migration(3, "refresh tokens", create_tables(RefreshToken)),
    Migration(4, "audit log", create_tables(AuditLog)),
    Migration(5, "password setup tokens", create_tables(PasswordSetup)),
    Migration(6, "organisations' documents", create_tables(Document)),
    Migration(7, "reviewers' decisions on organisations", create_tables(OrganisationDecision)),
    Migration(8, "failed sign-ins per e-mail address (lock-out)", create_tables(SignInGuard)),
    Migration(9, "province port applications", create_tables(ProvincePortApplication)),
    Migration(10, "what a registration holds: a USCC released by a lapsed or suspended one", _uscc_holds),
]
