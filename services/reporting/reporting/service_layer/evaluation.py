"""The year-end evaluation: per province, the coverage of every target list and the year's
filings, recognitions and totals (the notice: coverage is evaluated at year end)."""

from __future__ import annotations

from platform_shared.regions import PROVINCES
from reporting.service_layer.summary import counters
from reporting.service_layer.targets import coverage


def evaluation(year: int, province_code: str | None) -> dict:
    provinces = [province_code] if province_code else sorted(PROVINCES)
    lists = coverage(None, province_code)
    rows = []
    for province in provinces:
        figures = counters(province)
        by_status = figures["product_status"]
        rows.append({
            "province_code": province, "province_name": PROVINCES[province],
            "filings_in_year": sum(n for month, n in figures["filed_month"].items() if month.startswith(f"{year}-")),
            "filed_total": by_status.get("filed", 0) + by_status.get("recognised", 0),
            "recognised_total": figures["product_recognised"].get("ever", 0),
            "coverage": [{k: v for k, v in row.items() if k != "not_filed"} for row in lists
                         if row["province_code"] == province],
        })
    return {"year": year, "provinces": rows}
