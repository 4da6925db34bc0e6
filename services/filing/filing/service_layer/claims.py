"""One product, one filing, platform-wide: checking and taking a claim on a brand and model.

Drafts claim nothing (anyone may prepare one); a product takes its claim when submitted and
holds it while under review or on record. The claim table's primary key is the last word: of
two concurrent submissions of the same product, the database lets exactly one insert through.
What a conflicting organisation is told never reveals who holds the claim.
"""

from __future__ import annotations

import datetime as dt

import peewee

from filing.adapters.orm import ModelClaim, Product
from filing.domain.lifecycle import FINAL
from platform_shared.web.problems import Problem


def taken_elsewhere() -> Problem:
    return Problem(409, "This product (brand and model) is already filed or under review on the platform.",
                   slug="product-already-filed", errors={"model": ["already filed or under review"]})


def already_yours(existing: Product) -> Problem:
    return Problem(409, f"Your organisation already has this product (brand and model): {existing.id} "
                   f"({existing.status}). Edit that one instead.", slug="product-exists",
                   errors={"model": [f"your organisation's product {existing.id} has this brand and model"]},
                   existing=f"/api/v1/filing/products/{existing.id}")


def check_unique(key: str, organisation_id: str, product_id: str | None = None) -> None:
    """409 if the organisation has another live product of this brand and model, or another
    organisation holds the claim on it."""
    mine = (Product.select().where((Product.organisation_id == organisation_id) & (Product.model_key == key)
                                   & Product.status.not_in(sorted(FINAL)))
            .order_by(Product.created_at))
    if product_id:
        mine = mine.where(Product.id != product_id)
    existing = mine.first()
    if existing is not None:
        raise already_yours(existing)
    claim = ModelClaim.get_or_none(ModelClaim.model_key == key)
    if claim is not None and claim.product_id != product_id:
        raise taken_elsewhere()


def take_claim(product: Product, now: dt.datetime) -> None:
    """Claim the product's brand and model for it (moving its own earlier claim, if it had one)."""
    ModelClaim.delete().where((ModelClaim.product_id == product.id) & (ModelClaim.model_key != product.model_key)) \
        .execute()
    if ModelClaim.select().where((ModelClaim.model_key == product.model_key)
                                 & (ModelClaim.product_id == product.id)).exists():
        return
    try:
        with product._meta.database.atomic():  # a savepoint: the failed insert leaves the transaction usable
            ModelClaim.insert(model_key=product.model_key, product_id=product.id,
                              organisation_id=product.organisation_id, claimed_at=now).execute()
    except peewee.IntegrityError:
        holder = ModelClaim.get_or_none(ModelClaim.model_key == product.model_key)
        if holder is not None and holder.organisation_id == product.organisation_id:
            raise already_yours(Product.get_by_id(holder.product_id)) from None
        raise taken_elsewhere() from None


def release_claim(product: Product) -> None:
    ModelClaim.delete().where(ModelClaim.product_id == product.id).execute()
