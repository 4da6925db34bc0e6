"""The enterprise's pages: its organisation (status, reviewer's reasons, documents, asking for
verification), its products (draft, save, submit, reasons of a return by field, resubmit,
filing number, certificate, materials), bulk filing from the template, and colleagues."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for

from portal.access import current_user, role_required
from portal.api import ApiError, Problem
from portal.forms import by_field, flatten, product_body
from portal.views import api, done, download, form_page

blp = Blueprint("enterprise", __name__, url_prefix="/enterprise")
IDENTITY = "/api/v1/identity"
FILING = "/api/v1/filing"
DOCUMENT_KINDS = ("business_license", "integrity_commitment", "authorization_letter")
MATERIAL_KINDS = ("patent_certificate", "license_contract", "sales_proof", "product_photo", "test_report", "other")
EDITABLE = ("draft", "returned")


def _organisation_id() -> str:
    organisation_id = current_user().get("organisation_id")
    if not organisation_id:
        abort(403)
    return organisation_id


def _upload(field: str = "file"):
    upload = request.files.get(field)
    if not upload or not upload.filename:
        return None
    return {field: (upload.filename, upload.read(), upload.mimetype or "application/octet-stream")}


# --- the organisation ------------------------------------------------------------------------
@blp.get("")
@role_required("enterprise")
def organisation(problem: Problem | None = None):
    organisation_id = _organisation_id()
    org = api().get(f"{IDENTITY}/organisations/{organisation_id}")
    documents = api().get(f"{IDENTITY}/organisations/{organisation_id}/documents", {"per_page": 50})["items"]
    reasons = by_field((org.get("last_rejection") or {}).get("reasons") or [])
    return form_page("enterprise/organisation.html", problem, org=org, documents=documents, reasons=reasons,
                     document_kinds=DOCUMENT_KINDS)


@blp.post("/documents")
@role_required("enterprise")
def upload_document():
    files = _upload()
    response = api().call("POST", f"{IDENTITY}/organisations/{_organisation_id()}/documents",
                          form={"kind": request.form.get("kind", "")}, files=files)
    if not response.ok:
        return organisation(Problem.of(response))
    return done("organisation.uploaded", url_for("enterprise.organisation"))


@blp.get("/documents/<document_id>")
@role_required("enterprise")
def document(document_id: str):
    return download(api().call("GET", f"{IDENTITY}/organisations/{_organisation_id()}/documents/{document_id}"))


@blp.post("/verification")
@role_required("enterprise")
def ask_verification():
    response = api().call("POST", f"{IDENTITY}/organisations/{_organisation_id()}/verification")
    if not response.ok:
        return organisation(Problem.of(response))
    return done("organisation.asked", url_for("enterprise.organisation"))


# --- products ---------------------------------------------------------------------------------
def _industries() -> list[dict]:
    return api().get(f"{FILING}/industry-fields", signed=False)["items"]


@blp.get("/products")
@role_required("enterprise")
def products():
    params = {"status": request.args.get("status"), "q": request.args.get("q"), "per_page": 100}
    page = api().get(f"{FILING}/products", params)
    return render_template("enterprise/products.html", page=page, status=params["status"] or "",
                           q=params["q"] or "")


def _product_page(product: dict | None, values: dict, problem: Problem | None = None):
    reasons = {}
    if product and product.get("last_decision") and product["status"] in ("returned", "rejected"):
        reasons = by_field(product["last_decision"].get("reasons") or [])
    editable = product is None or product["status"] in EDITABLE
    return form_page("enterprise/product.html", problem, product=product, values=values, reasons=reasons,
                     industries=_industries(), editable=editable, material_kinds=MATERIAL_KINDS,
                     economic_rows=_row_count(values, "economic_data", editable),
                     patent_rows=_row_count(values, "patents", editable))


def _row_count(values: dict, list_name: str, editable: bool) -> int:
    """Rows to show: the filled ones, and while editable one empty more (two at least)."""
    filled = len({key.split(".")[1] for key in values if key.startswith(list_name + ".") and key.count(".") == 2})
    return max(filled + 1, 2) if editable else filled


@blp.route("/products/new", methods=["GET", "POST"])
@role_required("enterprise")
def new_product():
    if request.method == "GET":
        return _product_page(None, {})
    body = product_body(request.form)
    response = api().call("POST", f"{FILING}/products", json=body)
    if not response.ok:
        return _product_page(None, flatten(body), Problem.of(response))
    product_id = response.json()["id"]
    if request.form.get("action") == "submit":
        return _submit(product_id)
    return done("product.saved", url_for("enterprise.product", product_id=product_id))


@blp.route("/products/<product_id>", methods=["GET", "POST"])
@role_required("enterprise")
def product(product_id: str):
    current = api().get(f"{FILING}/products/{product_id}")
    if request.method == "GET":
        return _product_page(current, flatten(current))
    body = product_body(request.form)
    response = api().call("PATCH", f"{FILING}/products/{product_id}", json=body)
    if not response.ok:
        return _product_page(current, flatten(body), Problem.of(response))
    if request.form.get("action") == "submit":
        return _submit(product_id)
    return done("product.saved", url_for("enterprise.product", product_id=product_id))


def _submit(product_id: str):
    response = api().call("POST", f"{FILING}/products/{product_id}/submission")
    if not response.ok:
        current = api().get(f"{FILING}/products/{product_id}")
        return _product_page(current, flatten(current), Problem.of(response))
    return done("product.submitted", url_for("enterprise.product", product_id=product_id))


@blp.post("/products/<product_id>/withdrawal")
@role_required("enterprise")
def withdraw(product_id: str):
    response = api().call("POST", f"{FILING}/products/{product_id}/withdrawal")
    if not response.ok:
        raise ApiError(Problem.of(response))
    return done("product.withdrawn", url_for("enterprise.product", product_id=product_id))


@blp.post("/products/<product_id>/delete")
@role_required("enterprise")
def delete(product_id: str):
    response = api().call("DELETE", f"{FILING}/products/{product_id}")
    if not response.ok:
        raise ApiError(Problem.of(response))
    return done("product.deleted", url_for("enterprise.products"))


@blp.post("/products/<product_id>/materials")
@role_required("enterprise")
def upload_material(product_id: str):
    response = api().call("POST", f"{FILING}/products/{product_id}/materials",
                          form={"kind": request.form.get("kind", "")}, files=_upload())
    if not response.ok:
        current = api().get(f"{FILING}/products/{product_id}")
        return _product_page(current, flatten(current), Problem.of(response))
    return done("product.material_uploaded", url_for("enterprise.product", product_id=product_id))


@blp.get("/products/<product_id>/materials/<material_id>")
@role_required("enterprise")
def material(product_id: str, material_id: str):
    return download(api().call("GET", f"{FILING}/products/{product_id}/materials/{material_id}"))


@blp.get("/products/<product_id>/certificate")
@role_required("enterprise")
def certificate(product_id: str):
    return download(api().call("GET", f"{FILING}/products/{product_id}/certificate"))


# --- bulk filing --------------------------------------------------------------------------------
@blp.route("/bulk", methods=["GET", "POST"])
@role_required("enterprise")
def bulk():
    if request.method == "GET":
        return form_page("enterprise/bulk.html", result=None)
    response = api().call("POST", f"{FILING}/products/bulk", files=_upload())
    if not response.ok:
        problem = Problem.of(response)
        body = response.json() if response.media_type.endswith("json") else {}
        result = body if isinstance(body, dict) and "rows" in body else None
        return form_page("enterprise/bulk.html", problem, result=result)
    return form_page("enterprise/bulk.html", result=response.json())


@blp.get("/bulk/template.<fmt>")
@role_required("enterprise")
def bulk_template(fmt: str):
    if fmt not in ("xlsx", "csv"):
        abort(404)
    return download(api().call("GET", f"{FILING}/products/bulk/template", params={"format": fmt}))


# --- colleagues ---------------------------------------------------------------------------------
@blp.route("/members", methods=["GET", "POST"])
@role_required("enterprise")
def members():
    organisation_id = _organisation_id()
    problem, values = None, {}
    if request.method == "POST":
        values = {"email": request.form.get("email", "").strip()}
        response = api().call("POST", f"{IDENTITY}/organisations/{organisation_id}/members", json=values)
        if response.ok:
            return done("members.invited", url_for("enterprise.members"), email=values["email"])
        problem = Problem.of(response)
    page = api().get(f"{IDENTITY}/organisations/{organisation_id}/members", {"per_page": 200})
    return form_page("enterprise/members.html", problem, page=page, values=values)

