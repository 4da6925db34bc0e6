"""HTTP bodies of reporting (marshmallow)."""

from __future__ import annotations

import marshmallow as ma

from platform_shared.regions import PROVINCES
from platform_shared.web.fields import UtcDateTime
from platform_shared.web.pagination import PageQuery, page_schema
from reporting.service_layer.product_list import LISTED

Counts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(), required=True)
Amounts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True,
                         metadata={"description": "year → yuan as a decimal string"})
PROVINCE = ma.fields.String(load_default=None, validate=ma.validate.OneOf(sorted(PROVINCES)), metadata={
    "description": "GB/T 2260 province-level code; absent = national (operators) or your own (province admins)"})
LIST_NAME = r"^[a-z0-9][a-z0-9_-]{0,63}$"


class _Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class ProvinceQuery(_Strict):
    province = PROVINCE


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
    patents_total = ma.fields.Integer(required=True)
    declared_revenue_by_year = Amounts


class SummarySchema(ma.Schema):
    province = ma.fields.String(allow_none=True, required=True)
    organisations = ma.fields.Nested(OrganisationFigures, required=True)
    products = ma.fields.Nested(ProductFigures, required=True)


class ProductQuery(PageQuery):
    province = PROVINCE
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(LISTED))
    industry_code = ma.fields.String(load_default=None, validate=ma.validate.Length(max=16))
    city_code = ma.fields.String(load_default=None, validate=ma.validate.Regexp(r"^\d{6}$"))
    q = ma.fields.String(load_default=None, validate=ma.validate.Length(min=1, max=100))


class ExportQuery(_Strict):
    province = PROVINCE
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(LISTED))
    industry_code = ma.fields.String(load_default=None, validate=ma.validate.Length(max=16))
    city_code = ma.fields.String(load_default=None, validate=ma.validate.Regexp(r"^\d{6}$"))
    q = ma.fields.String(load_default=None, validate=ma.validate.Length(min=1, max=100))
    format = ma.fields.String(load_default="xlsx", validate=ma.validate.OneOf(("xlsx", "csv")))


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
    declared_revenue_by_year = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True,
                                              allow_none=True, metadata={"description": "operators only"})


ProductPage = page_schema(ProductRow, "ReportingProductPage")


class MonthlyQuery(_Strict):
    province = PROVINCE
    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(("json", "csv", "xlsx")))


class TargetEntry(_Strict):
    uscc = ma.fields.String(required=True, validate=ma.validate.Regexp(
        r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$", error="18 characters of the USCC alphabet"),
        metadata={"description": "统一社会信用代码 (its check character is checked too)"})
    name = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    province_code = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.OneOf(sorted(PROVINCES)))


class TargetListIn(_Strict):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    organisations = ma.fields.List(ma.fields.Nested(TargetEntry), required=True,
                                   validate=ma.validate.Length(min=1, max=100_000))


class TargetListOut(ma.Schema):
    name = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    organisations = ma.fields.Integer(required=True)
    uploaded_at = UtcDateTime(required=True)


class CoverageQuery(_Strict):
    list = ma.fields.String(load_default=None, validate=ma.validate.Regexp(LIST_NAME))
    province = PROVINCE


class NotFiled(ma.Schema):
    uscc = ma.fields.String(required=True)
    name = ma.fields.String(required=True)


class CoverageFigures(ma.Schema):
    list = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    province_code = ma.fields.String(required=True)
    total = ma.fields.Integer(required=True)
    filed = ma.fields.Integer(required=True)
    rate = ma.fields.Float(required=True)


class CoverageRow(CoverageFigures):
    not_filed = ma.fields.List(ma.fields.Nested(NotFiled), required=True)


class CoverageOut(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CoverageRow), required=True)


class EvaluationRow(ma.Schema):
    province_code = ma.fields.String(required=True)
    province_name = ma.fields.String(required=True)
    filings_in_year = ma.fields.Integer(required=True)
    filed_total = ma.fields.Integer(required=True)
    recognised_total = ma.fields.Integer(required=True)
    coverage = ma.fields.List(ma.fields.Nested(CoverageFigures), required=True)


class EvaluationOut(ma.Schema):
    year = ma.fields.Integer(required=True)
    provinces = ma.fields.List(ma.fields.Nested(EvaluationRow), required=True)


class EvaluationQuery(_Strict):
    province = PROVINCE
