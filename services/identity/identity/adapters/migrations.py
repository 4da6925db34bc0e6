"""identity's schema history."""

import peewee

from identity.adapters.orm import (
    Account,
    AuditLog,
    ChangeRequest,
    Document,
    Inbox,
    Organisation,
    OrganisationDecision,
    Outbox,
    PasswordSetup,
    ProvincePortApplication,
    RefreshToken,
    SignInGuard,
    tables,
)
from platform_shared.migrations import Migration, create_tables


def _account_admin_and_deactivation(db: peewee.Database) -> None:
    # Migration 2 creates the table from today's model, which has the columns already; databases
    # made before they existed get them here, each organisation's first account as its admin.
    from playhouse.migrate import SchemaMigrator, migrate

    columns = {column.name for column in db.get_columns("account")}
    migrator = SchemaMigrator.from_database(db)
    if "organisation_admin" not in columns:
        migrate(migrator.add_column("account", "organisation_admin", Account.organisation_admin))
    if "deactivated_at" not in columns:
        migrate(migrator.add_column("account", "deactivated_at", Account.deactivated_at))
    with db.bind_ctx([Account]):
        first: dict[str, str] = {}  # organisation -> its oldest account
        for row in Account.select(Account.id, Account.organisation) \
                .where(Account.organisation.is_null(False)).order_by(Account.created_at, Account.id):
            first.setdefault(str(row.organisation_id), row.id)
        if first:
            Account.update(organisation_admin=True).where(Account.id.in_(list(first.values()))).execute()
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


def _reinstatement(db: peewee.Database) -> None:
    """What a suspended organisation returns to, and when it was reinstated (migration 2 makes
    today's table with them already; older databases get them here)."""
    from playhouse.migrate import SchemaMigrator, migrate

    migrator = SchemaMigrator.from_database(db)
    columns = {column.name for column in db.get_columns("organisation")}
    for name, field in (("suspended_from", Organisation.suspended_from),
                        ("reinstated_at", Organisation.reinstated_at)):
        if name not in columns:
            migrate(migrator.add_column("organisation", name, field))


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
    Migration(10, "accounts identity deactivated (their tokens refused)", create_tables(tables.RevokedAccount)),
    Migration(11, "accounts: organisation admins, deactivation", _account_admin_and_deactivation),
    Migration(12, "what a registration holds: a USCC released by a lapsed or suspended one", _uscc_holds),
    Migration(13, "organisations: the status a suspension came from, reinstatement", _reinstatement),
    Migration(14, "verified organisations' change requests (name, legal representative)",
              create_tables(ChangeRequest)),
]
