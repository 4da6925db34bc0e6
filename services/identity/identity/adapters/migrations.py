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
]
