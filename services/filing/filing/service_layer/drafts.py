"""Preparing a product: creating a draft, changing it while it is a draft or returned, and
finding the products a caller may see."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import peewee

from filing.adapters.orm import Product
from filing.domain.lifecycle import EDITABLE
from filing.domain.product_identity import model_key
from filing.service_layer.access import filing_organisation, is_staff, own_product
from filing.service_layer.claims import check_unique
from filing.service_layer.declarations import apply_declaration, replace_lists
from platform_shared.auth.tokens import Principal
from platform_shared.database import is_postgres
from platform_shared.moments import utcnow
from platform_shared.unit_of_work import UnitOfWork
from platform_shared.web.problems import Problem


def create_draft(declaration: Mapping[str, Any], principal: Principal, uow: UnitOfWork) -> Product:
    """A new draft of the caller's organisation (which must be verified); 409 if the same product
    (brand and model) is already the organisation's or filed by anyone."""
    with uow:
        return _insert_draft(declaration, principal)


def insert_draft(declaration: Mapping[str, Any], principal: Principal) -> Product:
    """Within the caller's transaction (bulk filing writes many)."""
    return _insert_draft(declaration, principal)


def _insert_draft(declaration: Mapping[str, Any], principal: Principal) -> Product:
    organisation = filing_organisation(principal)
    now = utcnow()
    product = Product(id=str(uuid.uuid4()), organisation_id=organisation.organisation_id, status="draft",
                      version=1, created_by=principal.account_id, created_at=now, updated_at=now,
                      description="", variants="[]")
    apply_declaration(product, declaration, now)
    check_unique(model_key(product.brand, product.model), organisation.organisation_id)
    product.save(force_insert=True)
    replace_lists(product, declaration, now)
    return product


def change_draft(product_id: str, changes: Mapping[str, Any], principal: Principal, uow: UnitOfWork) -> Product:
    """Apply `changes` to a draft or returned product of the caller's organisation."""
    with uow:
        product = own_product(principal, product_id)
        if product.status not in EDITABLE:
            raise Problem(409, f"Only a draft or a returned product can be changed; this product is {product.status}.",
                          slug="product-not-editable")
        version = product.version
        now = utcnow()
        apply_declaration(product, changes, now)
        check_unique(product.model_key, product.organisation_id, product.id)
        product.version = version + 1
        updated = (Product.update(**{f.name: getattr(product, f.name) for f in _CHANGEABLE})
                   .where((Product.id == product.id) & (Product.version == version)).execute())
        if updated != 1:
            raise Problem(409, "The product was changed meanwhile; read it again and retry.", slug="edit-conflict")
        replace_lists(product, changes, now)
        return product


_CHANGEABLE = (Product.name, Product.brand, Product.model, Product.model_key, Product.industry_code,
               Product.description, Product.launched_on, Product.variants, Product.version, Product.updated_at)


def products_for(principal: Principal, query: Mapping[str, Any]) -> peewee.ModelSelect:
    """The products the caller may list (its organisation's, or all for staff), filtered."""
    selection = Product.select()
    if not is_staff(principal):
        selection = selection.where(Product.organisation_id == (principal.organisation_id or ""))
    elif query.get("organisation_id"):
        selection = selection.where(Product.organisation_id == query["organisation_id"])
    if query.get("status"):
        selection = selection.where(Product.status == query["status"])
    if query.get("industry_code"):
        selection = selection.where(Product.industry_code == query["industry_code"])
    if query.get("q"):
        text = query["q"].strip().lower()
        selection = selection.where(_contains(Product.name, text) | _contains(Product.brand, text)
                                    | _contains(Product.model, text) | (Product.filing_number == query["q"].strip()))
    return selection


def _contains(field: peewee.Field, text: str) -> peewee.Expression:
    """Case-insensitive substring test with the text as plain characters (no LIKE wildcards)."""
    position = peewee.fn.strpos if is_postgres(Product._meta.database) else peewee.fn.instr
    return position(peewee.fn.lower(field), text) > 0


def delete_draft(product_id: str, principal: Principal, uow: UnitOfWork) -> None:
    """Delete a draft that was never submitted (its history is nobody else's yet)."""
    with uow:
        product = own_product(principal, product_id)
        if product.status != "draft" or product.submissions:
            raise Problem(409, "Only a draft that was never submitted can be deleted; "
                          f"this product is {product.status} and was submitted {product.submissions} time(s).",
                          slug="product-not-deletable")
        product.delete_instance(recursive=True)
