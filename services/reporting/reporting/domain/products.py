"""How filing's events move a product's row in reporting's view, as plain rules.

A product's row holds what reporting may count (its facts): its status, field, province (and
the organisation's city and kind as they were when the product was first seen), the month it
was filed, whether it was ever recognised, its patents by kind, its declared revenue by year,
and each year's economic figures as declared (revenue, volume, exports, profit, IP investment:
the product export shows them, `domain.product_list` says to whom); and what the product list
shows besides (names, filing number, date of filing).
Events may come twice or out of order: a change applies only if its `aggregate_version` is
newer than the row's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from platform_shared.figures import YearFigures
from platform_shared.moments import naive_utc
from platform_shared.money import to_fen
from reporting.domain.counters import Contribution
from reporting.domain.organisations import Organisation

STATUS_AFTER = {
    "filing.product.submitted": "submitted",
    "filing.product.withdrawn": "withdrawn",
    "filing.product.returned": "returned",
    "filing.product.filed": "filed",
    "filing.product.rejected": "rejected",
    "filing.product.cancelled": "cancelled",
    "filing.product.revoked": "revoked",
    "filing.product.recognised": "recognised",
}
# A filing suspended (its patents lost past the grace period) stays on record, counted apart.
SUSPENSION_EVENTS = ("filing.product.suspended", "filing.product.patent_problems_cleared")
# An approved amendment (变更) replaces the declared patents: the patents counted follow it.
AMENDMENT_EVENTS = ("filing.product.amended",)
PRODUCT_EVENTS = (*STATUS_AFTER, "filing.product.annual_data_updated", *SUSPENSION_EVENTS, *AMENDMENT_EVENTS)
# Statuses of a product on record, the ones "filed products" counts.
ON_RECORD = frozenset({"filed", "recognised"})
PATENT_KINDS = ("invention", "utility_model", "design")


@dataclass(frozen=True)
class ProductFacts:
    """What reporting counts of a product."""

    product_id: str
    province_code: str
    status: str
    industry_code: str
    organisation_kind: str | None = None
    city_code: str | None = None
    filed_month: str | None = None  # YYYY-MM
    recognised: bool = False
    patents: dict[str, int] = field(default_factory=dict)
    revenue_fen: dict[int, int] = field(default_factory=dict)  # declared sales revenue by year
    # Each year's figures as declared; counted nowhere (the counters take `revenue_fen`), shown
    # product by product only where `domain.product_list` allows.
    figures: dict[int, YearFigures] = field(default_factory=dict)
    # On record but suspended (filing.product.suspended until a patent holds again).
    suspended: bool = False


@dataclass(frozen=True)
class Product:
    """What reporting knows of a product (one row of its view): its facts, and what the product
    list shows of it besides."""

    facts: ProductFacts
    organisation_id: str
    organisation_name: str
    name: str
    brand: str
    model: str
    aggregate_version: int
    filing_number: str | None = None
    filed_at: dt.datetime | None = None

    @property
    def product_id(self) -> str:
        return self.facts.product_id


def apply_event(held: ProductFacts | None, event_type: str, data: Mapping[str, Any], occurred_month: str,
                organisation_kind: str | None, city_code: str | None) -> ProductFacts:
    """The product's facts after `event_type` (the caller checked the version is newer)."""
    # Only a product on record gets an annual update: "filed" if that is the first we hear of it.
    status = STATUS_AFTER.get(event_type, held.status if held else "filed")
    facts = held or ProductFacts(product_id=data["product_id"], province_code=data["province_code"], status=status,
                                 industry_code=data["industry_code"], organisation_kind=organisation_kind,
                                 city_code=city_code)
    facts = replace(facts, status=status, industry_code=data.get("industry_code", facts.industry_code),
                    province_code=data.get("province_code") or facts.province_code,
                    recognised=facts.recognised or status == "recognised")
    if "patents" in data:
        counts = dict.fromkeys(PATENT_KINDS, 0)
        for patent in data["patents"]:
            counts[patent["kind"]] = counts.get(patent["kind"], 0) + 1
        facts = replace(facts, patents=counts)
    if "economic_data" in data:
        facts = replace(facts, revenue_fen={y["year"]: _fen(y["sales_revenue"]) for y in data["economic_data"]})
    if event_type == "filing.product.annual_data_updated":
        year = data["data"]
        facts = replace(facts, revenue_fen={**facts.revenue_fen, year["year"]: _fen(year["sales_revenue"])})
    facts = replace(facts, figures=figures_after(facts.figures, event_type, data),
                    suspended=_suspended_after(facts.suspended, event_type, data) and status in ON_RECORD)
    if status == "filed" and facts.filed_month is None:
        facts = replace(facts, filed_month=(data.get("filed_at") or "")[:7] or occurred_month)
    return facts


