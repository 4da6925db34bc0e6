"""notify's schema history."""

from notify.adapters.orm import AccountView, Delivery, Inbox, OrganisationContact, OrganisationView, Outbox, Preference
from platform_shared.migrations import Migration, create_tables

MIGRATIONS = [
    Migration(1, "outbox and inbox", create_tables(Outbox, Inbox)),
    Migration(2, "deliveries", create_tables(Delivery)),
    Migration(3, "local view of contacts", create_tables(OrganisationView, OrganisationContact)),
    Migration(4, "local view of accounts, and their preferences", create_tables(AccountView, Preference)),
]
