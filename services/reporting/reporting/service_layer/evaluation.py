"""The year-end evaluation: per province, the coverage of every target list and the year's
filings, recognitions and totals (the notice: coverage is evaluated at year end). Each read is
audited (`evaluation.read`)."""

from __future__ import annotations

from typing import Any

from platform_shared.regions import PROVINCES
from reporting.domain.queries import ReadEvaluation
from reporting.domain.scope import scope_name, scope_of
from reporting.service_layer.summary import counters
from reporting.service_layer.targets import coverage_rows
from reporting.service_layer.unit_of_work import ReportingUnitOfWork


def evaluation(query: ReadEvaluation, uow: ReportingUnitOfWork) -> dict[str, Any]:
    province_code = scope_of(query.principal, query.province)
    provinces = [province_code] if province_code else sorted(PROVINCES)
    rows = []
    with uow:
        uow.audit("evaluation.read", "province", scope_name(province_code), {"year": query.year})
        lists = coverage_rows(None, province_code, uow)
        for province in provinces:
            figures = counters(province, uow)
            by_status = figures["product_status"]
            rows.append({
                "province_code": province, "province_name": PROVINCES[province],
                "filings_in_year": sum(n for month, n in figures["filed_month"].items()
                                       if month.startswith(f"{query.year}-")),
                "filed_total": by_status.get("filed", 0) + by_status.get("recognised", 0),
                "recognised_total": figures["product_recognised"].get("ever", 0),
                "coverage": [{k: v for k, v in row.items() if k != "not_filed"} for row in lists
                             if row["province_code"] == province],
            })
    return {"year": query.year, "provinces": rows}