def _suspended_after(suspended: bool, event_type: str, data: Mapping[str, Any]) -> bool:
    if event_type == "filing.product.suspended":
        return True
    if event_type == "filing.product.patent_problems_cleared" and data.get("suspension_lifted"):
        return False
    return suspended


def figures_after(figures: Mapping[int, YearFigures], event_type: str,
                  data: Mapping[str, Any]) -> dict[int, YearFigures]:
    """A product's figures by year after an event: a declaration (submitted, filed) gives them
    all, an annual update one year; any other event leaves them."""
    if "economic_data" in data:
        return {int(y["year"]): YearFigures.from_yuan(y) for y in data["economic_data"]}
    if event_type == "filing.product.annual_data_updated":
        year = YearFigures.from_yuan(data["data"])
        return {**figures, year.year: year}
    return dict(figures)


def _fen(amount: str) -> int:
    fen = to_fen(amount)
    if fen is None:
        raise ValueError("a declared sales revenue is always given")
    return fen


def product_after(held: Product | None, event_type: str, data: Mapping[str, Any], *, version: int,
                  occurred_at: dt.datetime, organisation: Organisation | None) -> Product:
    """The product after an event of filing (the caller checked the version is newer, with
    `organisations.is_newer`). A product first seen takes its organisation's kind and city from
    the organisation's row (`organisation`, if reporting knows it yet)."""
    facts = apply_event(held.facts if held else None, event_type, data, naive_utc(occurred_at).strftime("%Y-%m"),
                        organisation.kind if organisation else None,
                        organisation.city_code if organisation else None)
    return Product(
        facts=facts, organisation_id=held.organisation_id if held else data["organisation_id"],
        organisation_name=data.get("organisation_name") or (held.organisation_name if held else ""),
        name=data["name"], brand=data["brand"], model=data["model"], aggregate_version=version,
        filing_number=data.get("filing_number") or (held.filing_number if held else None),
        filed_at=naive_utc(data["filed_at"]) if data.get("filed_at") else (held.filed_at if held else None))


def contributions(facts: ProductFacts | None) -> Contribution:
    """What one product adds to its province's counters: (province, dimension, key) → amount.

    Every product counts by status; a product on record also by field, kind of organisation,
    city, patents and declared revenue, and apart if its filing is suspended; a product ever
    filed counts in its month of filing, and one ever recognised as recognised.
    """
    if facts is None:
        return {}
    province = facts.province_code
    added: Contribution = {(province, "product_status", facts.status): 1}
    if facts.recognised:
        added[(province, "product_recognised", "ever")] = 1
    if facts.filed_month:  # a filing made that month stays one, whatever happens to the product later
        added[(province, "filed_month", facts.filed_month)] = 1
    if facts.status in ON_RECORD:
        if facts.suspended:
            added[(province, "filed_suspended", "all")] = 1
        added[(province, "filed_industry", facts.industry_code)] = 1
        added[(province, "filed_org_kind", facts.organisation_kind or "unknown")] = 1
        added[(province, "filed_city", facts.city_code or "unknown")] = 1
        for kind, count in facts.patents.items():
            if count:
                added[(province, "filed_patents", kind)] = count
        for year, fen in facts.revenue_fen.items():
            added[(province, "filed_revenue_fen", str(year))] = fen
    return added
