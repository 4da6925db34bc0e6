"""filing's HTTP API for products: drafts, changes, submission, withdrawal, reading, and what
follows filing (annual update, opt-in, cancellation and revocation).

Reads by reviewers and operators are written to the audit log: a product's economic data is
confidential to its organisation and the platform's staff.
"""

from __future__ import annotations

import datetime as dt
import json

from flask import g

from filing.adapters.orm import AuditLog, Product, Recognition, RecognitionOptIn
from filing.entrypoints import schemas
from filing.service_layer import after_filing, drafts, submission
from filing.service_layer.access import is_staff, visible_product
from filing.service_layer.declarations import economic_data_of, material_url, materials_of, patents_of, variants_of
from platform_shared.industries import classification
from platform_shared.web.access import current_principal, requires
from platform_shared.web.audit import audit_request
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_runtime
from platform_shared.web.pagination import page_of

blp = Blueprint("filing", __name__, url_prefix="/api/v1/filing", description="Products and filings")
BEARER = [{"bearerAuth": []}]
READERS = ("enterprise", "reviewer", "operator")
problems = blp.problems


def _uow():
    return current_runtime().unit_of_work(g.request_id)


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def summary_out(product: Product, recognised: bool | None = None) -> dict:
    if recognised is None:
        recognised = product.status == "recognised" or Recognition.select().where(
            Recognition.product == product.id).exists()
    return {"id": product.id, "organisation_id": product.organisation_id, "status": product.status,
            "name": product.name, "brand": product.brand, "model": product.model,
            "industry_code": product.industry_code, "filing_number": product.filing_number,
            "recognised": recognised, "version": product.version, "updated_at": product.updated_at}


def product_out(product: Product) -> dict:
    years = [r.year for r in Recognition.select().where(Recognition.product == product.id).order_by(Recognition.year)]
    opt_ins = (RecognitionOptIn.select().where(RecognitionOptIn.product == product.id)
               .order_by(RecognitionOptIn.year))
    decision = json.loads(product.last_decision) if product.last_decision else None
    return {
        **summary_out(product, recognised=bool(years) or product.status == "recognised"),
        "industry_name": classification().name_of(product.industry_code),
        "description": product.description, "launched_on": product.launched_on,
        "variants": variants_of(product), "economic_data": economic_data_of(product),
        "patents": patents_of(product),
        "materials": [{"id": m.id, "kind": m.kind, "media_type": m.media_type, "size": m.size, "sha256": m.sha256,
                       "original_name": m.original_name, "uploaded_at": m.uploaded_at, "url": material_url(m)}
                      for m in materials_of(product)],
        "submissions": product.submissions, "submitted_at": product.submitted_at, "filed_at": product.filed_at,
        "recognised_years": years,
        "recognition_opt_ins": [{"year": o.year, "opt_in": o.opt_in, "decided_at": o.decided_at} for o in opt_ins],
        "last_decision": decision and {**decision, "decided_at": dt.datetime.fromisoformat(decision["decided_at"])},
        "closing_reason": product.closing_reason, "created_at": product.created_at,
    }


def status_out(product: Product) -> dict:
    return {"id": product.id, "status": product.status, "version": product.version}


@blp.route("/products", methods=["POST"])
@blp.doc(security=BEARER)
@requires("enterprise")
@blp.arguments(schemas.ProductDraft)
@blp.response(201, schemas.Created)
@problems(401, 403, 409)
def create(body: dict) -> dict:
    """Create a draft product of your organisation (members of a verified organisation).

    One model is one product: variants (colours, sizes, configurations) are a list on it. 409
    when your organisation already has this brand and model (the problem's `existing` points
    to it) or the product is filed or under review on the platform.
    """
    product = drafts.create_draft(body, current_principal(), _uow())
    return {"id": product.id, "status": product.status}


@blp.route("/products", methods=["GET"])
@blp.doc(security=BEARER)
@requires(*READERS)
@blp.arguments(schemas.ProductQuery, location="query")
@blp.response(200, schemas.ProductPage)
@problems(401, 403)
def list_products(query: dict) -> dict:
    """Products, newest change first: your organisation's (enterprise) or all (reviewers, operators).

    Filter by `status`, `industry_code`, `q` (name, brand, model or filing number).
    """
    principal = current_principal()
    page = page_of(drafts.products_for(principal, query), query, Product.updated_at.desc(), Product.id)
    if is_staff(principal):
        audit_request(AuditLog, "product.list", "product", None, {"products": [p.id for p in page["items"]]})
    return {"items": [summary_out(p) for p in page["items"]], "total": page["total"]}


