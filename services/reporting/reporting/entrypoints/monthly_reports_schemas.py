"""A monthly report's download over HTTP (marshmallow)."""

from __future__ import annotations

import marshmallow as ma

from platform_shared.web.fields import UtcDateTime
from reporting.entrypoints.scope_schemas import PROVINCE, Strict


class PublishedMonth(ma.Schema):
    month = ma.fields.String(required=True, metadata={"description": "YYYY-MM"})
    scope = ma.fields.String(required=True, metadata={"description": "province code, or national"})
    published_at = UtcDateTime(required=True)  # stored naive UTC; the contract's times carry their offset


class PublishedMonths(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PublishedMonth), required=True)


class MonthlyQuery(Strict):
    province = PROVINCE
    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(("json", "csv", "xlsx")))
