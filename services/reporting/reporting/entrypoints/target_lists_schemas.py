"""Target lists and their coverage over HTTP (marshmallow)."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload

from platform_shared.regions import PROVINCES
from platform_shared.web.fields import UtcDateTime
from reporting.domain.targets import LIST_NAME
from reporting.entrypoints.scope_schemas import PROVINCE, Strict


class TargetEntry(Strict):
    uscc = ma.fields.String(required=True, validate=ma.validate.Regexp(
        r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$", error="18 characters of the USCC alphabet"),
        metadata={"description": "统一社会信用代码 (its check character is checked too)"})
    name = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    province_code = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.OneOf(sorted(PROVINCES)))


class TargetListIn(Strict):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    organisations = ma.fields.List(ma.fields.Nested(TargetEntry), required=True,
                                   validate=ma.validate.Length(min=1, max=100_000))


class TargetListFileForm(Strict):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    file = Upload(required=True, metadata={
        "description": "XLSX or CSV (UTF-8 or GB18030), at most 8 MiB and 100,000 rows: column A the USCC, B the "
                       "name, C the province code (both optional); a header row is skipped"})


class TargetListOut(ma.Schema):
    name = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    organisations = ma.fields.Integer(required=True)
    uploaded_at = UtcDateTime(required=True)


class CoverageQuery(Strict):
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
