"""The table of reviewers' decisions on organisations (peewee), as identity applied them.

One row per review task (`task_id` unique): a second decision on the same task is refused by
the database. Reasons are kept as JSON, as the reviewer wrote them; the newest rejection is
what the organisation is shown.
"""

import peewee

from identity.adapters.orm import BaseModel, Organisation


class OrganisationDecision(BaseModel):
    id = peewee.CharField(primary_key=True, max_length=36)
    organisation = peewee.ForeignKeyField(Organisation, backref="decisions", on_delete="RESTRICT",
                                          column_name="organisation_id")
    task_id = peewee.CharField(max_length=36, unique=True)
    outcome = peewee.CharField(max_length=16)
    reasons = peewee.TextField(default="[]")
    reviewer_id = peewee.CharField(max_length=36)
    decided_at = peewee.DateTimeField()
    applied_at = peewee.DateTimeField()
    # The event that carried the decision (the inbox already drops a redelivery of it).
    event_id = peewee.CharField(max_length=36)

    class Meta:
        table_name = "organisation_decision"
        indexes = ((("organisation", "decided_at"), False),)
