"""A product's proof materials, handled with filing's unit of work in memory: uploaded (sniffed,
size-checked, stored by SHA-256) and removed only while the product is being prepared, listed and
found for download by who may see the product — staff reads recorded in the audit log."""

from __future__ import annotations

import io

import pytest

from filing.domain.commands import RemoveMaterial, UploadMaterial
from filing.service_layer import materials
from platform_shared.errors import Conflict, NotFound, QuotaExceeded
from platform_shared.quotas import Quota, StorageQuota
from platform_shared.uploads import LocalContentStore, TooLarge, UnsupportedMediaType
from tests.support.fakes.filing import (
    MEMBER,
    REVIEWER,
    STRANGER,
    FakeFilingUnitOfWork,
    product_in,
    verified_uow,
)

pytestmark = pytest.mark.unit
PDF = b"%PDF-1.7\n" + b"0" * 200


@pytest.fixture
def uow() -> FakeFilingUnitOfWork:
    return verified_uow()


@pytest.fixture
def store(tmp_path) -> LocalContentStore:
    return LocalContentStore(tmp_path / "materials")


# Room for whatever a test uploads, where the quota is not what it is about.
ROOMY = StorageQuota(Quota("material_files", 1000), Quota("material_bytes", 10**9))


def upload(uow, store, product, content=PDF, by=MEMBER, max_bytes=10_000, quota=ROOMY):
    command = UploadMaterial(product.id, "sales_proof", io.BytesIO(content), "../合同.pdf", by)
    return materials.handle_upload(command, uow, store, max_bytes, quota=quota)


def test_the_materials_of_all_an_organisations_products_count_against_its_quota(uow, store):
    quota = StorageQuota(Quota("material_files", 2), Quota("material_bytes", 10**9))
    first, second = product_in(uow, model="A"), product_in(uow, model="B")
    upload(uow, store, first, quota=quota), upload(uow, store, second, quota=quota)
    with pytest.raises(QuotaExceeded) as refused:
        upload(uow, store, second, quota=quota)
    assert (refused.value.quota, refused.value.limit, refused.value.used) == ("material_files", 2, 2)
    assert len(uow.materials.of_product(second.id)) == 1
    # Another organisation's products are not held back by this one's quota.
    upload(uow, store, product_in(uow, organisation_id="org-2", model="C"), by=STRANGER, quota=quota)


def test_bytes_past_the_material_quota_are_refused_and_nothing_is_recorded(uow, store):
    product = product_in(uow)
    quota = StorageQuota(Quota("material_files", 100), Quota("material_bytes", len(PDF) + 10))
    upload(uow, store, product, quota=quota)
    with pytest.raises(QuotaExceeded) as refused:
        upload(uow, store, product, content=PDF + b"1", quota=quota)
    assert (refused.value.quota, refused.value.used) == ("material_bytes", len(PDF))
    assert len(uow.materials.of_product(product.id)) == 1


@pytest.mark.parametrize("status", ["draft", "returned"])
def test_a_material_is_stored_by_its_content_and_recorded(uow, store, status):
    product = product_in(uow, status)
    material = upload(uow, store, product)

    assert (material.kind, material.file.media_type, material.file.size) == ("sales_proof", "application/pdf",
                                                                             len(PDF))
    assert material.file.original_name == "合同.pdf" and material.file.uploaded_by == "erin"
    with store.open(material.file.sha256) as stored:
        assert stored.read() == PDF
    assert material.url == f"/api/v1/filing/products/{product.id}/materials/{material.id}"
    assert uow.materials.of_product(product.id) == [material] and uow.products.get(product.id).version == 4


@pytest.mark.parametrize(("content", "refusal"), [(b"MZ" + b"\x00" * 100, UnsupportedMediaType),
                                                  (PDF * 100, TooLarge)])
def test_a_refused_file_records_nothing(uow, store, content, refusal):
    product = product_in(uow)
    with pytest.raises(refusal) as refused:
        upload(uow, store, product, content)
    assert "file" in refused.value.errors
    assert uow.materials.of_product(product.id) == [] and uow.products.get(product.id).version == 3


@pytest.mark.parametrize("status", ["submitted", "filed"])
def test_materials_change_only_while_the_product_is_prepared(uow, store, status):
    product = product_in(uow, status)
    with pytest.raises(Conflict) as refused:
        upload(uow, store, product)
    assert refused.value.slug == "product-not-editable"
    with pytest.raises(Conflict):
        materials.handle_remove(RemoveMaterial(product.id, "m-1", MEMBER), uow)


def test_a_product_submitted_while_its_file_arrived_takes_no_material(uow, store, monkeypatch):
    product = product_in(uow)
    accept = materials.accept_upload

    def meanwhile_submitted(*args, **kwargs):
        stored = accept(*args, **kwargs)
        submitted = uow.products.get(product.id)
        submitted.status = "submitted"
        uow.products.save(submitted)
        return stored

    monkeypatch.setattr(materials, "accept_upload", meanwhile_submitted)
    with pytest.raises(Conflict):
        upload(uow, store, product)
    assert uow.materials.of_product(product.id) == []


def test_a_stranger_neither_uploads_nor_sees(uow, store):
    product = product_in(uow)
    with pytest.raises(NotFound):
        upload(uow, store, product, by=STRANGER)
    with pytest.raises(NotFound):
        materials.materials_of(product.id, STRANGER, uow)


def test_a_material_is_removed_once(uow, store):
    product = product_in(uow)
    material = upload(uow, store, product)
    materials.handle_remove(RemoveMaterial(product.id, material.id, MEMBER), uow)

    assert uow.materials.of_product(product.id) == [] and uow.products.get(product.id).version == 5
    with pytest.raises(NotFound) as refused:
        materials.handle_remove(RemoveMaterial(product.id, material.id, MEMBER), uow)
    assert refused.value.slug == "material-not-found"


def test_staff_list_and_download_are_audited_members_are_not(uow, store):
    product = product_in(uow)
    material = upload(uow, store, product)

    assert materials.materials_of(product.id, MEMBER, uow) == [material]
    assert materials.material_of(product.id, material.id, MEMBER, uow) == material
    assert uow.audit_log == []
    assert materials.materials_of(product.id, REVIEWER, uow) == [material]
    assert materials.material_of(product.id, material.id, REVIEWER, uow) == material
    assert [(e.action, e.subject_id, dict(e.detail)) for e in uow.audit_log] == [
        ("material.list", product.id, {"materials": [material.id]}),
        ("material.read", material.id, {"product_id": product.id, "kind": "sales_proof",
                                        "sha256": material.file.sha256})]
    with pytest.raises(NotFound) as refused:
        materials.material_of(product.id, "no-such-material", REVIEWER, uow)
    assert refused.value.slug == "material-not-found"
