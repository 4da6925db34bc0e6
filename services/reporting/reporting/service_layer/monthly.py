"""Monthly publication: each province's (and the national) figures of a month, frozen.

`publish_month` writes one report per province and one national report, with the figures as
they stand at publication, and publishes `reporting.monthly_report.published` for each
province (notify mails its admins). A month is published once: publishing it again changes
nothing, so a report downloaded later always says the same.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

from platform_shared.industries import classification
from platform_shared.regions import PROVINCES
from platform_shared.unit_of_work import UnitOfWork
from reporting.adapters.orm import MonthlyReport, ProductView
from reporting.domain.months import has_ended, twelve_months_to
from reporting.service_layer.summary import summary

NATIONAL = "national"
DOWNLOAD_PATH = "/api/v1/reporting/monthly/{month}?province={province}&format={format}"


class MonthNotEnded(ValueError):
    pass


def report_body(month: str, scope: str) -> dict:
    """The figures of `month` for a province (or `national`), as they stand now."""
    province = None if scope == NATIONAL else scope
    figures = summary(province)
    products, organisations = figures["products"], figures["organisations"]
    new = (ProductView.select().where(ProductView.filed_month == month).order_by(ProductView.filing_number))
    if province is not None:
        new = new.where(ProductView.province_code == province)
    fields = classification()
    return {
        "month": month, "scope": scope, "province_name": PROVINCES.get(scope, "全国"),
        "figures": {"new_filings": products["by_month"].get(month, 0), "filed_total": products["filed_total"],
                    "recognised_total": products["recognised_total"], "organisations_total": organisations["total"]},
        "filings_by_month": {m: products["by_month"].get(m, 0) for m in twelve_months_to(month)},
        "filed_by_industry": {code: products["by_industry"].get(code, 0) for code in fields.fields},
        "industry_names": {code: field.name for code, field in fields.fields.items()},
        "filed_by_city": products["by_city"], "filed_by_kind": products["by_kind"],
        "products_by_status": products["by_status"], "organisations_by_status": organisations["by_status"],
        "declared_revenue_by_year": products["declared_revenue_by_year"],
        "patents_by_kind": products["patents_by_kind"],
        "new_products": [{"filing_number": p.filing_number, "name": p.name, "brand": p.brand, "model": p.model,
                          "organisation_name": p.organisation_name, "industry_code": p.industry_code,
                          "province_code": p.province_code, "city_code": p.city_code,
                          "filed_on": p.filed_at.date().isoformat() if p.filed_at else None} for p in new],
    }


def publish_month(month: str, uow: UnitOfWork, today: dt.date) -> list[str]:
    """Freeze `month` for every province and the nation; the scopes published now (not before)."""
    if not has_ended(month, today):
        raise MonthNotEnded(f"{month} has not ended yet (today is {today.isoformat()}): a month is published "
                            "once it is over")
    published = []
    with uow:
        done = {r.scope for r in MonthlyReport.select(MonthlyReport.scope).where(MonthlyReport.month == month)}
        now = dt.datetime.now(dt.UTC)
        for scope in [*sorted(PROVINCES), NATIONAL]:
            if scope in done:
                continue
            body = report_body(month, scope)
            report = MonthlyReport.create(id=str(uuid.uuid4()), month=month, scope=scope, published_at=now.replace(
                tzinfo=None), body=json.dumps({**body, "published_at": now.isoformat()}, ensure_ascii=False))
            published.append(scope)
            if scope != NATIONAL:
                uow.publish("reporting.monthly_report.published", {
                    "report_id": report.id, "month": month, "province_code": scope,
                    "province_name": PROVINCES[scope], "figures": body["figures"],
                    "downloads": {f: DOWNLOAD_PATH.format(month=month, province=scope, format=f)
                                  for f in ("csv", "xlsx", "json")},
                    "published_at": now.isoformat()}, aggregate_id=report.id)
    return published


def frozen_report(month: str, scope: str) -> dict | None:
    report = MonthlyReport.get_or_none((MonthlyReport.month == month) & (MonthlyReport.scope == scope))
    return json.loads(report.body) if report else None
