"""Monthly reports: each province's (and the national) figures of a month, frozen, and read
back as they were published.

`handle_publish_month` writes one report per province and one national report, with the figures
as they stood at the end of the month (whenever it is published), and publishes
`reporting.monthly_report.published` for each province (notify mails its admins). A month is
published once: publishing it again changes nothing, so a report downloaded later always says
the same.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from platform_shared.errors import Conflict, NotFound, RuleBroken
from platform_shared.industries import IndustryClassification
from platform_shared.moments import naive_utc
from platform_shared.regions import PROVINCES
from reporting.domain.commands import PublishMonth
from reporting.domain.months import has_ended, parse_month, twelve_months_to
from reporting.domain.queries import ListMonthlyReports, ReadMonthlyReport
from reporting.domain.reports import MonthlyReport
from reporting.domain.scope import NATIONAL, scope_name, scope_of
from reporting.service_layer.dependencies import ReportFiles
from reporting.service_layer.downloads import MEDIA_TYPES, Download
from reporting.service_layer.summary import figures_summary
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

DOWNLOAD_PATH = "/api/v1/reporting/monthly/{month}?province={province}&format={format}"


def handle_publish_month(command: PublishMonth, uow: ReportingUnitOfWork,
                         industries: IndustryClassification) -> list[str]:
    """Freeze the month for every province and the nation; the scopes published now (not
    before). `RuleBroken` for a month not written YYYY-MM, `Conflict` before it has ended."""
    try:
        ended = has_ended(command.month, command.today)
    except ValueError as exc:
        raise RuleBroken({"month": [str(exc)]}) from None
    if not ended:
        raise Conflict(f"{command.month} has not ended yet (today is {command.today.isoformat()}): a month is "
                       "published once it is over", slug="month-not-ended")
    published = []
    with uow:
        done = uow.monthly_reports.scopes_published(command.month)
        now = dt.datetime.now(dt.UTC)
        for scope in [*sorted(PROVINCES), NATIONAL]:
            if scope in done:
                continue
            body = report_body(command.month, scope, uow, industries)
            report = MonthlyReport(id=str(uuid.uuid4()), month=command.month, scope=scope, published_at=naive_utc(now),
                                   body={**body, "published_at": now.isoformat()})
            uow.monthly_reports.add(report)
            published.append(scope)
            if scope != NATIONAL:
                uow.publish("reporting.monthly_report.published", {
                    "report_id": report.id, "month": command.month, "province_code": scope,
                    "province_name": PROVINCES[scope], "figures": body["figures"],
                    "downloads": {f: DOWNLOAD_PATH.format(month=command.month, province=scope, format=f)
                                  for f in ("csv", "xlsx", "json")},
                    "published_at": now.isoformat()}, aggregate_id=report.id)
    return published


def report_body(month: str, scope: str, uow: ReportingUnitOfWork, industries: IndustryClassification) -> dict[str, Any]:
    """The figures of `month` for a province (or `national`) as they stood at the month's end,
    whenever it is published or rebuilt: what happened after the month does not count."""
    province = None if scope == NATIONAL else scope
    figures = figures_summary(province, uow, as_of=month)
    products, organisations = figures["products"], figures["organisations"]
    return {
        "month": month, "scope": scope, "province_name": PROVINCES.get(scope, "全国"),
        "figures": {"new_filings": products["by_month"].get(month, 0), "filed_total": products["filed_total"],
                    "recognised_total": products["recognised_total"], "organisations_total": organisations["total"]},
        "filings_by_month": {m: products["by_month"].get(m, 0) for m in twelve_months_to(month)},
        "filed_by_industry": {code: products["by_industry"].get(code, 0) for code in industries.fields},
        "industry_names": {code: field.name for code, field in industries.fields.items()},
        "filed_by_city": products["by_city"], "filed_by_kind": products["by_kind"],
        "products_by_status": products["by_status"], "organisations_by_status": organisations["by_status"],
        "declared_revenue_by_year": products["declared_revenue_by_year"],
        "patents_by_kind": products["patents_by_kind"],
        "new_products": [{"filing_number": p.filing_number, "name": p.name, "brand": p.brand, "model": p.model,
                          "organisation_name": p.organisation_name, "industry_code": p.facts.industry_code,
                          "province_code": p.facts.province_code, "city_code": p.facts.city_code,
                          "filed_on": p.filed_at.date().isoformat() if p.filed_at else None}
                         for p in uow.products.filed_in(month, province)],
    }


def published_reports(query: ListMonthlyReports, uow: ReportingUnitOfWork) -> list[dict[str, Any]]:
    """The months published for the caller's scope, newest first (only those: a month not yet
    published has nothing to download)."""
    scope = scope_name(scope_of(query.principal, query.province))
    with uow:
        return [{"month": month, "scope": scope, "published_at": published_at}
                for month, published_at in uow.monthly_reports.published(scope)]


def monthly_report_file(query: ReadMonthlyReport, uow: ReportingUnitOfWork, files: ReportFiles) -> Download:
    """The month's report as it was published, as `json`, `csv` or `xlsx` (with charts);
    `NotFound` before the month is published. Audited."""
    try:
        parse_month(query.month)
    except ValueError as exc:
        raise NotFound(str(exc), slug="no-such-month") from None
    scope = scope_name(scope_of(query.principal, query.province))
    with uow:
        report = uow.monthly_reports.get(query.month, scope)
        if report is None:
            raise NotFound(f"The report of {query.month} is not published yet.", slug="report-not-published")
        uow.audit("monthly.read", "province", scope, {"month": query.month, "format": query.file_format})
    writers = {"json": files.as_json, "csv": files.as_csv, "xlsx": files.as_xlsx}
    return Download(f"report-{query.month}-{scope}.{query.file_format}", MEDIA_TYPES[query.file_format],
                    writers[query.file_format](report.body), attachment=query.file_format != "json")
