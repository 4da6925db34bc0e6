"""The annual update's reminders and overdue list: which filed products still lack the previous
year's figures, told to their organisations when the window opens and 14 days before it closes
(one `filing.annual_update.reminder_due` per organisation; each product reminded once per year
and kind, as recorded), and shown to operators and province admins once the window has closed."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Any

from filing.domain.annual_update import AnnualUpdatePeriod, AnnualUpdateWindow
from filing.domain.products import Product
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.principal import Principal, require_province


def handle_reminders(uow: FilingUnitOfWork, window: AnnualUpdateWindow, today: dt.date,
                     now: dt.datetime) -> dict[str, int]:
    """Publish the reminder due on `today` to each organisation with products not yet updated
    and not yet reminded of it; {organisation_id: products reminded} (empty when nothing is due)."""
    period = window.period(today)
    kind = period.reminder_due()
    if kind is None:
        return {}
    sent: dict[str, int] = {}
    with uow:
        reminded = uow.annual_updates.reminded(period.year, kind)
        due = [p for p in uow.annual_updates.not_updated(period.year) if p.id not in reminded]
        for organisation_id, grouped in groupby(due, key=lambda p: p.organisation_id):
            products = list(grouped)
            organisation = uow.organisations.get(organisation_id)
            province = products[0].province_code or (organisation.province_code if organisation else None)
            uow.publish("filing.annual_update.reminder_due", {
                "organisation_id": organisation_id, "organisation_name": organisation.name if organisation else "",
                "province_code": province, "year": period.year, "kind": kind,
                "opens_on": period.opens_on.isoformat(), "closes_on": period.closes_on.isoformat(),
                "products": [_listed(p) for p in products]},
                aggregate_id=organisation_id)
            for product in products:
                uow.annual_updates.record_reminder(product.id, organisation_id, period.year, kind, now)
            sent[organisation_id] = len(products)
    return sent


def _listed(product: Product) -> dict[str, Any]:
    return {"product_id": product.id, "name": product.name, "brand": product.brand, "model": product.model,
            "filing_number": product.filing_number or ""}


def window_out(period: AnnualUpdatePeriod) -> dict[str, Any]:
    """This year's window as the API shows it."""
    return {"year": period.year, "opens_on": period.opens_on, "closes_on": period.closes_on,
            "state": period.state, "next_opens_on": period.next_opens_on, "reminder_on": period.last_call_on}


def overdue(principal: Principal, province_code: str | None, uow: FilingUnitOfWork, window: AnnualUpdateWindow,
            today: dt.date) -> dict[str, Any]:
    """Filed products whose figures of the window's year were not given by its close (operators:
    any province or all; province admins: their own). Empty while the window is still to come or open."""
    if principal.role == "province_admin":
        province_code = province_code or principal.province_code
    require_province(principal, province_code)  # operators any or all; a province admin its own
    period = window.period(today)
    items: list[dict[str, Any]] = []
    if period.state == "closed":
        with uow:
            products = uow.annual_updates.not_updated(period.year, province_code)
            names = {}
            for product in products:
                if product.organisation_id not in names:
                    organisation = uow.organisations.get(product.organisation_id)
                    names[product.organisation_id] = organisation.name if organisation else ""
            items = [{**_listed(p), "organisation_id": p.organisation_id,
                      "organisation_name": names[p.organisation_id], "province_code": p.province_code,
                      "status": p.status} for p in products]
            uow.audit("product.annual_update_overdue", "product", None,
                      {"province_code": province_code, "products": [p.id for p in products]})
    return {"window": window_out(period), "province_code": province_code, "items": items, "total": len(items)}
