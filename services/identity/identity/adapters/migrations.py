"""identity's schema history."""

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
]
