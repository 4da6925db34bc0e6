"""The summary's figures over HTTP (marshmallow)."""

from __future__ import annotations

import marshmallow as ma

Counts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(), required=True)
Amounts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True,
                         metadata={"description": "year → yuan as a decimal string"})


class OrganisationFigures(ma.Schema):
    total = ma.fields.Integer(required=True)
    by_status = Counts
    by_kind = Counts
    by_province = Counts
    by_city = Counts


class ProductFigures(ma.Schema):
    by_status = Counts
    by_industry = Counts
    by_kind = Counts
    by_city = Counts
    by_month = Counts
    patents_by_kind = Counts
    filed_total = ma.fields.Integer(required=True)
    recognised_total = ma.fields.Integer(required=True)
    suspended_total = ma.fields.Integer(required=True, metadata={
        "description": "filings on record but suspended (no patent holding past the grace period), among filed_total"})
    patents_total = ma.fields.Integer(required=True)
    declared_revenue_by_year = Amounts


class SummarySchema(ma.Schema):
    province = ma.fields.String(allow_none=True, required=True)
    organisations = ma.fields.Nested(OrganisationFigures, required=True)
    products = ma.fields.Nested(ProductFigures, required=True)
