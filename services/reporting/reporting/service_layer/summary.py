"""The summary figures of a province or the whole country, read from the counters.

Organisations by status, kind and city; products by status; filed products by industry field,
kind of organisation and city; recognised products; filings month by month; declared revenue by
year and patents by kind of the filed products.
"""

from __future__ import annotations

from collections import defaultdict

from platform_shared.money import to_yuan
from reporting.adapters.orm import Counter
from reporting.domain.products import ON_RECORD

ORGANISATION_DIMENSIONS = {"org_status": "by_status", "org_kind": "by_kind", "org_city": "by_city"}
PRODUCT_DIMENSIONS = {"product_status": "by_status", "filed_industry": "by_industry", "filed_org_kind": "by_kind",
                      "filed_city": "by_city", "filed_month": "by_month", "filed_patents": "patents_by_kind"}


def counters(province_code: str | None) -> dict[str, dict[str, int]]:
    """dimension → key → value, of one province or summed over all."""
    selection = Counter.select(Counter.province_code, Counter.dimension, Counter.key, Counter.value)
    if province_code is not None:
        selection = selection.where(Counter.province_code == province_code)
    figures: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_province: dict[str, int] = defaultdict(int)
    for province, dimension, key, value in selection.tuples():
        figures[dimension][key] += value
        if dimension == "org_status":
            by_province[province] += value
    figures["org_province"] = by_province
    return figures


def _non_zero(counts: dict[str, int]) -> dict[str, int]:
    return {key: value for key, value in sorted(counts.items()) if value}



def summary(province_code: str | None) -> dict:
    """National figures (province None) or one province's."""
    figures = counters(province_code)
    organisations = {name: _non_zero(figures[dimension]) for dimension, name in ORGANISATION_DIMENSIONS.items()}
    products = {name: _non_zero(figures[dimension]) for dimension, name in PRODUCT_DIMENSIONS.items()}
    by_status = products["by_status"]
    return {
        "province": province_code,
        "organisations": {"total": sum(organisations["by_status"].values()), **organisations,
                          "by_province": _non_zero(figures["org_province"])},
        "products": {
            **products,
            "filed_total": sum(by_status.get(status, 0) for status in ON_RECORD),
            "recognised_total": figures["product_recognised"].get("ever", 0),
            "declared_revenue_by_year": {year: to_yuan(fen)
                                         for year, fen in sorted(figures["filed_revenue_fen"].items()) if fen},
            "patents_total": sum(products["patents_by_kind"].values()),
        },
    }
