"""review's tables: the review tasks (decisions and recognition come with their issue)."""

import peewee

from platform_shared.messaging.inbox import bind_inbox
from platform_shared.messaging.outbox import bind_outbox

database = peewee.DatabaseProxy()
Outbox = bind_outbox(database)
Inbox = bind_inbox(database)


class ReviewTask(peewee.Model):
    id = peewee.CharField(primary_key=True, max_length=36)
    kind = peewee.CharField(max_length=16, index=True)
    subject_id = peewee.CharField(max_length=36, index=True)
    title = peewee.CharField(max_length=200)
    state = peewee.CharField(max_length=16, default="open", index=True)
    # What the reviewer decides on: the data as submitted, frozen when the task was made.
    snapshot = peewee.TextField()
    source_event_id = peewee.CharField(max_length=36, unique=True)
    created_at = peewee.DateTimeField(index=True)

    class Meta:
        database = database
        table_name = "review_task"
