"""The filing certificate (备案证明) of a filed product: what it says, from the stored filing."""

from __future__ import annotations

from filing.adapters.certificate import CertificateContent, CertificatePatent
from filing.adapters.orm import Product
from filing.domain.lifecycle import ON_RECORD
from filing.service_layer.access import organisation_of
from filing.service_layer.declarations import patents_of, variants_of
from platform_shared.industries import classification
from platform_shared.web.problems import Problem

VERIFICATION_PATH = "/api/v1/filing/public/filings/{filing_number}"


def certificate_content(product: Product, public_url: str) -> CertificateContent:
    """409 unless the product is on record (filed or recognised)."""
    if product.status not in ON_RECORD:
        raise Problem(409, f"A filing certificate exists only for a filed product; this product is {product.status}.",
                      slug="wrong-status")
    organisation = organisation_of(product.organisation_id)
    field = classification().fields.get(product.industry_code)
    return CertificateContent(
        filing_number=product.filing_number, product_name=product.name, brand=product.brand, model=product.model,
        variants=tuple(variants_of(product)),
        industry=f"{product.industry_code} {field.name}" if field else product.industry_code,
        organisation_name=organisation.name if organisation else "",
        organisation_uscc=organisation.uscc if organisation else None,
        patents=tuple(CertificatePatent(p["number"], p["kind"], p["title"], p["relation"])
                      for p in patents_of(product)),
        filed_on=product.filed_at.date(),
        verification_url=public_url.rstrip("/") + VERIFICATION_PATH.format(filing_number=product.filing_number))
