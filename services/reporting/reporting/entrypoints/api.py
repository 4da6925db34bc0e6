"""reporting's HTTP API: province-scoped figures, the product list, monthly reports, target
lists and their coverage, and the year-end evaluation — for operators (any province, or the
nation) and province admins (their own province only; 403 for another)."""

from __future__ import annotations

import io
import re

from flask import Response, send_file

from platform_shared.auth.tokens import Principal
from platform_shared.principal import require_province
from platform_shared.web.access import current_principal, requires
from platform_shared.web.audit import audit_request
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_runtime
from platform_shared.web.pagination import page_of
from platform_shared.web.problems import Problem
from reporting.adapters import report_files
from reporting.adapters.orm import AuditLog, ProductView, TargetMember
from reporting.domain.months import parse_month
from reporting.entrypoints import schemas
from reporting.service_layer.evaluation import evaluation
from reporting.service_layer.monthly import NATIONAL, frozen_report
from reporting.service_layer.product_list import product_out, products_in
from reporting.service_layer.summary import summary
from reporting.service_layer.targets import coverage, replace_list

blp = Blueprint("reporting", __name__, url_prefix="/api/v1/reporting", description="Statistics")
BEARER = [{"bearerAuth": []}]
SCOPED = ("operator", "province_admin")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_DOC = {"200": {"description": "The month's report as published", "content": {
    "application/json": {"schema": {"type": "object"}},
    "text/csv": {"schema": {"type": "string", "format": "binary"}},
    XLSX: {"schema": {"type": "string", "format": "binary"}}}}}
problems = blp.problems


def scope_of(principal: Principal, province: str | None) -> str | None:
    """The province asked for (a province admin's own by default); 403 outside the caller's scope."""
    if province is None and principal.role == "province_admin":
        province = principal.province_code
    require_province(principal, province)
    return province


@blp.route("/summary", methods=["GET"])
@blp.doc(security=BEARER)
@requires(*SCOPED)
@blp.arguments(schemas.ProvinceQuery, location="query")
@blp.response(200, schemas.SummarySchema)
@problems(401, 403)
def get_summary(query: dict) -> dict:
    """Organisations by status, kind, province and city; products by status; filed products by
    industry field, kind of organisation, city and month; recognised products; declared revenue
    by year and patents by kind (operators: any province or national; province admins: theirs)."""
    return summary(scope_of(current_principal(), query["province"]))


@blp.route("/products", methods=["GET"])
@blp.doc(security=BEARER)
@requires(*SCOPED)
@blp.arguments(schemas.ProductQuery, location="query")
@blp.response(200, schemas.ProductPage)
@problems(401, 403)
def list_products(query: dict) -> dict:
    """Filed and recognised products of the scope with organisation, field and filing number;
    declared revenue by year for operators only. Every read is audited."""
    principal = current_principal()
    province = scope_of(principal, query["province"])
    page = page_of(products_in(province, query), query, ProductView.filed_at.desc(), ProductView.product_id)
    audit_request(AuditLog, "products.list", "province", province or "national",
                  {"products": [p.product_id for p in page["items"]]})
    with_figures = principal.role == "operator"
    return {"items": [product_out(p, with_figures) for p in page["items"]], "total": page["total"]}


@blp.route("/products/export", methods=["GET"])
@blp.doc(security=BEARER, responses={"200": {"description": "The product list as a file", "content": {
    XLSX: {"schema": {"type": "string", "format": "binary"}},
    "text/csv": {"schema": {"type": "string", "format": "binary"}}}}})
