"""The year-end evaluation over HTTP (marshmallow)."""

from __future__ import annotations

import marshmallow as ma

from reporting.entrypoints.scope_schemas import PROVINCE, Strict
from reporting.entrypoints.target_lists_schemas import CoverageFigures


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


class EvaluationQuery(Strict):
    province = PROVINCE
