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
    state = ma.fields.String(required=True, validate=ma.validate.OneOf(["frozen", "live"]), metadata={
        "description": "`frozen`: the figures as they stood when the year was closed; `live`: as they stand now"})
    frozen_at = ma.fields.DateTime(required=True, allow_none=True, metadata={
        "description": "when the year was closed (`python -m reporting close-year`); null before"})
    provinces = ma.fields.List(ma.fields.Nested(EvaluationRow), required=True)


class EvaluationQuery(Strict):
    province = PROVINCE
    live = ma.fields.Boolean(load_default=False, metadata={
        "description": "the figures as they stand now, even once the year is closed"})
