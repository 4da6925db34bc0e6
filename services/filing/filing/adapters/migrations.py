"""filing's schema history."""

from filing.adapters.orm import Inbox, OrganisationView, Outbox
from platform_shared.migrations import Migration, create_tables

MIGRATIONS = [
    Migration(1, "outbox and inbox", create_tables(Outbox, Inbox)),
    Migration(2, "organisation view", create_tables(OrganisationView)),
]
