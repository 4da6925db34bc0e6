"""Which amendment of a product a caller means: one of the product's (404 otherwise, as for a
product), and for a change one that is a draft or returned (409 otherwise)."""

from __future__ import annotations

from filing.domain.amendments import Amendment
from filing.domain.products import Product
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.errors import NotFound


def amendment_of_product(product: Product, amendment_id: str, uow: FilingUnitOfWork) -> Amendment:
    amendment = uow.amendments.get(amendment_id)
    if amendment is None or amendment.product_id != product.id:
        raise NotFound("No such amendment of this product.", slug="amendment-not-found")
    return amendment


def editable_amendment(product: Product, amendment_id: str, uow: FilingUnitOfWork) -> Amendment:
    amendment = amendment_of_product(product, amendment_id, uow)
    amendment.ensure_editable()
    return amendment
