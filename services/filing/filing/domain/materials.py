"""A product's proof materials: the kinds there are, and a material as filing records it (its
bytes are in the content store under their SHA-256)."""

from __future__ import annotations

from dataclasses import dataclass

from platform_shared.attachments import StoredFile

MATERIAL_KINDS = {
    "patent_certificate": "专利证书",
    "license_contract": "专利实施许可合同及备案证明",
    "sales_proof": "销售证明（合同、发票等）",
    "product_photo": "产品照片",
    "test_report": "检测报告",
    "other": "其他证明材料",
}
MATERIALS_PATH = "/api/v1/filing/products/{product_id}/materials/{material_id}"


@dataclass(frozen=True)
class Material:
    id: str
    product_id: str
    kind: str
    file: StoredFile
    # Uploaded to an open amendment (domain.amendments): the product's own once it is approved.
    amendment_id: str | None = None

    @property
    def url(self) -> str:
        return MATERIALS_PATH.format(product_id=self.product_id, material_id=self.id)
