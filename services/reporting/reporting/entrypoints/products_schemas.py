"""The product list and its export over HTTP (marshmallow)."""

from __future__ import annotations

import marshmallow as ma

from platform_shared.web.pagination import PageQuery, page_schema
from reporting.domain.product_list import LISTED
from reporting.entrypoints.scope_schemas import PROVINCE, Strict


class ProductFilters(ma.Schema):
    province = PROVINCE
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(LISTED))
    industry_code = ma.fields.String(load_default=None, validate=ma.validate.Length(max=16))
    city_code = ma.fields.String(load_default=None, validate=ma.validate.Regexp(r"^\d{6}$"))
    q = ma.fields.String(load_default=None, validate=ma.validate.Length(min=1, max=100))


# The page's parameters first, then the filters (the order the API documents them in).
class ProductQuery(ProductFilters, PageQuery):
    pass


class ExportQuery(ProductFilters, Strict):
    format = ma.fields.String(load_default="xlsx", validate=ma.validate.OneOf(("xlsx", "csv")))
    year = ma.fields.Integer(load_default=None, validate=ma.validate.Range(min=2000, max=2100), metadata={
        "description": "the year of the products' economic figures; the last full year by default"})


class ProductRow(ma.Schema):
    product_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    brand = ma.fields.String(required=True)
    model = ma.fields.String(required=True)
    organisation_name = ma.fields.String(required=True)
    industry_code = ma.fields.String(required=True)
    province_code = ma.fields.String(required=True)
    city_code = ma.fields.String(required=True, allow_none=True)
    filing_number = ma.fields.String(required=True)
    filed_on = ma.fields.Date(required=True, allow_none=True)
    status = ma.fields.String(required=True)
    recognised = ma.fields.Boolean(required=True)
    suspended = ma.fields.Boolean(required=True, metadata={
        "description": "on record, but the filing is suspended (no patent holding past the grace period)"})
    declared_revenue_by_year = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True,
                                              allow_none=True, metadata={"description": "operators only"})


ProductPage = page_schema(ProductRow, "ReportingProductPage")
