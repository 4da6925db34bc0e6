"""Contracts of the events notify publishes."""

import marshmallow as ma

from platform_shared.events.registry import contract


@contract("notify.email.sent", 1)
class EmailSentV1(ma.Schema):
    """A mail was accepted by the SMTP server for one recipient."""

    delivery_id = ma.fields.String(required=True)
    event_id = ma.fields.String(required=True)
    event_type = ma.fields.String(required=True)
    template = ma.fields.String(required=True)
    recipient = ma.fields.Email(required=True)
    sent_at = ma.fields.AwareDateTime(required=True, format="iso")
