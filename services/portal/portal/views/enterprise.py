"""The enterprise's pages: its organisation (status, reviewer's reasons, documents, asking for
verification), its products (draft, save, submit, reasons of a return by field, resubmit,
filing number, certificate, materials), what follows filing on a filed product's page (the
annual update in its window, the recognition opt-in per year, cancellation with a reason after
a confirmation), bulk filing from the template, and colleagues."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.access import role_required, signed_in
from portal.api import Problem
from portal.forms import annual_figures_body, by_field, flatten, opt_in_body, product_body
from portal.i18n import translate
from portal.labels import status_label
from portal.transport import Upload
from portal.views import api, done, download, form_page, outcome
from portal.views.account_status import change_status

blp = Blueprint("enterprise", __name__, url_prefix="/enterprise")
IDENTITY = "/api/v1/identity"
FILING = "/api/v1/filing"
DOCUMENT_KINDS = ("business_license", "integrity_commitment", "authorization_letter")
MATERIAL_KINDS = ("patent_certificate", "license_contract", "sales_proof", "product_photo", "test_report", "other")
EDITABLE = ("draft", "returned")
ON_RECORD = ("filed", "recognised")
ANNUAL_FIELDS = ("sales_revenue", "sales_volume", "export_revenue", "profit", "ip_investment")


def _organisation_id() -> str:
    organisation_id = signed_in().get("organisation_id")
    if not organisation_id:
        abort(403)
    return organisation_id


def _upload(field: str = "file") -> dict[str, Upload]:
    """The form's file, if one was chosen; multipart either way (no file: the API says which is missing)."""
    upload = request.files.get(field)
    if not upload or not upload.filename:
        return {}
    return {field: (upload.filename, upload.read(), upload.mimetype or "application/octet-stream")}


# --- the organisation ------------------------------------------------------------------------
@blp.get("")
@role_required("enterprise")
def organisation(problem: Problem | None = None, typed: dict[str, str] | None = None) -> ResponseReturnValue:
    organisation_id = _organisation_id()
    org = api().get(f"{IDENTITY}/organisations/{organisation_id}")
    documents = api().get(f"{IDENTITY}/organisations/{organisation_id}/documents", {"per_page": 50})["items"]
    reasons = by_field((org.get("last_rejection") or {}).get("reasons") or [])
    values = typed if typed is not None else {
        "address": org["address"], "city_code": org.get("city_code") or "", "contact.name": org["contact"]["name"],
        "contact.phone": org["contact"]["phone"], "contact.email": org["contact"]["email"]}
    change = (api().get(f"{IDENTITY}/organisations/{organisation_id}/change-requests/latest")["latest"]
              if org["status"] in ("verified", "suspended") else None)
    return form_page("enterprise/organisation.html", problem, org=org, documents=documents, reasons=reasons,
                     document_kinds=DOCUMENT_KINDS, values=values, change=change,
                     change_reasons=by_field((change or {}).get("reasons") or []))


CHANGE_FORM = ("name", "legal_representative.name", "legal_representative.id_number")


@blp.post("/change-request")
@role_required("enterprise")
def request_change() -> ResponseReturnValue:
    """A verified organisation's admin asks to change its name or legal representative: the new
    business licence is uploaded as a document, then the request names it."""
    organisation_id = _organisation_id()
    typed = {name: request.form.get(name, "").strip() for name in CHANGE_FORM}
    document_ids: list[str] = []
    files = _upload()
    if files:
        uploaded = api().call("POST", f"{IDENTITY}/organisations/{organisation_id}/documents",
                              form={"kind": "business_license"}, files=files)
        if not uploaded.ok:
            return organisation(Problem.of(uploaded), typed)
        document_ids.append(str(uploaded.json()["id"]))
    body: dict[str, Any] = {"document_ids": document_ids}
    if typed["name"]:
        body["name"] = typed["name"]
    representative = {key: typed[f"legal_representative.{key}"] for key in ("name", "id_number")
                      if typed[f"legal_representative.{key}"]}
    if representative:
        body["legal_representative"] = representative
    response = api().call("POST", f"{IDENTITY}/organisations/{organisation_id}/change-requests", json=body)
    return outcome(response, "organisation.change_requested", url_for("enterprise.organisation"),
                   lambda problem: organisation(problem, typed))


CONTACT_FORM = ("address", "city_code", "contact.name", "contact.phone", "contact.email")


