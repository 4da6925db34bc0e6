"""The list of filed and recognised products of a scope, with what the caller's role may see:
product identity for everyone in scope; declared revenue by year for operators only (a
province admin sees aggregates, not one product's figures)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import peewee

from platform_shared.money import to_yuan
from reporting.adapters.orm import ProductView
from reporting.domain.products import ON_RECORD

LISTED = (*sorted(ON_RECORD), "cancelled", "revoked")


def products_in(province_code: str | None, query: Mapping[str, Any]) -> peewee.ModelSelect:
    selection = ProductView.select().where(ProductView.filing_number.is_null(False))
    if province_code is not None:
        selection = selection.where(ProductView.province_code == province_code)
    statuses = [query["status"]] if query.get("status") else sorted(ON_RECORD)
    selection = selection.where(ProductView.status.in_(statuses))
    if query.get("industry_code"):
        selection = selection.where(ProductView.industry_code == query["industry_code"])
    if query.get("city_code"):
        selection = selection.where(ProductView.city_code == query["city_code"])
    if query.get("q"):
        text = query["q"].strip()
        selection = selection.where((ProductView.filing_number == text) | ProductView.name.contains(text)
                                    | ProductView.model.contains(text) | ProductView.organisation_name.contains(text))
    return selection


def product_out(row: ProductView, with_figures: bool) -> dict:
    return {"product_id": row.product_id, "name": row.name, "brand": row.brand, "model": row.model,
            "organisation_name": row.organisation_name, "industry_code": row.industry_code,
            "province_code": row.province_code, "city_code": row.city_code, "filing_number": row.filing_number,
            "filed_on": row.filed_at.date() if row.filed_at else None, "status": row.status,
            "recognised": row.recognised,
            "declared_revenue_by_year": ({year: to_yuan(fen)
                                          for year, fen in sorted(json.loads(row.revenue_fen).items())}
                                         if with_figures else None)}
