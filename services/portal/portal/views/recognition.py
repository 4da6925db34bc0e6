"""The pages of a recognition round for everyone outside the operators: the public notices (the
products a round lists; who is signed in objects to one, with evidence files), and each user's
objections — those they (their organisation) raised, with state and decision, and, for an
enterprise, those raised against its products (never saying by whom)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, request, url_for
from flask.typing import ResponseReturnValue

from portal.access import current_user, role_required, signed_in
from portal.api import Problem
from portal.labels import industry_names
from portal.transport import Upload
from portal.views import api, done, form_page

blp = Blueprint("recognition", __name__)
REVIEW = "/api/v1/review"
# Evidence files one form sends at once (the API takes at most 10 per objection).
MAX_FILES = 10


def _notice(round_id: str) -> dict[str, Any]:
    found: dict[str, Any] = api().get(f"{REVIEW}/public/recognition-rounds/{round_id}", signed=False)
    return found


def _objections_open(notice: dict[str, Any]) -> bool:
    """Whether the notice still takes objections (the API decides; this only hides the form)."""
    ends = dt.date.fromisoformat(notice["notice_ends_on"])
    return notice["state"] == "published" and dt.datetime.now(dt.UTC).date() <= ends


@blp.get("/notices")
def notices() -> ResponseReturnValue:
    """The public notices, newest first (anyone, no sign-in)."""
    return form_page("notices.html", notices=api().get(f"{REVIEW}/public/recognition-rounds", signed=False)["items"])


@blp.get("/notices/<round_id>")
def notice(round_id: str) -> ResponseReturnValue:
    """A round's public notice: the proposed list while it runs, the recognised once final."""
    found = _notice(round_id)
    industries = industry_names(api().get("/api/v1/filing/industry-fields", signed=False)["items"])
    return form_page("notice.html", notice=found, industries=industries, objecting=_objections_open(found),
                     signed=current_user() is not None)


def _evidence() -> list[Upload]:
    chosen = [f for f in request.files.getlist("evidence") if f and f.filename]
    return [(f.filename or "evidence", f.read(), f.mimetype or "application/octet-stream") for f in chosen[:MAX_FILES]]


@blp.route("/notices/<round_id>/objection", methods=["GET", "POST"])
@role_required()
def object_to(round_id: str) -> ResponseReturnValue:
    """An objection to a listed product, with its reasons and evidence files (any signed-in user,
    during the notice). The objection is raised first, then each file is sent; a file the API
    refuses leaves the objection raised, and the page says which file and why."""
    found = _notice(round_id)
    values = {"product_id": request.values.get("product_id", ""), "reasons": request.form.get("reasons", "")}
    options = [(p["product_id"], f"{p['name']} {p['model']}（{p['organisation_name']}）") for p in found["products"]]
    if request.method == "GET":
        return form_page("objection_form.html", notice=found, values=values, options=options)
    files = _evidence()
    response = api().call("POST", f"{REVIEW}/recognition-rounds/{round_id}/objections",
                          json={"product_id": values["product_id"], "reasons": values["reasons"]})
    if not response.ok:
        return form_page("objection_form.html", Problem.of(response), notice=found, values=values, options=options)
    objection_id = response.json()["id"]
    for name, content, media_type in files:
        sent = api().call("POST", f"{REVIEW}/recognition-rounds/{round_id}/objections/{objection_id}/evidence",
                          files={"file": (name, content, media_type)})
        if not sent.ok:
            return objections(Problem.of(sent), refused_file=name)
    return done("objections.raised_done", url_for("recognition.objections"), files=len(files))


@blp.get("/objections")
@role_required()
def objections(problem: Problem | None = None, refused_file: str | None = None) -> ResponseReturnValue:
    """The objections the user's organisation (or account) raised; for an enterprise also those
    raised against its products."""
    raised = api().get(f"{REVIEW}/objections/raised")["items"]
    received = api().get(f"{REVIEW}/objections/received")["items"] if signed_in()["role"] == "enterprise" else None
    return form_page("objections.html", problem, raised=raised, received=received, refused_file=refused_file)
