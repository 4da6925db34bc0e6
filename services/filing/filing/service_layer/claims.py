"""One product, one filing, platform-wide: checking and taking a claim on a brand and model.

Drafts claim nothing (anyone may prepare one); a product takes its claim when submitted and
holds it while under review or on record. The claim's unique key is the last word: of two
concurrent submissions of the same product, the store lets exactly one claim through.
What a conflicting organisation is told never reveals who holds the claim.
"""

from __future__ import annotations

import datetime as dt

from filing.domain.products import ModelClaim, Product
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.errors import Conflict


def taken_elsewhere() -> Conflict:
    return Conflict("This product (brand and model) is already filed or under review on the platform.",
                    slug="product-already-filed", errors={"model": ["already filed or under review"]})


def already_yours(existing: Product) -> Conflict:
    return Conflict(f"Your organisation already has this product (brand and model): {existing.id} "
                    f"({existing.status}). Edit that one instead.", slug="product-exists",
                    errors={"model": [f"your organisation's product {existing.id} has this brand and model"]},
                    existing=f"/api/v1/filing/products/{existing.id}")


def check_unique(uow: FilingUnitOfWork, key: str, organisation_id: str, product_id: str | None = None) -> None:
    """`Conflict` if the organisation has another live product of this brand and model, or
    another organisation holds the claim on it."""
    existing = uow.products.live_with_key(organisation_id, key, other_than=product_id)
    if existing is not None:
        raise already_yours(existing)
    claim = uow.claims.get(key)
    if claim is not None and claim.product_id != product_id:
        raise taken_elsewhere()


def take_claim(uow: FilingUnitOfWork, product: Product, now: dt.datetime) -> None:
    """Claim the product's brand and model for it (moving its own earlier claim, if it had one).

    The claim is taken if free, in one statement (no savepoint, no read first); only when it is
    not is the holder read, to say who has it."""
    if product.submissions:  # never submitted: it never held a claim to move
        uow.claims.release(product.id, keeping=product.model_key)
    if uow.claims.add_if_free(ModelClaim(model_key=product.model_key, product_id=product.id,
                                         organisation_id=product.organisation_id, claimed_at=now)):
        return
    holder = uow.claims.get(product.model_key)
    if holder is not None and holder.product_id == product.id:
        return  # it held the claim already (a resubmission)
    if holder is not None and holder.organisation_id == product.organisation_id:
        mine = uow.products.get(holder.product_id)
        if mine is not None:
            raise already_yours(mine)
    raise taken_elsewhere()


def release_claim(uow: FilingUnitOfWork, product: Product) -> None:
    uow.claims.release(product.id)
