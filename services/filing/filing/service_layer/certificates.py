"""The filing certificate (备案证明) of a filed product: what it says, from the stored filing,
set on the page by the certificate renderer."""

from __future__ import annotations

from filing.domain.certificates import CertificateContent, CertificatePatent, verification_url
from filing.domain.products import Product
from filing.service_layer.access import is_staff, own_product, visible_product
from filing.service_layer.declarations import organisation_of
from filing.service_layer.dependencies import CertificateRenderer
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.errors import Conflict, Rule
from platform_shared.industries import classification
from platform_shared.principal import Principal


def certificate_content(product: Product, uow: FilingUnitOfWork, public_url: str) -> CertificateContent:
    """`Conflict` unless the product is on record (filed or recognised)."""
    if not product.on_record or product.filing_number is None or product.filed_at is None:
        raise Conflict(f"A filing certificate exists only for a filed product; this product is {product.status}.",
                       slug="wrong-status")
    if product.suspended_at is not None:
        raise Conflict(Rule(f"The filing is suspended since {product.suspended_at.date().isoformat()}: none of its "
                            "patents holds by the register any more. No certificate is issued until a patent "
                            "holds again.", "filing.suspended", since=product.suspended_at.date().isoformat()),
                       slug="filing-suspended")
    organisation = organisation_of(uow, product)
    field = classification().fields.get(product.industry_code)
    return CertificateContent(
        filing_number=product.filing_number, product_name=product.name, brand=product.brand, model=product.model,
        variants=tuple(product.variants),
        industry=f"{product.industry_code} {field.name}" if field else product.industry_code,
        organisation_name=organisation.name if organisation else "",
        organisation_uscc=organisation.uscc if organisation else None,
        patents=tuple(CertificatePatent(p.number, p.kind, p.title, p.relation)
                      for p in uow.patents.of_product(product.id)),
        filed_on=product.filed_at.date(),
        verification_url=verification_url(public_url, product.filing_number),
        edition=product.edition, amended_on=product.amended_at.date() if product.amended_at else None)


def certificate_of(product_id: str, principal: Principal, uow: FilingUnitOfWork, renderer: CertificateRenderer,
                   public_url: str) -> tuple[str, bytes]:
    """The certificate of a filed product (its members, operators): its filing number and the
    rendered document; one taken by staff is recorded in the audit log."""
    with uow:
        product = visible_product(principal, product_id, uow) if is_staff(principal) \
            else own_product(principal, product_id, uow)
        content = certificate_content(product, uow, public_url)
        document = renderer.render(content)
        if is_staff(principal):
            uow.audit("product.certificate", "product", product.id, {"filing_number": product.filing_number})
        return content.filing_number, document
