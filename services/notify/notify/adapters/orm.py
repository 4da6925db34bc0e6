"""notify's tables: the deliveries, each a mail to one recipient for one event; the local view
of contacts (who speaks for an organisation) and of accounts (whose address is whose, with
which role), kept from identity's events; and each account's mail preferences."""

import peewee

from platform_shared.tables import ServiceTables

tables = ServiceTables()
database = tables.database
Outbox = tables.Outbox
Inbox = tables.Inbox


class Model(peewee.Model):
    """The base of notify's own tables, bound to its database as `tables.Model` is (a class of
    its own because mypy takes no variable, such as `tables.Model`, as a base class)."""

    class Meta:
        database = database


class Delivery(Model):
    """One mail to one recipient for one event.

    `state`: `pending` -> `sending` (claimed by a worker; `next_attempt_at` is then the end of
    its lease) -> `sent`, or `retrying` (`next_attempt_at` is the next try) / `failed`.
    """

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
    # The mail's secrets (a one-time link), sealed with NOTIFY_SECRET_KEYS until it is sent.
    sealed = peewee.TextField(null=True)

    class Meta:
        table_name = "delivery"
        indexes = ((("event_id", "recipient", "template"), True),)


class OrganisationView(Model):
    """An organisation as identity's `organisation.registered` event named it."""

    organisation_id = peewee.CharField(primary_key=True, max_length=36)
    name = peewee.CharField(max_length=200)
    contact_name = peewee.CharField(max_length=100)

    class Meta:
        table_name = "organisation_view"


class OrganisationContact(Model):
    """One e-mail address of an organisation: its contact, its first account or a member."""

    id = peewee.AutoField()
    organisation_id = peewee.CharField(max_length=36, index=True)
    email = peewee.CharField(max_length=254)
    source = peewee.CharField(max_length=16)

    class Meta:
        table_name = "organisation_contact"
        indexes = ((("organisation_id", "email", "source"), True),)


class AccountView(Model):
    """An account as identity's events named it: its address, role and what the role is bound to."""

    account_id = peewee.CharField(primary_key=True, max_length=36)
    email = peewee.CharField(max_length=254, index=True)
    role = peewee.CharField(max_length=32, index=True)
    organisation_id = peewee.CharField(max_length=36, null=True)
    province_code = peewee.CharField(max_length=6, null=True, index=True)

    class Meta:
        table_name = "account_view"


class Preference(Model):
    """What an account chose: the language of its mails, and (reviewers) mail of new tasks."""

    account_id = peewee.CharField(primary_key=True, max_length=36)
    language = peewee.CharField(max_length=8)
    new_review_tasks = peewee.BooleanField(default=False)
    updated_at = peewee.DateTimeField()

    class Meta:
        table_name = "preference"
