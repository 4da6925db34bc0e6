"""filing's HTTP API around filings: the certificate of a filed product, the public check of a
filing number, and the industry fields products are filed under."""

from __future__ import annotations

import io

from flask import Response, send_file

from filing.adapters.certificate import render_certificate
from filing.adapters.orm import AuditLog
from filing.entrypoints import schemas
from filing.service_layer.access import is_staff, own_product, visible_product
from filing.service_layer.certificates import certificate_content
from filing.service_layer.public_verification import verify_filing
from platform_shared.industries import classification
from platform_shared.web.access import current_principal, requires
from platform_shared.web.audit import audit_request
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_runtime

blp = Blueprint("filing-filings", __name__, url_prefix="/api/v1/filing",
                description="Filing certificates, public verification of filing numbers, industry fields")
BEARER = [{"bearerAuth": []}]
PDF_DOC = {"200": {"description": "The filing certificate (备案证明), PDF",
                   "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}
problems = blp.problems


@blp.route("/products/<uuid_text:product_id>/certificate", methods=["GET"])
@blp.doc(security=BEARER, responses=PDF_DOC)
@requires("enterprise", "operator")
@problems(401, 403, 404, 409)
def certificate(product_id: str) -> Response:
    """The filing certificate of a filed product, as PDF (its members, operators): product,
    model, organisation, patents, filing number, date, and a QR code linking to the public
    verification of the number. 409 before the product is filed."""
    principal = current_principal()
    product = visible_product(principal, product_id) if is_staff(principal) else own_product(principal, product_id)
    runtime = current_runtime()
    content = certificate_content(product, runtime.components["public_url"])
    pdf = render_certificate(content, runtime.components["certificate_font"])
    if is_staff(principal):
        audit_request(AuditLog, "product.certificate", "product", product.id, {"filing_number": product.filing_number})
    response = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                         download_name=f"certificate-{product.filing_number}.pdf", conditional=False, etag=False,
                         max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blp.route("/public/filings/<filing_number>", methods=["GET"])
@blp.response(200, schemas.PublicFilingOut)
@problems(404)
def public_filing(filing_number: str) -> dict:
    """Is this filing number genuine? (anyone, no sign-in): the product's name, brand and
    model, the organisation's name, the status and the filing date — nothing confidential.
    404 when no filing has the number."""
    return verify_filing(filing_number)


@blp.route("/industry-fields", methods=["GET"])
@blp.response(200, schemas.IndustryFieldList)
def industry_fields() -> dict:
    """The fields of the patent-intensive industry classification products are filed under (anyone)."""
    current = classification()
    return {"edition": current.edition,
            "items": [{"code": f.code, "name": f.name, "name_en": f.name_en} for f in current.fields.values()]}
