"""The reviewer's pages: the queue (filters, oldest first, age), a task (the submitted snapshot
with its documents shown inline, an organisation's data to check against its licence, what
changed since the case's previous decision, the decision with reasons per field, the case's
history, each declared patent against the patent register), claiming, releasing, revealing
the legal representative's ID number (audited by identity), confirming a patent the register
could not verify (with a note, audited by review), deciding after confirming it was checked,
and confirming a proposed rejection (four eyes). Operators may read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.access import role_required, signed_in
from portal.api import Problem
from portal.forms import ECONOMIC_FIELDS, PATENT_FIELDS, decision_reasons, flatten
from portal.inline_files import inline_document
from portal.review_checks import changes_shown, organisation_rows
from portal.views import api, download, form_page, outcome

blp = Blueprint("reviewer", __name__, url_prefix="/review")
REVIEW = "/api/v1/review"
IDENTITY = "/api/v1/identity"
# The files a task links to: an organisation's documents and a product's materials.
FILE_PATH = re.compile(r"^/api/v1/(identity/organisations/[\w-]+/documents/[\w-]+"
                       r"|filing/products/[\w-]+/materials/[\w-]+)$")
HIDDEN_SNAPSHOT_KEYS = ("organisation_id", "product_id", "requested_at", "submitted_at", "submission",
                        # an amendment's: shown in its own section, before and after
                        "before", "amendment_id", "edition", "changed", "filing_number")
ORGANISATION_FIELDS = ("name", "uscc", "kind", "address", "legal_representative.name",
                       "legal_representative.id_number", "contact.name", "contact.phone", "contact.email",
                       "documents.business_license", "documents.integrity_commitment",
                       "documents.authorization_letter")
PRODUCT_FIELDS = ("name", "brand", "model", "industry_code", "description", "launched_on", "variants",
                  "economic_data", "patents", "materials")
COLUMNS = ECONOMIC_FIELDS + PATENT_FIELDS + ("kind", "dispute")


@blp.get("")
@role_required("reviewer", "operator")
def queue() -> ResponseReturnValue:
    kind = request.args.get("kind", "")
    state = request.args.get("state", "open")
    mine = request.args.get("mine") == "1"
    params = {"kind": kind, "state": state, "claimed_by": "me" if mine else None, "per_page": 100,
              "page": request.args.get("page", 1)}
    page = api().get(f"{REVIEW}/tasks", params)
    return render_template("reviewer/queue.html", page=page, kind=kind, state=state, mine=mine)


def _snapshot_rows(snapshot: Mapping[str, Any]) -> list[tuple[str, str]]:
    visible = {k: v for k, v in (snapshot or {}).items() if k not in HIDDEN_SNAPSHOT_KEYS}
    if isinstance(visible.get("patents"), list):
        # The register's answer has its own section (patents against the register), not rows here.
        visible["patents"] = [{k: v for k, v in p.items() if k != "register"} if isinstance(p, Mapping) else p
                              for p in visible["patents"]]
    return sorted(flatten(visible).items(), key=lambda item: _order(item[0]))


def _order(path: str) -> tuple[tuple[int, ...], str]:
    """Fields in the order of the forms (rows by index, their columns as the form has them)."""
    known = PRODUCT_FIELDS + ORGANISATION_FIELDS
    key: list[int] = []
    for part in path.split("."):
        if part.isdigit():
            key.append(int(part))
        elif part in COLUMNS:
            key.append(COLUMNS.index(part))
        else:
            key.append(known.index(part) if part in known else len(known))
    return tuple(key), path


# What a reviewer names in the reasons of a decision on a change request.
CHANGE_FIELDS = ("name", "legal_representative.name", "legal_representative.id_number", "documents.business_license")


def _reason_fields(task: Mapping[str, Any]) -> list[str]:
    if task["kind"] == "org_change":
        return list(CHANGE_FIELDS)
    if task["kind"] == "organisation":
        paths = [row.path for row in organisation_rows(task.get("snapshot") or {})]
        return list(dict.fromkeys([*ORGANISATION_FIELDS, *paths]))
    paths = [path for path, _ in _snapshot_rows(task.get("snapshot") or {}) if not path.startswith("documents.")]
    return list(dict.fromkeys([*PRODUCT_FIELDS, *paths]))


def _task_page(task_id: str, problem: Problem | None = None, values: Mapping[str, str] | None = None,
               revealed_id_number: str | None = None, task: Mapping[str, Any] | None = None) -> ResponseReturnValue:
    # Each read of a task is audited by review: a page that read it already passes it on.
    task = task if task is not None else api().get(f"{REVIEW}/tasks/{task_id}")
    me = signed_in()
    snapshot = task.get("snapshot") or {}
    organisation = task["kind"] == "organisation"
    return form_page("reviewer/task.html", problem, task=task,
                     rows=[] if organisation or task["kind"] == "org_change" else _snapshot_rows(snapshot),
                     checks=organisation_rows(snapshot, revealed_id_number) if organisation else [],
                     revealed=revealed_id_number is not None, changes=changes_shown(task.get("since_previous")),
                     fields=_reason_fields(task), values=values or {}, holds=task.get("claimed_by") == me["id"],
                     patent_checks=task.get("patent_checks") or [],
                     amendment=task.get("amendment"),
                     amendment_changes=changes_shown({"changes": (task.get("amendment") or {}).get("changes")}),
                     can_confirm=(task["state"] == "awaiting_confirmation" and me["role"] == "reviewer"
                                  and (task.get("decision") or {}).get("reviewer_id") != me["id"]))


def _unconfirmed(field: str) -> Problem:
    """A final step taken without ticking that the submission was checked (no JavaScript needed:
    the page comes back with the box to tick, nothing sent to the API)."""
    return Problem(422, errors={field: ["unconfirmed"]}, rules={field: [{"rule": "review.unconfirmed"}]})


@blp.get("/tasks/<task_id>")
@role_required("reviewer", "operator")
def task(task_id: str) -> ResponseReturnValue:
    return _task_page(task_id)


@blp.post("/tasks/<task_id>/claim")
@role_required("reviewer")
def claim(task_id: str) -> ResponseReturnValue:
    return outcome(api().call("POST", f"{REVIEW}/tasks/{task_id}/claim"), "review.claimed",
                   url_for("reviewer.task", task_id=task_id), lambda problem: _task_page(task_id, problem))


@blp.post("/tasks/<task_id>/release")
@role_required("reviewer")
def release(task_id: str) -> ResponseReturnValue:
    return outcome(api().call("POST", f"{REVIEW}/tasks/{task_id}/release"), "review.released",
                   url_for("reviewer.queue"), lambda problem: _task_page(task_id, problem))


@blp.post("/tasks/<task_id>/id-number")
@role_required("reviewer", "operator")
def reveal_id_number(task_id: str) -> ResponseReturnValue:
    """The page again, with the legal representative's full ID number (identity audits the
    reveal and refuses it once the organisation is no longer under review)."""
    task = api().get(f"{REVIEW}/tasks/{task_id}")
    if task["kind"] != "organisation":
        abort(404)
    response = api().call("GET", f"{IDENTITY}/organisations/{task['subject_id']}/legal-representative/id-number")
    if not response.ok:
        return _task_page(task_id, Problem.of(response), task=task)
    return _task_page(task_id, revealed_id_number=str(response.json()["id_number"]), task=task)


@blp.post("/tasks/<task_id>/decision")
@role_required("reviewer")
def decide(task_id: str) -> ResponseReturnValue:
    if request.form.get("checked") != "yes":
        return _task_page(task_id, _unconfirmed("checked"), values=dict(request.form))
    body = {"outcome": request.form.get("outcome", ""), "reasons": decision_reasons(request.form)}
    response = api().call("POST", f"{REVIEW}/tasks/{task_id}/decision", json=body)
    return outcome(response, "review.decided", url_for("reviewer.task", task_id=task_id),
                   lambda problem: _task_page(task_id, problem, values=dict(request.form)))


@blp.post("/tasks/<task_id>/patents/<int:index>/confirmation")
@role_required("reviewer")
def confirm_patent(task_id: str, index: int) -> ResponseReturnValue:
    """The holder confirms the `index`-th patent, which the register could not verify, with a note."""
    body = {"note": request.form.get("note", "").strip()}
    response = api().call("POST", f"{REVIEW}/tasks/{task_id}/patents/{index}/confirmation", json=body)
    values = {**request.form, "patent_index": str(index)}
    return outcome(response, "review.patent_confirmed", url_for("reviewer.task", task_id=task_id),
                   lambda problem: _task_page(task_id, problem, values=values))


@blp.post("/tasks/<task_id>/confirmation")
@role_required("reviewer")
def confirm(task_id: str) -> ResponseReturnValue:
    confirming = request.form.get("confirm") == "true"
    if confirming and request.form.get("checked") != "yes":
        return _task_page(task_id, _unconfirmed("checked"), values=dict(request.form))
    body = {"confirm": confirming, "comment": request.form.get("comment", "").strip()}
    response = api().call("POST", f"{REVIEW}/tasks/{task_id}/confirmation", json=body)
    return outcome(response, "review.confirmed", url_for("reviewer.task", task_id=task_id),
                   lambda problem: _task_page(task_id, problem))


@blp.get("/file")
@role_required("reviewer", "operator")
def file() -> ResponseReturnValue:
    """A task's file through the API: as an attachment, or with `inline=1` shown in the page
    (only what its bytes prove a PDF, JPEG or PNG; see portal.inline_files)."""
    path = request.args.get("path", "")
    if not FILE_PATH.match(path):
        abort(404)
    response = api().call("GET", path)
    if request.args.get("inline") != "1" or not response.ok:
        return download(response)
    shown = inline_document(response, path.rsplit("/", 1)[-1])
    if shown is None:
        abort(404)
    return shown
