"""notify's tables: the deliveries, each a mail to one recipient for one event, and the local
view of contacts (who speaks for an organisation), kept from identity's events."""

import peewee

from platform_shared.messaging.inbox import bind_inbox
from platform_shared.messaging.outbox import bind_outbox

database = peewee.DatabaseProxy()
Outbox = bind_outbox(database)
Inbox = bind_inbox(database)


class Delivery(peewee.Model):
    id = peewee.CharField(primary_key=True, max_length=36)
    event_id = peewee.CharField(max_length=36)
    event_type = peewee.CharField(max_length=128, index=True)
    template = peewee.CharField(max_length=64)
    recipient = peewee.CharField(max_length=254, index=True)
    language = peewee.CharField(max_length=8)
    subject = peewee.TextField()
    text_body = peewee.TextField()
    html_body = peewee.TextField()
    state = peewee.CharField(max_length=16, default="pending", index=True)
    attempts = peewee.IntegerField(default=0)
    next_attempt_at = peewee.DateTimeField(index=True)
    last_error = peewee.TextField(null=True)
    correlation_id = peewee.CharField(max_length=200, null=True)
    created_at = peewee.DateTimeField()
    sent_at = peewee.DateTimeField(null=True)

    class Meta:
        database = database
        table_name = "delivery"
        indexes = ((("event_id", "recipient", "template"), True),)


class OrganisationView(peewee.Model):
    """An organisation as identity's `organisation.registered` event named it."""

    organisation_id = peewee.CharField(primary_key=True, max_length=36)
    name = peewee.CharField(max_length=200)
    contact_name = peewee.CharField(max_length=100)

    class Meta:
        database = database
        table_name = "organisation_view"


class OrganisationContact(peewee.Model):
    """One e-mail address of an organisation: its contact, its first account or a member."""

    organisation_id = peewee.CharField(max_length=36, index=True)
    email = peewee.CharField(max_length=254)
    source = peewee.CharField(max_length=16)

    class Meta:
        database = database
        table_name = "organisation_contact"
        indexes = ((("organisation_id", "email", "source"), True),)
