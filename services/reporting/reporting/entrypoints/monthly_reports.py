"""A month's frozen report over HTTP, as JSON, CSV or an XLSX workbook with charts."""

from __future__ import annotations

from typing import Any

from flask import Response

from platform_shared.web.access import current_principal
from platform_shared.web.blueprint import ServiceBlueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.routes import endpoint
from reporting.domain.queries import ListMonthlyReports, ReadMonthlyReport
from reporting.domain.scope import READERS
from reporting.entrypoints.downloads import BINARY, download_response
from reporting.entrypoints.monthly_reports_schemas import MonthlyQuery, PublishedMonths
from reporting.entrypoints.scope_schemas import ProvinceQuery
from reporting.service_layer.dependencies import ReportingDependencies
from reporting.service_layer.downloads import XLSX
from reporting.service_layer.monthly import monthly_report_file, published_reports
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

blp = ServiceBlueprint("monthly_reports", __name__)
REPORT_DOC = {"200": {"description": "The month's report as published", "content": {
    "application/json": {"schema": {"type": "object"}}, "text/csv": BINARY, XLSX: BINARY}}}


@endpoint(blp, "/monthly", "GET", roles=READERS, query=ProvinceQuery, response=(200, PublishedMonths),
          problems=(401, 403))
def published(query: dict[str, Any]) -> dict[str, Any]:
    """The months whose report is published for the province (or the nation), newest first."""
    return {"items": published_reports(ListMonthlyReports(current_principal(), query["province"]),
                                       current_uow(ReportingUnitOfWork))}


@endpoint(blp, "/monthly/<month>", "GET", roles=READERS, query=MonthlyQuery, response=None, problems=(401, 403, 404),
          doc={"responses": REPORT_DOC})
def monthly(query: dict[str, Any], month: str) -> Response:
    """The month's report as it was published (the same whenever downloaded): `format=json`
    (default), `csv` or `xlsx` (with charts). 404 before the month is published."""
    asked = ReadMonthlyReport(current_principal(), query["province"], month, query["format"])
    files = current_dependencies(ReportingDependencies).report_files
    return download_response(monthly_report_file(asked, current_uow(ReportingUnitOfWork), files))
