"""review's own view of filed products, kept only from filing's events (review never asks
filing): the declaration as filed (patents, figures per year), the annual updates, the
recognition opt-ins, cancellation, revocation and recognitions applied; and the products as a
round's evaluation reads them.

Identity and status, each year's figures and each year's opt-in are overwritten only by an
event of a newer `aggregate_version` (`domain.filed_products`): a late older event changes
nothing, and a repeated one neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from platform_shared.events.envelope import Envelope
from platform_shared.figures import YearFigures
from platform_shared.moments import naive_utc
from review.domain.filed_products import FiledProduct, newer
from review.domain.indicators import ProductPatent
from review.domain.recognition import FiledProductFacts
from review.service_layer.unit_of_work import ReviewUnitOfWork


def on_product_filed(event: Envelope, uow: ReviewUnitOfWork) -> None:
    data = event.data
    product, new = _heard(event, uow, "filed")
    product.filed((ProductPatent(p["number"], p["kind"], p["relation"]) for p in data.get("patents") or []),
                  data["filing_number"], naive_utc(data["filed_at"]))
    _keep(product, new, uow)
    for figures in data.get("economic_data") or []:
        _keep_year(product.product_id, figures, event.aggregate_version, uow)


def on_product_amended(event: Envelope, uow: ReviewUnitOfWork) -> None:
    """An approved amendment: its patents are the product's (for the next evaluations)."""
    data = event.data
    product, new = _heard(event, uow, None)
    product.amended((ProductPatent(p["number"], p["kind"], p["relation"]) for p in data.get("patents") or []),
                    data["edition"])
    _keep(product, new, uow)


def on_annual_data_updated(event: Envelope, uow: ReviewUnitOfWork) -> None:
    product = _saved(event, uow, None)
    _keep_year(product.product_id, event.data["data"], event.aggregate_version, uow)


def on_recognition_opted_in(event: Envelope, uow: ReviewUnitOfWork) -> None:
    data = event.data
    product = _saved(event, uow, None)
    known = uow.filed_products.opt_in_version(product.product_id, data["year"])
    if newer(event.aggregate_version, known):
        uow.filed_products.keep_opt_in(product.product_id, data["year"], data["opt_in"], event.aggregate_version)


def on_product_closed(event: Envelope, uow: ReviewUnitOfWork) -> None:
    """Cancelled by its owner or revoked by an operator: no longer eligible."""
    _saved(event, uow, event.type.rsplit(".", 1)[1])


def on_product_recognised(event: Envelope, uow: ReviewUnitOfWork) -> None:
    product = _saved(event, uow, "recognised")
    uow.filed_products.add_recognition(product.product_id, event.data["year"], event.data["round_id"])


def _heard(event: Envelope, uow: ReviewUnitOfWork, status: str | None) -> tuple[FiledProduct, bool]:
    """The product with what the event says applied (unless it is old news), and whether it is new."""
    product = uow.filed_products.get(event.data["product_id"])
    if product is None:
        return FiledProduct.first_heard(event.data, event.aggregate_version, status), True
    product.heard(event.data, event.aggregate_version, status)
    return product, False


def _keep(product: FiledProduct, new: bool, uow: ReviewUnitOfWork) -> None:
    if new:
        uow.filed_products.add(product)
    else:
        uow.filed_products.save(product)


def _saved(event: Envelope, uow: ReviewUnitOfWork, status: str | None) -> FiledProduct:
    product, new = _heard(event, uow, status)
    _keep(product, new, uow)
    return product


def _keep_year(product_id: str, figures: Mapping[str, Any], version: int, uow: ReviewUnitOfWork) -> None:
    if newer(version, uow.filed_products.year_version(product_id, figures["year"])):
        uow.filed_products.keep_year(product_id, YearFigures.from_yuan(figures), version)


# --- what an evaluation reads -------------------------------------------------------------------

def facts_of(products: Iterable[FiledProduct], data_year: int, uow: ReviewUnitOfWork) -> list[FiledProductFacts]:
    """The products as the evaluation sees them, with their data year's figures."""
    products = list(products)
    ids = [p.product_id for p in products]
    figures = uow.filed_products.figures_of(ids, data_year)
    recognised = uow.filed_products.recognised_years(ids)
    return [p.facts(figures.get(p.product_id), recognised.get(p.product_id, ())) for p in products]
