"""identity's schema history."""

from identity.adapters.orm import Account, Inbox, Organisation, Outbox
from platform_shared.migrations import Migration, create_tables

MIGRATIONS = [
    Migration(1, "outbox and inbox", create_tables(Outbox, Inbox)),
    Migration(2, "organisations and accounts", create_tables(Organisation, Account)),
]
