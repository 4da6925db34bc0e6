"""HTTP bodies of the annual update's window and overdue list (marshmallow)."""

from __future__ import annotations

import marshmallow as ma

from filing.domain.lifecycle import STATUSES
from platform_shared.events.catalogue.fields import province_code

STATES = ("upcoming", "open", "closed")


class WindowOut(ma.Schema):
    year = ma.fields.Integer(required=True, metadata={"description": "the year whose figures are given"})
    opens_on = ma.fields.Date(required=True, metadata={"description": "this year's window: its first day"})
    closes_on = ma.fields.Date(required=True, metadata={"description": "its last day (included)"})
    state = ma.fields.String(required=True, validate=ma.validate.OneOf(STATES))
    next_opens_on = ma.fields.Date(required=True, metadata={
        "description": "when a window opens next (this year's while still upcoming)"})
    reminder_on = ma.fields.Date(required=True, metadata={
        "description": "the day of the reminder before the close (14 days before it)"})


class OverdueQuery(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    province_code = province_code(load_default=None, metadata={
        "description": "operators: one province (all without it); a province admin: its own"})


class OverdueProduct(ma.Schema):
    product_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    brand = ma.fields.String(required=True)
    model = ma.fields.String(required=True)
    filing_number = ma.fields.String(required=True)
    organisation_id = ma.fields.String(required=True)
    organisation_name = ma.fields.String(required=True)
    province_code = ma.fields.String(required=True, allow_none=True)
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(STATUSES))


class OverdueOut(ma.Schema):
    window = ma.fields.Nested(WindowOut, required=True)
    province_code = ma.fields.String(required=True, allow_none=True)
    items = ma.fields.List(ma.fields.Nested(OverdueProduct), required=True)
    total = ma.fields.Integer(required=True)
