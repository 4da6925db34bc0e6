"""The enterprise's pages of an amendment (变更) of a filed product: opening one from the
product's page, changing its variants and patents, uploading materials to it, submitting it
(the submission's rules, per field), withdrawing it, and its status with the reviewer's reasons.
The product's own page keeps showing the filed state until review approves the amendment."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request, url_for
from flask.typing import ResponseReturnValue

from portal.access import role_required
from portal.api import Problem
from portal.forms import by_field, declared_lists, flatten
from portal.views import api, done, form_page, outcome
from portal.views.enterprise import MATERIAL_KINDS, _row_count, _upload

blp = Blueprint("amendments", __name__, url_prefix="/enterprise/products/<product_id>/amendments")
FILING = "/api/v1/filing"
EDITABLE = ("draft", "returned")


def _url(product_id: str, amendment_id: str) -> str:
    return f"{FILING}/products/{product_id}/amendments/{amendment_id}"


def _page(product_id: str, amendment: dict[str, Any], values: dict[str, str],
          problem: Problem | None = None) -> ResponseReturnValue:
    product = api().get(f"{FILING}/products/{product_id}")
    editable = amendment["status"] in EDITABLE
    decision = amendment.get("last_decision") or {}
    reasons = by_field(decision.get("reasons") or []) if amendment["status"] in ("returned", "rejected") else {}
    return form_page("enterprise/amendment.html", problem, product=product, amendment=amendment, values=values,
                     reasons=reasons, editable=editable, material_kinds=MATERIAL_KINDS,
                     patent_rows=_row_count(values, "patents", editable))


def _stored_page(product_id: str, amendment_id: str, problem: Problem | None = None) -> ResponseReturnValue:
    amendment = api().get(_url(product_id, amendment_id))
    return _page(product_id, amendment, flatten({k: amendment[k] for k in ("variants", "patents")}), problem)


@blp.post("")
@role_required("enterprise")
def open_amendment(product_id: str) -> ResponseReturnValue:
    """Open an amendment from the product as it is filed, then its page to change it."""
    response = api().call("POST", f"{FILING}/products/{product_id}/amendments", json={})
    if not response.ok:
        from portal.views.enterprise import _stored_product_page

        return _stored_product_page(product_id, Problem.of(response))
    amendment_id = response.json()["id"]
    return done("amendment.opened", url_for("amendments.amendment", product_id=product_id,
                                            amendment_id=amendment_id))


@blp.route("/<amendment_id>", methods=["GET", "POST"])
@role_required("enterprise")
def amendment(product_id: str, amendment_id: str) -> ResponseReturnValue:
    if request.method == "GET":
        return _stored_page(product_id, amendment_id)
    current = api().get(_url(product_id, amendment_id))
    body = declared_lists(request.form)
    response = api().call("PATCH", _url(product_id, amendment_id), json=body)
    if not response.ok:
        return _page(product_id, current, flatten(body), Problem.of(response))
    target = url_for("amendments.amendment", product_id=product_id, amendment_id=amendment_id)
    if request.form.get("action") == "submit":
        submitted = api().call("POST", f"{_url(product_id, amendment_id)}/submission")
        return outcome(submitted, "amendment.submitted", target,
                       lambda problem: _stored_page(product_id, amendment_id, problem))
    return done("amendment.saved", target)


@blp.post("/<amendment_id>/materials")
@role_required("enterprise")
def upload_material(product_id: str, amendment_id: str) -> ResponseReturnValue:
    """Save what was typed, then upload the material to the amendment."""
    current = api().get(_url(product_id, amendment_id))
    body = declared_lists(request.form)
    if "variants" in request.form:
        saved = api().call("PATCH", _url(product_id, amendment_id), json=body)
        if not saved.ok:
            return _page(product_id, current, flatten(body), Problem.of(saved))
    files = {"file": upload} if (upload := _upload("material_file").get("material_file")) else {}
    response = api().call("POST", f"{_url(product_id, amendment_id)}/materials",
                          form={"kind": request.form.get("material_kind", "")}, files=files)
    return outcome(response, "product.material_uploaded",
                   url_for("amendments.amendment", product_id=product_id, amendment_id=amendment_id),
                   lambda problem: _stored_page(product_id, amendment_id, problem))


@blp.post("/<amendment_id>/withdrawal")
@role_required("enterprise")
def withdraw(product_id: str, amendment_id: str) -> ResponseReturnValue:
    return outcome(api().call("POST", f"{_url(product_id, amendment_id)}/withdrawal"), "amendment.withdrawn",
                   url_for("enterprise.product", product_id=product_id),
                   lambda problem: _stored_page(product_id, amendment_id, problem))