@blp.post("/contact")
@role_required("enterprise")
def change_contact() -> ResponseReturnValue:
    """A verified organisation's admin changes its contact, address and city at once."""
    typed = {name: request.form.get(name, "").strip() for name in CONTACT_FORM}
    body = {"address": typed["address"], "city_code": typed["city_code"] or None,
            "contact": {"name": typed["contact.name"], "phone": typed["contact.phone"],
                        "email": typed["contact.email"]}}
    response = api().call("PATCH", f"{IDENTITY}/organisations/{_organisation_id()}/contact", json=body)
    return outcome(response, "organisation.contact_changed", url_for("enterprise.organisation"),
                   lambda problem: organisation(problem, typed))


@blp.post("/documents")
@role_required("enterprise")
def upload_document() -> ResponseReturnValue:
    files = _upload()
    response = api().call("POST", f"{IDENTITY}/organisations/{_organisation_id()}/documents",
                          form={"kind": request.form.get("kind", "")}, files=files)
    return outcome(response, "organisation.uploaded", url_for("enterprise.organisation"), organisation)


@blp.get("/documents/<document_id>")
@role_required("enterprise")
def document(document_id: str) -> ResponseReturnValue:
    return download(api().call("GET", f"{IDENTITY}/organisations/{_organisation_id()}/documents/{document_id}"))


@blp.get("/commitment-letter.pdf")
@role_required("enterprise")
def commitment_letter() -> ResponseReturnValue:
    """The organisation's commitment letter, prefilled by identity, to sign, stamp and upload."""
    return download(api().call("GET", f"{IDENTITY}/organisations/{_organisation_id()}/commitment-letter.pdf"))


@blp.post("/verification")
@role_required("enterprise")
def ask_verification() -> ResponseReturnValue:
    response = api().call("POST", f"{IDENTITY}/organisations/{_organisation_id()}/verification")
    return outcome(response, "organisation.asked", url_for("enterprise.organisation"), organisation)


# --- products ---------------------------------------------------------------------------------
def _industries() -> list[dict[str, Any]]:
    industries: list[dict[str, Any]] = api().get(f"{FILING}/industry-fields", signed=False)["items"]
    return industries


@blp.get("/products")
@role_required("enterprise")
def products() -> ResponseReturnValue:
    params = {"status": request.args.get("status"), "q": request.args.get("q"), "per_page": 100}
    page = api().get(f"{FILING}/products", params)
    return render_template("enterprise/products.html", page=page, status=params["status"] or "",
                           q=params["q"] or "")


def _product_page(product: dict[str, Any] | None, values: dict[str, str],
                  problem: Problem | None = None, typed: dict[str, str] | None = None) -> ResponseReturnValue:
    """The product's page; `typed` is what was typed into one of the forms after filing (shown again
    with the problem)."""
    reasons = {}
    if product and product.get("last_decision") and product["status"] in ("returned", "rejected"):
        reasons = by_field(product["last_decision"].get("reasons") or [])
    editable = product is None or product["status"] in EDITABLE
    return form_page("enterprise/product.html", problem, product=product, values=values, reasons=reasons,
                     industries=_industries(), editable=editable, material_kinds=MATERIAL_KINDS,
                     economic_rows=_row_count(values, "economic_data", editable),
                     patent_rows=_row_count(values, "patents", editable),
                     after=_after_filing(product, typed or {}), amendments=_amendments(product))


def _amendments(product: dict[str, Any] | None) -> dict[str, Any] | None:
    """A filed product's amendments: the open one (to continue) and the last closed one."""
    if product is None or product["status"] not in ON_RECORD:
        return None
    found: list[dict[str, Any]] = api().get(f"{FILING}/products/{product['id']}/amendments")["items"]
    return {"open": next((a for a in found if a["status"] in ("draft", "submitted", "returned")), None),
            "last_closed": next((a for a in found if a["status"] in ("approved", "rejected", "withdrawn")), None)}


