"""identity's schema history."""

from identity.adapters.orm import Account, AuditLog, Inbox, Organisation, Outbox, PasswordSetup, RefreshToken
from platform_shared.migrations import Migration, create_tables

MIGRATIONS = [
    Migration(1, "outbox and inbox", create_tables(Outbox, Inbox)),
    Migration(2, "organisations and accounts", create_tables(Organisation, Account)),
    Migration(3, "refresh tokens", create_tables(RefreshToken)),
    Migration(4, "audit log", create_tables(AuditLog)),
    Migration(5, "password setup tokens", create_tables(PasswordSetup)),
]