@blp.route("/products/<uuid_text:product_id>", methods=["GET"])
@blp.doc(security=BEARER)
@requires(*READERS)
@blp.response(200, schemas.ProductOut)
@problems(401, 403, 404)
def read(product_id: str) -> dict:
    """One product with its declaration, status, filing number once filed, and review's newest
    decision (its organisation's members, reviewers, operators)."""
    principal = current_principal()
    product = visible_product(principal, product_id)
    if is_staff(principal):
        audit_request(AuditLog, "product.read", "product", product.id, {"organisation_id": product.organisation_id})
    return product_out(product)


@blp.route("/products/<uuid_text:product_id>", methods=["PATCH"])
@blp.doc(security=BEARER)
@requires("enterprise")
@blp.arguments(schemas.ProductChange)
@blp.response(200, schemas.ProductOut)
@problems(401, 403, 404, 409)
def change(body: dict, product_id: str) -> dict:
    """Change a draft or returned product (its members): the fields given replace the stored
    ones; 409 in any other status."""
    product = drafts.change_draft(product_id, body, current_principal(), _uow())
    return product_out(product)


@blp.route("/products/<uuid_text:product_id>", methods=["DELETE"])
@blp.doc(security=BEARER)
@requires("enterprise")
@blp.response(204)
@problems(401, 403, 404, 409)
def delete(product_id: str) -> None:
    """Delete a draft that was never submitted (its members); 409 otherwise."""
    drafts.delete_draft(product_id, current_principal(), _uow())


@blp.route("/products/<uuid_text:product_id>/submission", methods=["POST"])
@blp.doc(security=BEARER)
@requires("enterprise")
@blp.response(202, schemas.StatusOut)
@problems(401, 403, 404, 409, 422, 503)
def submit(product_id: str) -> dict:
    """Submit for review (its members): the rules are checked first.

    422 naming each field that breaks a rule (no valid patent, a disputed patent, a licensee
    without the licence record number, no economic data of the last full year, organisation
    not verified); 409 when the product is not a draft or returned, or the same product is
    filed or under review already; 503 when the patent registry cannot answer.
    """
    runtime = current_runtime()
    product = submission.submit(product_id, current_principal(), _uow(), runtime.components["patent_registry"],
                                _today())
    return status_out(product)


@blp.route("/products/<uuid_text:product_id>/withdrawal", methods=["POST"])
@blp.doc(security=BEARER)
@requires("enterprise")
@blp.response(200, schemas.StatusOut)
@problems(401, 403, 404, 409)
def withdraw(product_id: str) -> dict:
    """Take a submission back before its decision (or a returned product out of review): a
    draft again (its members); 409 otherwise."""
    return status_out(submission.withdraw(product_id, current_principal(), _uow()))


@blp.route("/products/<uuid_text:product_id>/annual-data/<int:year>", methods=["PUT"])
@blp.doc(security=BEARER)
@requires("enterprise")
@blp.arguments(schemas.Figures)
@blp.response(200, schemas.AnnualDataOut)
@problems(401, 403, 404, 409, 422)
def annual_data(body: dict, product_id: str, year: int) -> dict:
    """The previous year's figures of a filed product, in the annual update window (its members).

    409 outside the window (the message gives it) or when the product is not filed; 422 for
    any year but the previous one.
    """
    runtime = current_runtime()
    return after_filing.update_annual_data(product_id, year, body, current_principal(), _uow(),
                                           runtime.components["annual_update_window"], _today())


@blp.route("/products/<uuid_text:product_id>/recognition-opt-in", methods=["PUT"])
@blp.doc(security=BEARER)
@requires("enterprise")
@blp.arguments(schemas.OptInIn)
@blp.response(200, schemas.OptInOut)
@problems(401, 403, 404, 409, 422)
def recognition_opt_in(body: dict, product_id: str) -> dict:
    """Take part (or not) in a year's recognition of patent-intensive products, for a filed
    product (its members)."""
    choice = after_filing.opt_in(product_id, body["year"], body["opt_in"], current_principal(), _uow(), _today())
    return {"year": choice.year, "opt_in": choice.opt_in, "decided_at": choice.decided_at}


@blp.route("/products/<uuid_text:product_id>/cancellation", methods=["POST"])
@blp.doc(security=BEARER)
@requires("enterprise", "operator")
@blp.arguments(schemas.ClosingIn)
@blp.response(200, schemas.StatusOut)
@problems(401, 403, 404, 409)
def cancel(body: dict, product_id: str) -> dict:
    """End a filed product's filing with a reason: `cancelled` by its organisation's members
    (it left the market, its patents lapsed), `revoked` by an operator (e.g. a patent dispute
    arose). The filing number stays with it and is never given again. 409 unless filed."""
    product = after_filing.close(product_id, body["reason"], current_principal(), _uow())
    if is_staff(current_principal()):
        audit_request(AuditLog, "product.revoked", "product", product.id, {"reason": body["reason"]})
    return status_out(product)