def _after_filing(product: dict[str, Any] | None, typed: dict[str, str]) -> dict[str, Any] | None:
    """What a filed product's page shows after filing: this year's annual update window, the
    figures of its year if given (to correct while it is open), the years one may opt in for."""
    if product is None or product["status"] not in ON_RECORD:
        return None
    window = api().get(f"{FILING}/annual-update", signed=False)
    given = next((y for y in product.get("economic_data") or [] if y["year"] == window["year"]), None)
    this_year = int(str(window["opens_on"])[:4])
    stored: dict[str, Any] = given or {}
    values = {name: "" if stored.get(name) is None else str(stored[name]) for name in ANNUAL_FIELDS}
    values.update(typed)
    choices = {o["year"]: o for o in product.get("recognition_opt_ins") or []}
    return {"window": window, "given": given, "fields": values, "opt_in_years": [this_year, this_year + 1],
            "year_options": [(str(y), str(y)) for y in (this_year, this_year + 1)],
            "choices": choices, "shown": [*ANNUAL_FIELDS, "year", "opt_in", "reason"]}


def _stored_product_page(product_id: str, problem: Problem) -> ResponseReturnValue:
    """The product's page as it is stored, with the problem of what was asked of it."""
    current = api().get(f"{FILING}/products/{product_id}")
    return _product_page(current, flatten(current), problem)


def _row_count(values: dict[str, str], list_name: str, editable: bool) -> int:
    """Rows to show: the filled ones, and while editable one empty more (two at least)."""
    filled = len({key.split(".")[1] for key in values if key.startswith(list_name + ".") and key.count(".") == 2})
    return max(filled + 1, 2) if editable else filled


@blp.route("/products/new", methods=["GET", "POST"])
@role_required("enterprise")
def new_product() -> ResponseReturnValue:
    if request.method == "GET":
        # Told before filling in the whole form, not after: only a verified organisation files.
        org = api().get(f"{IDENTITY}/organisations/{_organisation_id()}")
        if org.get("status") != "verified":
            flash(translate("product.not_verified", status=status_label("organisation", org.get("status"))), "error")
            return redirect(url_for("enterprise.organisation"))
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
def product(product_id: str) -> ResponseReturnValue:
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


def _submit(product_id: str) -> ResponseReturnValue:
    response = api().call("POST", f"{FILING}/products/{product_id}/submission")
    return outcome(response, "product.submitted", url_for("enterprise.product", product_id=product_id),
                   lambda problem: _stored_product_page(product_id, problem))


@blp.post("/products/<product_id>/withdrawal")
@role_required("enterprise")
def withdraw(product_id: str) -> ResponseReturnValue:
    return outcome(api().call("POST", f"{FILING}/products/{product_id}/withdrawal"), "product.withdrawn",
                   url_for("enterprise.product", product_id=product_id))


@blp.post("/products/<product_id>/delete")
@role_required("enterprise")
def delete(product_id: str) -> ResponseReturnValue:
    return outcome(api().call("DELETE", f"{FILING}/products/{product_id}"), "product.deleted",
                   url_for("enterprise.products"))


@blp.post("/products/<product_id>/materials")
@role_required("enterprise")
def upload_material(product_id: str) -> ResponseReturnValue:
    """Save what was typed in the product's form, then upload the material: the upload button
    belongs to that form, so nothing typed is lost to an upload."""
    current = api().get(f"{FILING}/products/{product_id}")
    typed = product_body(request.form)
    if "name" in request.form:
        saved = api().call("PATCH", f"{FILING}/products/{product_id}", json=typed)
        if not saved.ok:
            return _product_page(current, flatten(typed), Problem.of(saved))
    files = {"file": upload} if (upload := _upload("material_file").get("material_file")) else {}
    response = api().call("POST", f"{FILING}/products/{product_id}/materials",
                          form={"kind": request.form.get("material_kind", "")}, files=files)
    return outcome(response, "product.material_uploaded", url_for("enterprise.product", product_id=product_id),
                   lambda problem: _stored_product_page(product_id, problem))


@blp.get("/products/<product_id>/materials/<material_id>")
@role_required("enterprise")
def material(product_id: str, material_id: str) -> ResponseReturnValue:
    return download(api().call("GET", f"{FILING}/products/{product_id}/materials/{material_id}"))


@blp.get("/products/<product_id>/certificate")
@role_required("enterprise")
def certificate(product_id: str) -> ResponseReturnValue:
    return download(api().call("GET", f"{FILING}/products/{product_id}/certificate"))


