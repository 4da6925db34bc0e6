"""review's own view of filed products, kept only from filing's events (review never asks
filing): the declaration as filed (patents, figures per year), the annual updates, the
recognition opt-ins, cancellation, revocation and recognitions applied.

Events of one product may arrive out of order (competing consumers, redeliveries). Each
event carries the product's `aggregate_version`: identity and status, each year's figures and
each year's opt-in are overwritten only by a newer version, so a late older event changes
nothing and a repeated one neither. The declaration as filed is written once: a product is
filed only once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import peewee

from platform_shared.events.envelope import Envelope
from platform_shared.moments import naive_utc
from platform_shared.money import to_fen
from platform_shared.unit_of_work import UnitOfWork
from review.adapters.recognition_tables import (
    FiledProduct,
    FiledProductOptIn,
    FiledProductRecognition,
    FiledProductYear,
)
from review.domain.indicators import FIGURES, ProductPatent
from review.domain.recognition import ON_RECORD, FiledProductFacts

IDENTITY = ("organisation_id", "organisation_name", "name", "brand", "model", "industry_code")
MONEY = ("sales_revenue", "export_revenue", "profit", "ip_investment")


def on_product_filed(event: Envelope, uow: UnitOfWork) -> None:
    data = event.data
    product, new = _product(event, "filed")
    if product.patents is None:
        product.patents = json.dumps([{"number": p["number"], "kind": p["kind"], "relation": p["relation"]}
                                      for p in data.get("patents") or []], ensure_ascii=False)
    product.filing_number = product.filing_number or data["filing_number"]
    product.filed_at = product.filed_at or naive_utc(data["filed_at"])
    product.save(force_insert=new)
    for figures in data.get("economic_data") or []:
        _keep_year(product.product_id, figures, event.aggregate_version)


def on_annual_data_updated(event: Envelope, uow: UnitOfWork) -> None:
    product = _saved(event, None)
    _keep_year(product.product_id, event.data["data"], event.aggregate_version)


def on_recognition_opted_in(event: Envelope, uow: UnitOfWork) -> None:
    data = event.data
    product = _saved(event, None)
    row = FiledProductOptIn.get_or_none((FiledProductOptIn.product_id == product.product_id)
                                        & (FiledProductOptIn.year == data["year"]))
    if row is not None and row.aggregate_version >= event.aggregate_version:
        return  # a newer choice for that year is known already
    FiledProductOptIn.insert(product_id=product.product_id, year=data["year"], opt_in=data["opt_in"],
                             aggregate_version=event.aggregate_version).on_conflict(
        conflict_target=[FiledProductOptIn.product_id, FiledProductOptIn.year],
        update={FiledProductOptIn.opt_in: data["opt_in"],
                FiledProductOptIn.aggregate_version: event.aggregate_version}).execute()


def on_product_closed(event: Envelope, uow: UnitOfWork) -> None:
    """Cancelled by its owner or revoked by an operator: no longer eligible."""
    _saved(event, event.type.rsplit(".", 1)[1])


def on_product_recognised(event: Envelope, uow: UnitOfWork) -> None:
    product = _saved(event, "recognised")
    FiledProductRecognition.insert(product_id=product.product_id, year=event.data["year"],
                                   round_id=event.data["round_id"]).on_conflict_ignore().execute()


HANDLERS = {
    "filing.product.filed": on_product_filed,
    "filing.product.annual_data_updated": on_annual_data_updated,
    "filing.product.recognition_opted_in": on_recognition_opted_in,
    "filing.product.cancelled": on_product_closed,
    "filing.product.revoked": on_product_closed,
    "filing.product.recognised": on_product_recognised,
}
EVENT_TYPES = list(HANDLERS)


def _saved(event: Envelope, status: str | None) -> FiledProduct:
    product, new = _product(event, status)
    product.save(force_insert=new)
    return product


def _product(event: Envelope, status: str | None) -> tuple[FiledProduct, bool]:
    """The product's row with the event's identity (and status) applied if the event is newer,
    and whether it is new; the caller saves it. A product first heard of by an event after
    `filed` (out of order) is on record already."""
    data = event.data
    product = FiledProduct.get_or_none(FiledProduct.product_id == data["product_id"])
    new = product is None
    if new:
        product = FiledProduct(product_id=data["product_id"], status=status or "filed",
                               aggregate_version=event.aggregate_version)
    elif event.aggregate_version <= product.aggregate_version:
        return product, False  # what it says of identity and status is old news
    for name in IDENTITY:
        setattr(product, name, data[name])
    product.province_code = data.get("province_code") or None
    if status is not None:
        product.status = status
    product.aggregate_version = event.aggregate_version
    if data.get("filing_number") and not product.filing_number:
        product.filing_number = data["filing_number"]
    return product, new


def _keep_year(product_id: str, figures: Mapping[str, Any], version: int) -> None:
    row = FiledProductYear.get_or_none((FiledProductYear.product_id == product_id)
                                       & (FiledProductYear.year == figures["year"]))
    if row is not None and row.aggregate_version >= version:
        return
    values = {"sales_revenue_fen": to_fen(figures["sales_revenue"]), "sales_volume": figures["sales_volume"],
              "export_revenue_fen": to_fen(figures.get("export_revenue")), "profit_fen": to_fen(figures.get("profit")),
              "ip_investment_fen": to_fen(figures.get("ip_investment")), "aggregate_version": version}
    FiledProductYear.insert(product_id=product_id, year=figures["year"], **values).on_conflict(
        conflict_target=[FiledProductYear.product_id, FiledProductYear.year],
        update={getattr(FiledProductYear, k): v for k, v in values.items()}).execute()


# --- what the evaluation reads ------------------------------------------------------------------

def opted_in(year: int, industry_codes: Iterable[str]) -> list[FiledProduct]:
    """The products of these fields whose newest choice is to take part in `year`'s recognition."""
    return list(FiledProduct.select().join(FiledProductOptIn, on=(
        FiledProductOptIn.product_id == FiledProduct.product_id)).where(
        (FiledProductOptIn.year == year) & FiledProductOptIn.opt_in
        & FiledProduct.industry_code.in_(list(industry_codes))).order_by(FiledProduct.product_id))


