"""A product's proof materials: uploading one while the product is being prepared, listing
them, finding one to download, removing one from a draft.

Same rules as identity's documents (`platform_shared.attachments`): the type is sniffed from the
content (PDF, JPEG, PNG), the size is limited, the bytes are stored under their SHA-256; a
refused file leaves nothing. The materials of all an organisation's products are bounded by its
quota (`FILING_QUOTA_MATERIAL_FILES`, `_BYTES`), counted with the organisation's row locked.
"""

from __future__ import annotations

import uuid

from filing.domain.commands import RemoveMaterial, UploadMaterial
from filing.domain.materials import Material
from filing.domain.products import Product
from filing.service_layer.access import is_staff, own_product, visible_product
from filing.service_layer.amendment_access import editable_amendment
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.attachments import accept_upload
from platform_shared.errors import Conflict, NotFound
from platform_shared.moments import utcnow
from platform_shared.principal import Principal
from platform_shared.quotas import StorageQuota
from platform_shared.uploads import ContentStore


def _editable(product: Product, amendment_id: str | None, uow: FilingUnitOfWork) -> None:
    """A product's own materials change while it is a draft or returned; an amendment's while the
    amendment is a draft or returned (the product filed)."""
    if amendment_id is not None:
        editable_amendment(product, amendment_id, uow)
    elif not product.editable:
        raise Conflict(f"Materials change only while the product is a draft or returned; it is {product.status}.",
                       slug="product-not-editable")


def _touch(product: Product, amendment_id: str | None, uow: FilingUnitOfWork) -> None:
    """The next version of what the material belongs to: the amendment's, or the product's."""
    now = utcnow()
    if amendment_id is not None:
        amendment = editable_amendment(product, amendment_id, uow)
        amendment.touch(now)
        uow.amendments.save(amendment)
    else:
        product.touch(now)
        uow.products.save(product)


def _no_such_material() -> NotFound:
    return NotFound("No such material.", slug="material-not-found")


def handle_upload(command: UploadMaterial, uow: FilingUnitOfWork, store: ContentStore, max_bytes: int, *,
                  quota: StorageQuota) -> Material:
    with uow:
        product = own_product(command.principal, command.product_id, uow)
        _editable(product, command.amendment_id, uow)
        # Refused early when the number of files is at its quota: the bytes need not arrive.
        quota.files.ensure_room(used=uow.materials.usage(product.organisation_id).files)
    stored = accept_upload(command.content, store, max_bytes=max_bytes, uploaded_by=command.principal.account_id,
                           original_name=command.original_name)
    with uow:
        product = own_product(command.principal, command.product_id, uow)
        _editable(product, command.amendment_id, uow)  # again: it may have been submitted while the file arrived
        # Counted again with the organisation's row held: two uploads at once cannot both fit.
        uow.organisations.lock(product.organisation_id)
        quota.ensure_room(uow.materials.usage(product.organisation_id), stored.size)
        material = Material(id=str(uuid.uuid4()), product_id=product.id, kind=command.kind, file=stored,
                            amendment_id=command.amendment_id)
        uow.materials.add(material)
        _touch(product, command.amendment_id, uow)
        return material


def handle_remove(command: RemoveMaterial, uow: FilingUnitOfWork) -> None:
    with uow:
        product = own_product(command.principal, command.product_id, uow)
        _editable(product, command.amendment_id, uow)
        material = uow.materials.get(product.id, command.material_id)
        if material is None or material.amendment_id != command.amendment_id \
                or not uow.materials.remove(product.id, command.material_id):
            raise _no_such_material()
        _touch(product, command.amendment_id, uow)


def materials_of(product_id: str, principal: Principal, uow: FilingUnitOfWork) -> list[Material]:
    """The product's materials, oldest first; a list by staff is recorded in the audit log."""
    with uow:
        product = visible_product(principal, product_id, uow)
        materials = uow.materials.of_product(product.id)
        if is_staff(principal):
            uow.audit("material.list", "product", product.id, {"materials": [m.id for m in materials]})
        return materials


def material_of(product_id: str, material_id: str, principal: Principal, uow: FilingUnitOfWork) -> Material:
    """One material to download; a download by staff is recorded in the audit log."""
    with uow:
        product = visible_product(principal, product_id, uow)
        material = uow.materials.get(product.id, material_id)
        if material is None:
            raise _no_such_material()
        if is_staff(principal):
            uow.audit("material.read", "material", material.id,
                      {"product_id": product_id, "kind": material.kind, "sha256": material.file.sha256})
        return material
