"""A product's proof materials: uploading one while the product is being prepared, listing
them, finding one to download, removing one from a draft.

Same rules as identity's documents: the type is sniffed from the content (PDF, JPEG, PNG),
the size is limited, the bytes are stored under their SHA-256; a refused file leaves nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import BinaryIO

from filing.adapters.orm import Material, Product
from filing.domain.lifecycle import EDITABLE
from filing.service_layer.access import own_product, visible_product
from platform_shared.auth.tokens import Principal
from platform_shared.moments import utcnow
from platform_shared.unit_of_work import UnitOfWork
from platform_shared.uploads import ContentStore, UploadRefused, plain_file_name, receive
from platform_shared.web.problems import Problem

MATERIAL_KINDS = {
    "patent_certificate": "专利证书",
    "license_contract": "专利实施许可合同及备案证明",
    "sales_proof": "销售证明（合同、发票等）",
    "product_photo": "产品照片",
    "test_report": "检测报告",
    "other": "其他证明材料",
}


@dataclass(frozen=True)
class UploadMaterial:
    product_id: str
    kind: str
    content: BinaryIO
    original_name: str | None


def _editable(product: Product) -> None:
    if product.status not in EDITABLE:
        raise Problem(409, f"Materials change only while the product is a draft or returned; it is {product.status}.",
                      slug="product-not-editable")


def upload_material(command: UploadMaterial, principal: Principal, uow: UnitOfWork, store: ContentStore,
                    max_bytes: int) -> Material:
    product = own_product(principal, command.product_id)
    _editable(product)
    try:
        stored = receive(command.content, store, max_bytes=max_bytes)
    except UploadRefused as refused:
        raise refused.under("file") from None
    with uow:
        product = own_product(principal, command.product_id)
        _editable(product)  # again: it may have been submitted while the file arrived
        now = utcnow()
        Product.update(version=Product.version + 1, updated_at=now).where(Product.id == product.id).execute()
        return Material.create(id=str(uuid.uuid4()), product=product.id, kind=command.kind, sha256=stored.sha256,
                               media_type=stored.media_type, size=stored.size,
                               original_name=plain_file_name(command.original_name),
                               uploaded_by=principal.account_id, uploaded_at=now)


def material_of(principal: Principal, product_id: str, material_id: str) -> Material:
    product = visible_product(principal, product_id)
    material = Material.get_or_none((Material.id == material_id) & (Material.product == product.id))
    if material is None:
        raise Problem(404, "No such material.", slug="material-not-found")
    return material


def remove_material(principal: Principal, product_id: str, material_id: str, uow: UnitOfWork) -> None:
    with uow:
        product = own_product(principal, product_id)
        _editable(product)
        deleted = Material.delete().where((Material.id == material_id) & (Material.product == product.id)).execute()
        if not deleted:
            raise Problem(404, "No such material.", slug="material-not-found")
        Product.update(version=Product.version + 1, updated_at=utcnow()).where(Product.id == product.id).execute()
