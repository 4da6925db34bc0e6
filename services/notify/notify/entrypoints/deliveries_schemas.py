"""The delivery log's HTTP shapes: its filters, a delivery, a page of them."""

from __future__ import annotations

import marshmallow as ma

from notify.domain.deliveries import STATES
from platform_shared.events.envelope import TYPE_PATTERN
from platform_shared.web.fields import UtcDateTime
from platform_shared.web.pagination import PageQuery, page_schema


class DeliveryQuery(PageQuery):
    to = ma.fields.Email(load_default=None)
    event_type = ma.fields.String(load_default=None, validate=[ma.validate.Length(max=128),
                                                               ma.validate.Regexp(TYPE_PATTERN)])
    state = ma.fields.String(load_default=None, validate=ma.validate.OneOf(STATES))


class DeliverySchema(ma.Schema):
    id = ma.fields.String(required=True)
    event_id = ma.fields.String(required=True)
    event_type = ma.fields.String(required=True)
    template = ma.fields.String(required=True)
    recipient = ma.fields.String(required=True)
    subject = ma.fields.String(required=True)
    state = ma.fields.String(required=True)
    attempts = ma.fields.Integer(required=True)
    last_error = ma.fields.String(allow_none=True)
    created_at = UtcDateTime(required=True)
    sent_at = UtcDateTime(allow_none=True)


DeliveryPage = page_schema(DeliverySchema, "DeliveryPage")