def on_record(industry_codes: Iterable[str]) -> list[FiledProduct]:
    """Every product on record in these fields: the population of derived benchmarks."""
    return list(FiledProduct.select().where(FiledProduct.industry_code.in_(list(industry_codes))
                                            & FiledProduct.status.in_(sorted(ON_RECORD)))
                .order_by(FiledProduct.product_id))


def facts_of(products: list[FiledProduct], data_year: int) -> list[FiledProductFacts]:
    """The products as the evaluation sees them, with their data year's figures."""
    ids = [p.product_id for p in products]
    years: dict[str, FiledProductYear] = {}
    recognised: dict[str, set[int]] = {}
    for chunk in peewee.chunked(ids, 500):
        for row in FiledProductYear.select().where(FiledProductYear.product_id.in_(chunk)
                                                   & (FiledProductYear.year == data_year)):
            years[row.product_id] = row
        for row in FiledProductRecognition.select().where(FiledProductRecognition.product_id.in_(chunk)):
            recognised.setdefault(row.product_id, set()).add(row.year)
    return [FiledProductFacts(
        product_id=p.product_id, industry_code=p.industry_code, status=p.status,
        filed_on=p.filed_at.date() if p.filed_at else None, figures=_figures(years.get(p.product_id)),
        patents=tuple(ProductPatent(x["number"], x["kind"], x["relation"]) for x in json.loads(p.patents or "[]")),
        recognised_years=frozenset(recognised.get(p.product_id, ()))) for p in products]


def _figures(row: FiledProductYear | None) -> dict[str, Decimal | None] | None:
    if row is None:
        return None
    figures = {name: _yuan(getattr(row, f"{name}_fen")) for name in MONEY}
    figures["sales_volume"] = Decimal(row.sales_volume)
    return {name: figures[name] for name in FIGURES}


def _yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else Decimal(fen).scaleb(-2)
