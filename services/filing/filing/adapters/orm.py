"""filing's tables: its local view of organisations (products come with their issue)."""

import peewee

from platform_shared.messaging.inbox import bind_inbox
from platform_shared.messaging.outbox import bind_outbox

database = peewee.DatabaseProxy()
Outbox = bind_outbox(database)
Inbox = bind_inbox(database)


class OrganisationView(peewee.Model):
    """What filing knows of an organisation, only from identity's events."""

    organisation_id = peewee.CharField(primary_key=True, max_length=36)
    name = peewee.CharField(max_length=200, default="")
    province_code = peewee.CharField(max_length=6)
    status = peewee.CharField(max_length=32)
    aggregate_version = peewee.IntegerField()

    class Meta:
        database = database
        table_name = "organisation_view"
