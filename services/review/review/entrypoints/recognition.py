"""review's HTTP API for the recognition of patent-intensive products: rounds (open, evaluate,
publish, finalise) for operators, reading them for operators and reviewers, the public notice
for anyone, and objections by any signed-in user (decided by operators).

The clock is `components["today"]` (a callable, UTC): the notice's end is a date, and tests move
the clock past it instead of waiting.
"""

from __future__ import annotations

import datetime as dt

from flask import Response, g

from platform_shared.uploads import DOCUMENT_TYPES, MULTIPART_ALLOWANCE
from platform_shared.web.access import current_principal, requires
from platform_shared.web.app import accepts
from platform_shared.web.attachments import stored_attachment
from platform_shared.web.audit import audit_request
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_runtime
from platform_shared.web.pagination import page_of
from platform_shared.web.problems import Problem
from review.adapters.orm import AuditLog
from review.adapters.recognition_tables import RecognitionRound, RoundResult
from review.domain.rounds import PUBLIC_STATES
from review.entrypoints import recognition_schemas as schemas
from review.service_layer import objections, recognition
from review.service_layer.round_views import evidence_out, objection_out, public_out, result_out, round_out, summary_out

blp = Blueprint("review-recognition", __name__, url_prefix="/api/v1/review",
                description="Recognition of patent-intensive products: rounds, benchmarks, public notice, objections")
BEARER = [{"bearerAuth": []}]
STAFF = ("operator", "reviewer")
ROUND = "/recognition-rounds/<uuid_text:round_id>"
OBJECTION = ROUND + "/objections/<uuid_text:objection_id>"
_BINARY = {"schema": {"type": "string", "format": "binary"}}
DOWNLOAD_DOC = {"200": {"description": "The evidence file, as uploaded",
                        "content": dict.fromkeys(DOCUMENT_TYPES, _BINARY)}}
problems = blp.problems


def _uow():
    return current_runtime().unit_of_work(g.request_id)


def _today() -> dt.date:
    return current_runtime().components["today"]()


def _evidence_body_limit() -> int:
    return current_runtime().components["evidence_max_bytes"] + MULTIPART_ALLOWANCE


@blp.route("/recognition-rounds", methods=["POST"])
@blp.doc(security=BEARER)
@requires("operator")
@blp.arguments(schemas.RecognitionRoundIn)
@blp.response(201, schemas.RoundOut)
@problems(401, 403)
def open_round(body: dict) -> dict:
    """Open a recognition round for `year` (judged on the figures of the year before), with the
    cut-off date of filing and the industry fields it covers (operators)."""
    found = recognition.open_round(body["year"], body["cut_off"], body["fields"], current_principal(), _uow())
    return round_out(found)


@blp.route("/recognition-rounds", methods=["GET"])
@blp.doc(security=BEARER)
@requires(*STAFF)
@blp.arguments(schemas.RoundQuery, location="query")
@blp.response(200, schemas.RoundPage)
@problems(401, 403)
def list_rounds(query: dict) -> dict:
    """Recognition rounds, newest first, filtered by `state` and `year` (operators, reviewers)."""
    selection = RecognitionRound.select()
    if query["state"]:
        selection = selection.where(RecognitionRound.state == query["state"])
    if query["year"]:
        selection = selection.where(RecognitionRound.year == query["year"])
    page = page_of(selection, query, RecognitionRound.created_at.desc(), RecognitionRound.id)
    return {"items": [summary_out(r) for r in page["items"]], "total": page["total"]}


@blp.route(ROUND, methods=["GET"])
@blp.doc(security=BEARER)
@requires(*STAFF)
@blp.response(200, schemas.RoundOut)
@problems(401, 403, 404)
def read_round(round_id: str) -> dict:
    """The round: its benchmarks per field (value, given or derived, the statistic, the
    configuration's version), each opted-in product's formal check and indicators against the
    benchmarks and why it was or was not proposed, and the objections (operators, reviewers)."""
    found = recognition.round_or_404(round_id)
    audit_request(AuditLog, "round.read", "recognition_round", found.id, {"year": found.year})
    return round_out(found)


@blp.route(ROUND + "/products/<uuid_text:product_id>", methods=["GET"])
@blp.doc(security=BEARER)
@requires(*STAFF)
@blp.response(200, schemas.RoundResultOut)
@problems(401, 403, 404)
def read_result(round_id: str, product_id: str) -> dict:
    """One product's result in the round (operators, reviewers)."""
    found = recognition.round_or_404(round_id)
    result = RoundResult.get_or_none((RoundResult.round_id == found.id) & (RoundResult.product_id == product_id))
    if result is None:
        raise Problem(404, "This product has no result in the round.", slug="result-not-found")
    audit_request(AuditLog, "round.result.read", "product", product_id, {"round_id": found.id})
    return result_out(result)


