"""The annual update counted for a province or the nation: the products on record, how many
gave the figures of the window's year, how many did not, and — once the window has closed —
how many are overdue (filing lists them: GET /api/v1/filing/annual-update/overdue). Each read
is audited (`annual_update.read`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from platform_shared.annual_update import AnnualUpdateWindow
from platform_shared.principal import Principal
from reporting.domain.product_list import ProductFilter
from reporting.domain.scope import scope_name, scope_of
from reporting.service_layer.unit_of_work import ReportingUnitOfWork


def annual_update_counts(principal: Principal, province: str | None, uow: ReportingUnitOfWork,
                         window: AnnualUpdateWindow, today: dt.date) -> dict[str, Any]:
    """Operators: any province or the nation; province admins: their own (403 for another)."""
    province = scope_of(principal, province)
    period = window.period(today)
    filed = updated = 0
    with uow:
        uow.audit("annual_update.read", "province", scope_name(province))
        for product in uow.products.each(province, ProductFilter()):
            filed += 1
            updated += period.year in product.facts.figures
    not_updated = filed - updated
    return {"province": province, "year": period.year, "state": period.state, "opens_on": period.opens_on,
            "closes_on": period.closes_on, "filed": filed, "updated": updated, "not_updated": not_updated,
            "overdue": not_updated if period.state == "closed" else 0}