@requires(*SCOPED)
@blp.arguments(schemas.ExportQuery, location="query")
@problems(401, 403)
def export_products(query: dict) -> Response:
    """The whole product list of the scope (filters as the list) as `xlsx` (default) or `csv`:
    product identity only — no figures of single products. Audited."""
    principal = current_principal()
    province = scope_of(principal, query["province"])
    selection = products_in(province, query).order_by(ProductView.filed_at, ProductView.product_id)
    audit_request(AuditLog, "products.export", "province", province or "national", {"format": query["format"]})
    rows = (product_out(p, with_figures=False) for p in selection.iterator())
    name = f"products-{province or 'national'}.{query['format']}"
    if query["format"] == "csv":
        response = Response(report_files.products_csv(rows), mimetype="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = f"attachment; filename={name}"
        return response
    sink = io.BytesIO()
    report_files.products_xlsx(rows, sink)
    sink.seek(0)
    return send_file(sink, mimetype=XLSX, as_attachment=True, download_name=name, conditional=False, etag=False,
                     max_age=0)


@blp.route("/monthly/<month>", methods=["GET"])
@blp.doc(security=BEARER, responses=REPORT_DOC)
@requires(*SCOPED)
@blp.arguments(schemas.MonthlyQuery, location="query")
@problems(401, 403, 404)
def monthly(query: dict, month: str) -> Response:
    """The month's report as it was published (the same whenever downloaded): `format=json`
    (default), `csv` or `xlsx` (with charts). 404 before the month is published."""
    try:
        parse_month(month)
    except ValueError as exc:
        raise Problem(404, str(exc), slug="no-such-month") from None
    province = scope_of(current_principal(), query["province"])
    report = frozen_report(month, province or NATIONAL)
    if report is None:
        raise Problem(404, f"The report of {month} is not published yet.", slug="report-not-published")
    audit_request(AuditLog, "monthly.read", "province", province or "national", {"month": month,
                                                                                 "format": query["format"]})
    name = f"report-{month}-{province or 'national'}"
    if query["format"] == "json":
        return Response(report_files.as_json(report), mimetype="application/json")
    body, media = ((report_files.as_csv(report), "text/csv; charset=utf-8") if query["format"] == "csv"
                   else (report_files.as_xlsx(report), XLSX))
    return send_file(io.BytesIO(body), mimetype=media, as_attachment=True,
                     download_name=f"{name}.{query['format']}", conditional=False, etag=False, max_age=0)


@blp.route("/target-lists/<name>", methods=["PUT"])
@blp.doc(security=BEARER)
@requires("operator")
@blp.arguments(schemas.TargetListIn)
@blp.response(200, schemas.TargetListOut)
@problems(401, 403, 404, 422)
def put_target_list(body: dict, name: str) -> dict:
    """Create or replace a target list: organisations (by USCC) that should have filed, e.g.
    national IP advantage and demonstration enterprises (operators). Each USCC is checked; its
    province is the one it was registered in unless given. 404 for a name other than
    lower-case letters, digits, `-` and `_`."""
    if not re.match(schemas.LIST_NAME, name):
        raise Problem(404, "A list name is lower-case letters, digits, '-' and '_'.", slug="no-such-list")
    target = replace_list(name, body["title"], body["organisations"], current_principal().account_id,
                          current_runtime().database)
    count = TargetMember.select().where(TargetMember.target_list == name).count()
    return {"name": target.name, "title": target.title, "organisations": count, "uploaded_at": target.uploaded_at}


@blp.route("/coverage", methods=["GET"])
@blp.doc(security=BEARER)
@requires(*SCOPED)
@blp.arguments(schemas.CoverageQuery, location="query")
@blp.response(200, schemas.CoverageOut)
@problems(401, 403, 404)
def get_coverage(query: dict) -> dict:
    """Per target list and province: how many listed organisations have filed at least one
    product, the rate, and which have not (province admins: their province only). Audited."""
    province = scope_of(current_principal(), query["province"])
    rows = coverage(query["list"], province)
    audit_request(AuditLog, "coverage.read", "province", province or "national", {"list": query["list"]})
    return {"items": rows}


@blp.route("/evaluation/<int:year>", methods=["GET"])
@blp.doc(security=BEARER)
@requires(*SCOPED)
@blp.arguments(schemas.EvaluationQuery, location="query")
@blp.response(200, schemas.EvaluationOut)
@problems(401, 403)
def get_evaluation(query: dict, year: int) -> dict:
    """The year-end evaluation: per province, coverage of every target list and the filings of
    the year (operators: every province, or one; province admins: theirs)."""
    province = scope_of(current_principal(), query["province"])
    return evaluation(year, province)