# --- after filing: annual update, recognition opt-in, cancellation ---------------------------
@blp.post("/products/<product_id>/annual-data")
@role_required("enterprise")
def annual_data(product_id: str) -> ResponseReturnValue:
    """The previous year's figures (the year is the window's, as the page showed it)."""
    body = annual_figures_body(request.form)
    year = (request.form.get("year") or "").strip()
    response = api().call("PUT", f"{FILING}/products/{product_id}/annual-data/{year if year.isdigit() else 0}",
                          json=body)
    if not response.ok:
        current = api().get(f"{FILING}/products/{product_id}")
        return _product_page(current, flatten(current), Problem.of(response),
                             typed={k: str(v) for k, v in body.items()})
    return done("after_filing.annual_saved", url_for("enterprise.product", product_id=product_id) + "#annual-update",
                year=year)


@blp.post("/products/<product_id>/recognition-opt-in")
@role_required("enterprise")
def recognition_opt_in(product_id: str) -> ResponseReturnValue:
    body = opt_in_body(request.form)
    response = api().call("PUT", f"{FILING}/products/{product_id}/recognition-opt-in", json=body)
    message = "after_filing.opted_in" if body.get("opt_in") is True else "after_filing.opted_out"
    return outcome(response, message, url_for("enterprise.product", product_id=product_id) + "#recognition",
                   lambda problem: _stored_product_page(product_id, problem))


@blp.post("/products/<product_id>/cancellation")
@role_required("enterprise")
def cancel(product_id: str) -> ResponseReturnValue:
    """Cancellation in two steps: the reason, then a page that asks to confirm (nothing is sent
    until then); a blank reason goes to the API at once, which names the field."""
    reason = (request.form.get("reason") or "").strip()
    if reason and request.form.get("confirmed") != "yes":
        current = api().get(f"{FILING}/products/{product_id}")
        return form_page("enterprise/cancel.html", product=current, reason=reason)
    response = api().call("POST", f"{FILING}/products/{product_id}/cancellation", json={"reason": reason})
    if not response.ok:
        current = api().get(f"{FILING}/products/{product_id}")
        return _product_page(current, flatten(current), Problem.of(response), typed={"reason": reason})
    return done("after_filing.cancelled", url_for("enterprise.product", product_id=product_id))


# --- bulk filing --------------------------------------------------------------------------------
@blp.route("/bulk", methods=["GET", "POST"])
@role_required("enterprise")
def bulk() -> ResponseReturnValue:
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
def bulk_template(fmt: str) -> ResponseReturnValue:
    if fmt not in ("xlsx", "csv"):
        abort(404)
    return download(api().call("GET", f"{FILING}/products/bulk/template", params={"format": fmt}))


# --- colleagues ---------------------------------------------------------------------------------
@blp.route("/members", methods=["GET", "POST"])
@role_required("enterprise")
def members() -> ResponseReturnValue:
    organisation_id = _organisation_id()
    problem: Problem | None = None
    values: dict[str, str] = {}
    if request.method == "POST":
        values = {"email": request.form.get("email", "").strip()}
        response = api().call("POST", f"{IDENTITY}/organisations/{organisation_id}/members", json=values)
        if response.ok:
            return done("members.invited", url_for("enterprise.members"), email=values["email"])
        problem = Problem.of(response)
    return _members_page(problem, values)


def _members_page(problem: Problem | None, values: dict[str, str]) -> ResponseReturnValue:
    """The organisation's accounts with their status; to its admin, the forms that deactivate or
    reactivate them (`values` of whichever form was sent)."""
    page = api().get(f"{IDENTITY}/organisations/{_organisation_id()}/members", {"per_page": 200})
    me = signed_in()["id"]
    admin = any(a["id"] == me and a["organisation_admin"] for a in page["items"])
    return form_page("enterprise/members.html", problem, page=page, values=values, me=me, admin=admin)


@blp.post("/members/<account_id>/admin")
@role_required("enterprise")
def change_member_admin(account_id: str) -> ResponseReturnValue:
    """The organisation's admin makes a colleague an admin, or no longer one."""
    admin = request.form.get("admin") == "true"
    response = api().call("PUT", f"{IDENTITY}/accounts/{account_id}/organisation-admin", json={"admin": admin})
    if response.ok:
        return done("accounts.admin_done", url_for("enterprise.members"), email=response.json().get("email", ""))
    return _members_page(Problem.of(response), {})


@blp.post("/members/<account_id>/<change>")
@role_required("enterprise")
def change_member_status(account_id: str, change: str) -> ResponseReturnValue:
    """The organisation's admin deactivates or reactivates a colleague's account, with the reason."""
    return change_status(account_id, change, url_for("enterprise.members"), _members_page)

