"""A monthly report's download over HTTP (marshmallow)."""

from __future__ import annotations

import marshmallow as ma

from reporting.entrypoints.scope_schemas import PROVINCE, Strict


class MonthlyQuery(Strict):
    province = PROVINCE
    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(("json", "csv", "xlsx")))
