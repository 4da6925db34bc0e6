"""What every query of reporting's API shares: the province it asks for, and strictness (an
unknown parameter is refused, not ignored: a misspelt filter must not give national figures)."""

from __future__ import annotations

import marshmallow as ma

from platform_shared.regions import PROVINCES

PROVINCE = ma.fields.String(load_default=None, validate=ma.validate.OneOf(sorted(PROVINCES)), metadata={
    "description": "GB/T 2260 province-level code; absent = national (operators) or your own (province admins)"})


class Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class ProvinceQuery(Strict):
    province = PROVINCE
