"""reporting's HTTP API: province-scoped figures for operators and province admins."""

from __future__ import annotations

import marshmallow as ma

from platform_shared.auth.access import current_principal, require_province, requires
from platform_shared.regions import PROVINCES
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from reporting.service_layer.summary import summary

blp = Blueprint("reporting", __name__, url_prefix="/api/v1/reporting", description="Statistics")
BEARER = [{"bearerAuth": []}]
Counts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())


class ProvinceQuery(ma.Schema):
    province = ma.fields.String(load_default=None, validate=ma.validate.OneOf(sorted(PROVINCES)),
                                metadata={"description": "GB/T 2260 province-level code; absent = national"})


class OrganisationFigures(ma.Schema):
    total = ma.fields.Integer(required=True)
    by_status = Counts
    by_kind = Counts
    by_province = Counts
    by_city = Counts


class SummarySchema(ma.Schema):
    province = ma.fields.String(allow_none=True, required=True)
    organisations = ma.fields.Nested(OrganisationFigures, required=True)


@blp.route("/summary", methods=["GET"])
@blp.doc(security=BEARER)
@blp.arguments(ProvinceQuery, location="query")
@blp.response(200, SummarySchema)
@requires("operator", "province_admin")
def get_summary(query: dict) -> dict:
    """Counts of organisations by status, kind, province and city (operators: any or national;
    province admins: their own province only)."""
    principal = current_principal()
    province = query["province"]
    if province is None and principal.role == "province_admin":
        province = principal.province_code
    require_province(principal, province)
    return summary(province)
