"""review's schema history."""

from platform_shared.migrations import Migration, create_tables
from review.adapters.orm import Inbox, Outbox, ReviewTask

MIGRATIONS = [
    Migration(1, "outbox and inbox", create_tables(Outbox, Inbox)),
    Migration(2, "review tasks", create_tables(ReviewTask)),
]