@blp.route(ROUND + "/evaluation", methods=["POST"])
@blp.doc(security=BEARER)
@requires("operator")
@blp.arguments(schemas.RoundEvaluationIn)
@blp.response(200, schemas.RoundOut)
@problems(401, 403, 404, 409, 422, 503)
def evaluate(body: dict, round_id: str) -> dict:
    """Formal check of the opted-in products, then per field the benchmarks (given in the body,
    or derived from the field's filed data) and each product's indicators against them (operators).

    Allowed while the round is open or evaluated: a new evaluation replaces the results. 422
    for benchmarks of a field the round does not cover; 503 when the patent registry cannot
    answer (nothing changes).
    """
    components = current_runtime().components
    found = recognition.evaluate_round(round_id, body["benchmarks"], _uow(), components["patent_registry"],
                                       components["indicators"])
    return round_out(found)


@blp.route(ROUND + "/publication", methods=["POST"])
@blp.doc(security=BEARER)
@requires("operator")
@blp.arguments(schemas.RoundPublicationIn)
@blp.response(200, schemas.RoundOut)
@problems(401, 403, 404, 409, 422)
def publish(body: dict, round_id: str) -> dict:
    """Start the public notice (公示) of the proposed list until `notice_ends_on`, a date after
    today (operators; 409 unless the round is evaluated)."""
    return round_out(recognition.publish_round(round_id, body["notice_ends_on"], _uow(), _today()))


@blp.route("/public" + ROUND, methods=["GET"])
@blp.response(200, schemas.PublicRoundOut)
@problems(404)
def public_round(round_id: str) -> dict:
    """The public notice of a round (anyone, no sign-in): the proposed list during the notice,
    the recognised products once finalised — product, model, organisation, field; 404 before."""
    found = RecognitionRound.get_or_none(RecognitionRound.id == round_id)
    if found is None or found.state not in PUBLIC_STATES:
        raise Problem(404, "No published recognition round with this id.", slug="round-not-found")
    return public_out(found)


@blp.route(ROUND + "/objections", methods=["POST"])
@blp.doc(security=BEARER)
@requires()
@blp.arguments(schemas.RoundObjectionIn)
@blp.response(201, schemas.ObjectionOut)
@problems(401, 404, 409, 422)
def object_to(body: dict, round_id: str) -> dict:
    """Object to a product on the list, with reasons (any signed-in user, during the notice;
    409 otherwise, 422 for a product not on the list). Evidence files follow, one per
    `POST …/objections/{objection_id}/evidence`."""
    objection = objections.raise_objection(round_id, body["product_id"], body["reasons"], current_principal(),
                                           _uow(), _today())
    return objection_out(objection)


@blp.route(OBJECTION + "/evidence", methods=["POST"])
@blp.doc(security=BEARER)
@requires()
@blp.arguments(schemas.ObjectionEvidenceForm, location="form", content_type="multipart/form-data")
@blp.response(201, schemas.EvidenceOut)
@problems(401, 403, 404, 409)
@accepts("multipart/form-data", max_bytes=_evidence_body_limit)
def add_evidence(form: dict, round_id: str, objection_id: str) -> dict:
    """An evidence file (`file`: PDF, JPEG or PNG by its content, 415 otherwise; 413 over the
    size limit) for your own undecided objection, during the notice."""
    components = current_runtime().components
    file = form["file"]
    evidence = objections.add_evidence(round_id, objection_id, file.stream, file.filename, current_principal(),
                                       _uow(), components["evidence_store"], components["evidence_max_bytes"],
                                       _today())
    return evidence_out(objections.objection_or_404(round_id, objection_id), evidence)


@blp.route(OBJECTION + "/evidence/<uuid_text:evidence_id>", methods=["GET"])
@blp.doc(security=BEARER, responses=DOWNLOAD_DOC)
@requires(*STAFF)
@problems(401, 403, 404)
def download_evidence(round_id: str, objection_id: str, evidence_id: str) -> Response:
    """An evidence file, as an attachment (operators, reviewers)."""
    evidence = objections.evidence_of(round_id, objection_id, evidence_id)
    audit_request(AuditLog, "evidence.read", "evidence", evidence.id, {"round_id": round_id})
    return stored_attachment(current_runtime().components["evidence_store"], evidence.sha256, evidence.media_type,
                             f"evidence-{evidence.id}")


@blp.route(OBJECTION + "/decision", methods=["POST"])
@blp.doc(security=BEARER)
@requires("operator")
@blp.arguments(schemas.ObjectionDecisionIn)
@blp.response(200, schemas.ObjectionOut)
@problems(401, 403, 404, 409)
def decide(body: dict, round_id: str, objection_id: str) -> dict:
    """Decide an objection (operators, while the round is published): upheld takes the product
    off the list; 409 when it was decided already."""
    objection = objections.decide_objection(round_id, objection_id, body["upheld"], body["reason"],
                                            current_principal(), _uow())
    return objection_out(objection)


@blp.route(ROUND + "/finalisation", methods=["POST"])
@blp.doc(security=BEARER)
@requires("operator")
@blp.response(200, schemas.RoundOut)
@problems(401, 403, 404, 409)
def finalise(round_id: str) -> dict:
    """Recognise the products that stand (operators): after the notice ended and every
    objection is decided (409 otherwise). Filing marks each recognised."""
    return round_out(recognition.finalise_round(round_id, _uow(), _today()))
