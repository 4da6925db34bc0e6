"""reporting's schema history."""

from platform_shared.migrations import Migration, create_tables
from reporting.adapters.orm import ArchivedEvent, Inbox, OrganisationView, Outbox

MIGRATIONS = [
    Migration(1, "outbox and inbox", create_tables(Outbox, Inbox)),
    Migration(2, "event archive and organisation view", create_tables(ArchivedEvent, OrganisationView)),
]
