"""The summary figures of a province or the whole country, read from the counters (each read
audited, `summary.read`, as every read of a province's data).

Organisations by status, kind and city; products by status; filed products by industry field,
kind of organisation and city; recognised products; filings month by month; declared revenue by
year and patents by kind of the filed products.
"""

from __future__ import annotations

from typing import Any

from platform_shared.money import to_yuan
from reporting.domain.counters import Figures, figures_of
from reporting.domain.products import ON_RECORD
from reporting.domain.queries import ReadSummary
from reporting.domain.scope import scope_name, scope_of
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

ORGANISATION_DIMENSIONS = {"org_status": "by_status", "org_kind": "by_kind", "org_city": "by_city"}
PRODUCT_DIMENSIONS = {"product_status": "by_status", "filed_industry": "by_industry", "filed_org_kind": "by_kind",
                      "filed_city": "by_city", "filed_month": "by_month", "filed_patents": "patents_by_kind"}


def summary(query: ReadSummary, uow: ReportingUnitOfWork) -> dict[str, Any]:
    """National figures or one province's, as far as the caller's scope reaches."""
    province = scope_of(query.principal, query.province)
    with uow:
        uow.audit("summary.read", "province", scope_name(province))
        return figures_summary(province, uow)


def counters(province_code: str | None, uow: ReportingUnitOfWork, as_of: str | None = None) -> Figures:
    """dimension → key → value, of one province or summed over all; now, or as of the end of
    the month `as_of`."""
    return figures_of(uow.counters.values(province_code, up_to=as_of))


def _non_zero(counts: dict[str, int]) -> dict[str, int]:
    return {key: value for key, value in sorted(counts.items()) if value}


def figures_summary(province_code: str | None, uow: ReportingUnitOfWork, as_of: str | None = None) -> dict[str, Any]:
    """National figures (province None) or one province's, whoever asks (inside `uow`'s block):
    as they stand, or as they stood at the end of the month `as_of` (YYYY-MM)."""
    figures = counters(province_code, uow, as_of)
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
            # On record but suspended (no patent holding past the grace period): among filed_total.
            "suspended_total": figures["filed_suspended"].get("all", 0),
            "declared_revenue_by_year": {year: to_yuan(fen)
                                         for year, fen in sorted(figures["filed_revenue_fen"].items()) if fen},
            "patents_total": sum(products["patents_by_kind"].values()),
        },
    }
