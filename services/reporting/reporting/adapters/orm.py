"""reporting's tables: the event archive and the read models built from it."""

import peewee

from platform_shared.messaging.inbox import bind_inbox
from platform_shared.messaging.outbox import bind_outbox

database = peewee.DatabaseProxy()
Outbox = bind_outbox(database)
Inbox = bind_inbox(database)


class BaseModel(peewee.Model):
    class Meta:
        database = database


class ArchivedEvent(BaseModel):
    """Every event received, as received: read models can be rebuilt from here alone."""

    id = peewee.BigAutoField()
    event_id = peewee.CharField(max_length=36, unique=True)
    type = peewee.CharField(max_length=128, index=True)
    aggregate_id = peewee.CharField(max_length=200)
    aggregate_version = peewee.IntegerField()
    occurred_at = peewee.DateTimeField()
    body = peewee.TextField()

    class Meta:
        table_name = "event_archive"


class OrganisationView(BaseModel):
    organisation_id = peewee.CharField(primary_key=True, max_length=36)
    name = peewee.CharField(max_length=200)
    uscc = peewee.CharField(max_length=18, index=True)
    kind = peewee.CharField(max_length=32)
    province_code = peewee.CharField(max_length=6, index=True)
    city_code = peewee.CharField(max_length=6, null=True)
    status = peewee.CharField(max_length=32)
    aggregate_version = peewee.IntegerField()
    registered_at = peewee.DateTimeField()

    class Meta:
        table_name = "organisation_view"
