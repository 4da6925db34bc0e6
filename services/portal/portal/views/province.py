"""The province's dashboard (province admins: their own; operators: any, or the nation):
counts by status, field, city and kind; filings per month as a chart; coverage of the target
lists with the organisations that have not filed; the monthly reports and the product export
to download; the filed products whose annual update is overdue, and those whose patents the
re-checks found lost (at risk, suspended); the year-end evaluation (frozen once the year is
closed, or live); the province's own target lists."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.access import role_required, signed_in
from portal.api import Problem
from portal.charts import bar_chart, last_months
from portal.i18n import translate
from portal.labels import industry_names
from portal.problem_words import worded
from portal.views import api, done, download, form_page
from portal.views.target_files import file_row_errors, put_target_file

blp = Blueprint("province", __name__, url_prefix="/province")
REPORTING = "/api/v1/reporting"
AT_RISK = "/api/v1/filing/products-at-risk"


def _scope() -> str | None:
    """The province shown: a province admin's own; the one an operator picked (None: national)."""
    user = signed_in()
    if user["role"] == "province_admin":
        return user["province_code"]
    return request.args.get("province") or None


@blp.get("")
@role_required("province_admin", "operator")
def dashboard() -> ResponseReturnValue:
    province = _scope()
    summary = api().get(f"{REPORTING}/summary", {"province": province})
    coverage = api().get(f"{REPORTING}/coverage", {"province": province})["items"]
    products = api().get(f"{REPORTING}/products", {"province": province, "per_page": 20})
    industries = industry_names(api().get("/api/v1/filing/industry-fields", signed=False)["items"])
    today = dt.datetime.now(dt.UTC).date()
    months = last_months(today)
    by_month = summary["products"].get("by_month") or {}
    chart = bar_chart([(month, int(by_month.get(month, 0))) for month in months], translate("province.chart_title"),
                      translate("province.chart_desc", first=months[0], last=months[-1]))
    # Only the months whose report is published, newest first: nothing to download is not listed.
    report_months = [item["month"] for item in api().get(f"{REPORTING}/monthly", {"province": province})["items"]]
    annual = api().get(f"{REPORTING}/annual-update", {"province": province})
    at_risk = api().get(AT_RISK, {"province_code": province, "per_page": 1})["total"]
    return render_template("province/dashboard.html", province=province, summary=summary, coverage=coverage,
                           products=products, industries=industries, chart=chart, months=months,
                           by_month=by_month, report_months=report_months, annual=annual, at_risk=at_risk)


@blp.get("/at-risk")
@role_required("province_admin", "operator")
def at_risk() -> ResponseReturnValue:
    """Filed products whose patents a re-check found lost, in the caller's scope, with the deadline."""
    province = _scope()
    page_number = request.args.get("page", "1")
    page = api().get(AT_RISK, {"province_code": province, "per_page": 50,
                               "page": page_number if page_number.isdigit() else "1"})
    return render_template("province/at_risk.html", province=province, page=page)


@blp.get("/monthly/<month>.<fmt>")
@role_required("province_admin", "operator")
def monthly(month: str, fmt: str) -> ResponseReturnValue:
    if fmt not in ("xlsx", "csv"):
        abort(404)
    province = _scope()
    response = api().call("GET", f"{REPORTING}/monthly/{month}", params={"province": province, "format": fmt})
    if response.status == 404:
        flash(translate("province.not_published", month=month), "error")
        return redirect(url_for("province.dashboard", province=province))
    return download(response)


@blp.get("/export.<fmt>")
@role_required("province_admin", "operator")
def export(fmt: str) -> ResponseReturnValue:
    if fmt not in ("xlsx", "csv"):
        abort(404)
    return download(api().call("GET", f"{REPORTING}/products/export", params={"province": _scope(), "format": fmt}))


@blp.get("/annual-update-overdue")
@role_required("province_admin", "operator")
def overdue() -> ResponseReturnValue:
    """Filed products without the previous year's figures once the annual update has closed."""
    province = _scope()
    listing = api().get("/api/v1/filing/annual-update/overdue", {"province_code": province})
    return render_template("province/overdue.html", province=province, listing=listing)


@blp.get("/evaluation")
@role_required("province_admin", "operator")
def evaluation() -> ResponseReturnValue:
    """The year-end evaluation of the province (operators: the nation, or one province): as
    frozen when the year was closed, or live — the page says which, and links the other."""
    province = _scope()
    this_year = dt.datetime.now(dt.UTC).year
    try:
        year = int(request.args.get("year", this_year))
    except ValueError:
        abort(404)
    if not 2000 <= year <= this_year:
        abort(404)
    live = request.args.get("live") == "1"
    shown = api().get(f"{REPORTING}/evaluation/{year}", {"province": province, "live": "true" if live else None})
    return render_template("province/evaluation.html", province=province, evaluation=shown, year=year,
                           years=list(range(this_year, this_year - 6, -1)), live=live)


@blp.route("/target-lists", methods=["GET", "POST"])
@role_required("province_admin")
def target_lists() -> ResponseReturnValue:
    """The province's own target lists: upload one (XLSX or CSV of USCCs of the province), and
    the coverage of every list in the province with the organisations that have not filed."""
    problem: Problem | None = None
    values = {"name": request.form.get("name", "").strip(), "title": request.form.get("title", "").strip()}
    if request.method == "POST":
        response = put_target_file(values)
        if response.ok:
            stored = response.json()
            return done("target_lists.uploaded", url_for("province.target_lists"), title=stored["title"],
                        count=stored["organisations"])
        problem = Problem.of(response)
    coverage = api().get(f"{REPORTING}/coverage")["items"]
    row_errors = file_row_errors(worded(problem).errors) if problem else []
    return form_page("province/target_lists.html", problem, values=values, coverage=coverage,
                     row_errors=row_errors)
