"""Preparing a product: creating a draft, changing it while it is a draft or returned, and
deleting a draft that was never submitted. An organisation has at most its quota of drafts
(`FILING_QUOTA_DRAFTS`), counted with its row locked."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from filing.domain.commands import ChangeDraft, CreateDraft, DeleteDraft
from filing.domain.organisations import Organisation
from filing.domain.products import Product
from filing.service_layer.access import filing_organisation, own_product
from filing.service_layer.claims import check_unique
from filing.service_layer.declarations import replace_lists
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.errors import Conflict
from platform_shared.moments import utcnow
from platform_shared.principal import Principal
from platform_shared.quotas import Quota


def handle_create(command: CreateDraft, uow: FilingUnitOfWork, *, quota: Quota) -> Product:
    """A new draft of the caller's organisation (which must be verified); `Conflict` if the same
    product (brand and model) is already the organisation's or filed by anyone, `QuotaExceeded`
    if the organisation has as many drafts as its quota allows."""
    with uow:
        organisation = ensure_room_for_drafts(command.principal, uow, quota, 1)
        return insert_draft(command.declaration, command.principal, uow, organisation)


def ensure_room_for_drafts(principal: Principal, uow: FilingUnitOfWork, quota: Quota, adding: int) -> Organisation:
    """Within the caller's transaction: the organisation's row locked, room for `adding` drafts
    beside those it has, or `QuotaExceeded` (`Forbidden` if it may not file at all); the
    organisation, as read with its lock."""
    organisation = filing_organisation(principal, uow, lock=True)
    quota.ensure_room(used=uow.products.drafts_of(organisation.organisation_id), adding=adding)
    return organisation


def insert_draft(declaration: Mapping[str, Any], principal: Principal, uow: FilingUnitOfWork,
                 organisation: Organisation) -> Product:
    """Within the caller's transaction (bulk filing writes many), after `ensure_room_for_drafts`
    (which gave `organisation`)."""
    now = utcnow()
    product = Product(id=str(uuid.uuid4()), organisation_id=organisation.organisation_id, name="", brand="",
                      model="", industry_code="", status="draft", version=1, created_by=principal.account_id,
                      created_at=now, updated_at=now)
    product.declare(declaration, now)
    check_unique(uow, product.model_key, organisation.organisation_id)
    uow.products.add(product)
    replace_lists(uow, product, declaration, now, new=True)
    return product


def handle_change(command: ChangeDraft, uow: FilingUnitOfWork) -> Product:
    """Apply the changes to a draft or returned product of the caller's organisation."""
    with uow:
        product = own_product(command.principal, command.product_id, uow)
        if not product.editable:
            raise Conflict(f"Only a draft or a returned product can be changed; this product is {product.status}.",
                           slug="product-not-editable")
        seen_version = product.version
        now = utcnow()
        product.declare(command.changes, now)
        check_unique(uow, product.model_key, product.organisation_id, product.id)
        product.version = seen_version + 1
        if not uow.products.save_if_unchanged(product, seen_version):
            raise Conflict("The product was changed meanwhile; read it again and retry.", slug="edit-conflict")
        replace_lists(uow, product, command.changes, now)
        return product


def handle_delete(command: DeleteDraft, uow: FilingUnitOfWork) -> None:
    """Delete a draft that was never submitted (its history is nobody else's yet)."""
    with uow:
        product = own_product(command.principal, command.product_id, uow)
        if product.status != "draft" or product.submissions:
            raise Conflict("Only a draft that was never submitted can be deleted; "
                           f"this product is {product.status} and was submitted {product.submissions} time(s).",
                           slug="product-not-deletable")
        uow.products.remove(product.id)
