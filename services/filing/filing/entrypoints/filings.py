"""filing's HTTP API around filings: the certificate of a filed product, the public check of a
filing number, and the industry fields products are filed under."""

from __future__ import annotations

from typing import Any

from flask import Response

from filing.entrypoints import filings_schemas as schemas
from filing.service_layer.certificates import certificate_of
from filing.service_layer.dependencies import FilingDependencies
from filing.service_layer.public_verification import verify_filing
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.industries import classification
from platform_shared.web.access import current_principal
from platform_shared.web.attachments import generated_pdf, pdf_doc
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.rate_limited import RateLimit
from platform_shared.web.routes import ANYONE, endpoint

blp = Blueprint("filing-filings", __name__, url_prefix="/api/v1/filing",
                description="Filing certificates, public verification of filing numbers, industry fields")
PDF_DOC = pdf_doc("The filing certificate (备案证明), PDF")


@endpoint(blp, "/products/<uuid_text:product_id>/certificate", "GET", roles=("enterprise", "operator"),
          response=None, problems=(401, 403, 404, 409), doc={"responses": PDF_DOC})
def certificate(product_id: str) -> Response:
    """The filing certificate of a filed product, as PDF (its members, operators): product,
    model, organisation, patents, filing number, date, and a QR code linking to the public
    verification of the number. 409 before the product is filed, and while the filing is
    suspended (`filing-suspended`: none of its patents holds by the register any more)."""
    dependencies = current_dependencies(FilingDependencies)
    filing_number, pdf = certificate_of(product_id, current_principal(), current_uow(FilingUnitOfWork),
                                        dependencies.certificates, dependencies.public_url)
    return generated_pdf(pdf, f"certificate-{filing_number}.pdf")


@endpoint(blp, "/public/filings/<filing_number>", "GET", roles=ANYONE, response=(200, schemas.PublicFilingOut),
          problems=(404,), rate_limit=RateLimit("public_verification", "300/minute"))
def public_filing(filing_number: str) -> dict[str, Any]:
    """Is this filing number genuine? (anyone, no sign-in): the product's name, brand and
    model, the organisation's name, the status and the filing date — nothing confidential.
    404 when no filing has the number."""
    return verify_filing(filing_number, current_uow(FilingUnitOfWork))


@endpoint(blp, "/industry-fields", "GET", roles=ANYONE, response=(200, schemas.IndustryFieldList))
def industry_fields() -> dict[str, Any]:
    """The fields of the patent-intensive industry classification products are filed under (anyone)."""
    current = classification()
    return {"edition": current.edition,
            "items": [{"code": f.code, "name": f.name, "name_en": f.name_en} for f in current.fields.values()]}
