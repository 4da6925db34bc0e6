"""A product's declaration in and out: writing the lists a validated declaration gives (years'
figures, patents) and the product as filing's events say it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from filing.domain.materials import Material
from filing.domain.organisations import Organisation
from filing.domain.products import PatentDeclaration, Product
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.figures import YearFigures


def replace_lists(uow: FilingUnitOfWork, product: Product, declaration: Mapping[str, Any],
                  now: dt.datetime, *, new: bool = False) -> None:
    """Write the economic data and patents the declaration gives (after the product exists;
    `new`: it was inserted in this transaction, so it has none to replace)."""
    if "economic_data" in declaration:
        uow.figures.replace(product.id, [YearFigures.from_yuan(year) for year in declaration["economic_data"]], now,
                            fresh=new)
    if "patents" in declaration:
        uow.patents.replace(product.id, [PatentDeclaration.of(p) for p in declaration["patents"]], fresh=new)


def economic_data_of(uow: FilingUnitOfWork, product: Product) -> list[dict[str, Any]]:
    return [figures.as_yuan() for figures in uow.figures.of_product(product.id)]


def patents_of(uow: FilingUnitOfWork, product: Product) -> list[dict[str, Any]]:
    return [patent.as_dict() for patent in uow.patents.of_product(product.id)]


def organisation_of(uow: FilingUnitOfWork, product: Product) -> Organisation | None:
    return uow.organisations.get(product.organisation_id)


def identity_of(product: Product, organisation: Organisation | None) -> dict[str, Any]:
    """Who and what the product is, as every filing event says it."""
    return {"product_id": product.id, "organisation_id": product.organisation_id,
            "organisation_name": organisation.name if organisation else "",
            "province_code": product.province_code or (organisation.province_code if organisation else None),
            "name": product.name, "brand": product.brand, "model": product.model,
            "industry_code": product.industry_code}


def declared_lists(variants: Sequence[str], patents: Sequence[PatentDeclaration],
                   materials: Sequence[Material]) -> dict[str, Any]:
    """Variants, patents (whether one is disputed is not told) and materials as the events say them."""
    return {"variants": list(variants),
            "patents": [{k: v for k, v in p.as_dict().items() if k != "dispute"} for p in patents],
            "materials": [{"id": m.id, "kind": m.kind, "media_type": m.file.media_type, "sha256": m.file.sha256,
                           "size": m.file.size, "url": m.url} for m in materials]}


def declaration_of(uow: FilingUnitOfWork, product: Product, organisation: Organisation | None,
                   figures: Sequence[YearFigures] | None = None) -> dict[str, Any]:
    """The whole declaration, as `submitted`, `filed` and `amended` carry it (with the product's
    `figures`, when the caller read them already in this transaction)."""
    if figures is None:
        figures = uow.figures.of_product(product.id)
    return {
        **identity_of(product, organisation),
        "description": product.description,
        "launched_on": product.launched_on.isoformat() if product.launched_on else None,
        "economic_data": [year.as_yuan() for year in figures],
        **declared_lists(product.variants, uow.patents.of_product(product.id), uow.materials.of_product(product.id)),
    }


def utc_stamp(moment: dt.datetime) -> str:
    """A naive UTC moment as the events say it."""
    return moment.replace(tzinfo=dt.UTC).isoformat()
