"""review's HTTP API for the recognition of patent-intensive products: rounds (open, evaluate,
publish, finalise) for operators, reading them for operators and reviewers, the public notice
for anyone, and objections by any signed-in user (decided by operators).

The clock is the dependencies' `today` (a callable, UTC): the notice's end is a date, and tests
move the clock past it instead of waiting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response

from platform_shared.errors import Forbidden
from platform_shared.pages import PageRequest
from platform_shared.web.access import current_principal
from platform_shared.web.attachments import download_doc, stored_attachment, upload_body_limit
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.rate_limited import RateLimit
from platform_shared.web.routes import ANYONE, endpoint
from review.domain.commands import (
    AddEvidence,
    CloseRound,
    DecideObjection,
    EvaluateRound,
    FinaliseRound,
    OpenRound,
    PublishRound,
    RaiseObjection,
)
from review.entrypoints import recognition_schemas as schemas
from review.service_layer import objection_views, objections, recognition, round_views
from review.service_layer.dependencies import ReviewDependencies
from review.service_layer.unit_of_work import ReviewUnitOfWork

blp = Blueprint("review-recognition", __name__, url_prefix="/api/v1/review",
                description="Recognition of patent-intensive products: rounds, benchmarks, public notice, objections")
STAFF = ("operator", "reviewer")
ANY_SIGNED_IN: tuple[str, ...] = ()
ROUND = "/recognition-rounds/<uuid_text:round_id>"
OBJECTION = ROUND + "/objections/<uuid_text:objection_id>"


def _uow() -> ReviewUnitOfWork:
    # mypy refuses an abstract class as a type[...] argument (python/mypy#4717); current_uow only
    # checks the request's unit of work against it, never instantiates it.
    return current_uow(ReviewUnitOfWork)


def _dependencies() -> ReviewDependencies:
    return current_dependencies(ReviewDependencies)


def _today() -> dt.date:
    return _dependencies().today()


@endpoint(blp, "/recognition-rounds", "POST", roles=("operator",), body=schemas.RecognitionRoundIn,
          response=(201, schemas.RoundOut), problems=(401, 403, 409))
def open_round(body: dict[str, Any]) -> dict[str, Any]:
    """Open a recognition round for `year` (judged on the figures of the year before), with the
    cut-off date of filing and the industry fields it covers (operators). 409 while another
    round of the year is open, evaluated or published: close that one first."""
    uow = _uow()
    found = recognition.handle_open_round(
        OpenRound(body["year"], body["cut_off"], tuple(body["fields"]), current_principal()), uow)
    return round_views.round_detail(found, uow)


@endpoint(blp, "/recognition-rounds", "GET", roles=STAFF, query=schemas.RoundQuery,
          response=(200, schemas.RoundPage), problems=(401, 403))
def list_rounds(query: dict[str, Any]) -> dict[str, Any]:
    """Recognition rounds, newest first, filtered by `state` and `year` (operators, reviewers)."""
    return round_views.list_rounds(query["state"], query["year"], PageRequest.of(query), _uow())


@endpoint(blp, ROUND, "GET", roles=STAFF, response=(200, schemas.RoundOut), problems=(401, 403, 404))
def read_round(round_id: str) -> dict[str, Any]:
    """The round: its benchmarks per field (value, given or derived, the statistic, the
    configuration's version), each opted-in product's formal check and indicators against the
    benchmarks and why it was or was not proposed, and the objections (operators, reviewers)."""
    return round_views.read_round(round_id, _uow())


@endpoint(blp, ROUND + "/products/<uuid_text:product_id>", "GET", roles=STAFF,
          response=(200, schemas.RoundResultOut), problems=(401, 403, 404))
def read_result(round_id: str, product_id: str) -> dict[str, Any]:
    """One product's result in the round (operators, reviewers)."""
    return round_views.read_result(round_id, product_id, _uow())


@endpoint(blp, "/recognition-indicators", "GET", roles=STAFF, response=(200, schemas.IndicatorList),
          problems=(401, 403))
def indicators() -> dict[str, Any]:
    """The evaluation's indicators in force (code, names, decimals, unit): those an operator may
    give a benchmark of, per field, when evaluating a round (operators, reviewers)."""
    configured = _dependencies().indicators
    return {"version": configured.version,
            "items": [{"code": i.code, "name": i.name, "name_en": i.name_en, "decimals": i.decimals, "unit": i.unit}
                      for i in configured.indicators]}


@endpoint(blp, ROUND + "/evaluation", "POST", roles=("operator",), body=schemas.RoundEvaluationIn,
          response=(200, schemas.RoundOut), problems=(401, 403, 404, 409, 422, 503))
def evaluate(body: dict[str, Any], round_id: str) -> dict[str, Any]:
    """Formal check of the opted-in products, then per field the benchmarks (given in the body,
    or derived from the field's filed data) and each product's indicators against them (operators).

    Allowed while the round is open or evaluated: a new evaluation replaces the results. 422
    for benchmarks of a field the round does not cover, and for each benchmark that a field's
    products need and that cannot be derived (fewer products with a value than
    `REVIEW_BENCHMARK_MINIMUM_PRODUCTS`): give those; 503 when the patent registry cannot
    answer (nothing changes).
    """
    uow, dependencies = _uow(), _dependencies()
    found = recognition.handle_evaluate_round(EvaluateRound(round_id, body["benchmarks"]), uow,
                                              dependencies.patent_registry, dependencies.indicators,
                                              dependencies.benchmark_minimum_products)
    return round_views.round_detail(found, uow)


@endpoint(blp, ROUND + "/publication", "POST", roles=("operator",), body=schemas.RoundPublicationIn,
          response=(200, schemas.RoundOut), problems=(401, 403, 404, 409, 422))
def publish(body: dict[str, Any], round_id: str) -> dict[str, Any]:
    """Start the public notice (公示) of the proposed list until `notice_ends_on`, a date after
    today (operators; 409 unless the round is evaluated)."""
    uow = _uow()
    found = recognition.handle_publish_round(PublishRound(round_id, body["notice_ends_on"]), uow, _today())
    return round_views.round_detail(found, uow)


@endpoint(blp, "/public" + ROUND, "GET", roles=ANYONE, response=(200, schemas.PublicRoundOut), problems=(404,),
          rate_limit=RateLimit("public_notice", "300/minute"))
def public_round(round_id: str) -> dict[str, Any]:
    """The public notice of a round (anyone, no sign-in): the proposed list during the notice,
    the recognised products once finalised — product, model, organisation, field; 404 before."""
    return round_views.public_round(round_id, _uow())


@endpoint(blp, "/public/recognition-rounds", "GET", roles=ANYONE, response=(200, schemas.PublicNoticeList),
          problems=(), rate_limit=RateLimit("public_notice", "300/minute"))
def public_rounds() -> dict[str, Any]:
    """The public notices (anyone, no sign-in): the rounds published or finalised, newest first,
    with how many products each lists."""
    return objection_views.notices(_uow())


@endpoint(blp, "/objections/raised", "GET", roles=ANY_SIGNED_IN, response=(200, schemas.FollowedObjectionList),
          problems=(401,))
def objections_raised() -> dict[str, Any]:
    """The objections your organisation (or your account, without one) raised, newest first:
    the product, the state and the decision (any signed-in user)."""
    return objection_views.raised(current_principal(), _uow())


@endpoint(blp, "/objections/received", "GET", roles=("enterprise",), response=(200, schemas.FollowedObjectionList),
          problems=(401, 403))
def objections_received() -> dict[str, Any]:
    """The objections to your organisation's products, newest first, with their reasons, state
    and decision — never who raised them (enterprise users)."""
    principal = current_principal()
    if not principal.organisation_id:
        raise Forbidden("Only an organisation's users follow the objections to its products.", slug="forbidden")
    return objection_views.received(principal.organisation_id, _uow())


@endpoint(blp, ROUND + "/objections", "POST", roles=ANY_SIGNED_IN, body=schemas.RoundObjectionIn,
          response=(201, schemas.ObjectionOut), problems=(401, 404, 409, 422))
def object_to(body: dict[str, Any], round_id: str) -> dict[str, Any]:
    """Object to a product on the list, with reasons (any signed-in user, during the notice;
    409 otherwise, 422 for a product not on the list; 409 `quota-exceeded` when your organisation,
    or your account without one, has as many undecided objections in the round as its quota
    allows). Evidence files follow, one per `POST …/objections/{objection_id}/evidence`."""
    uow = _uow()
    command = RaiseObjection(round_id, body["product_id"], body["reasons"], current_principal())
    raised = objections.handle_raise_objection(command, uow, _today(), quota=_dependencies().objection_quota)
    return round_views.objection_detail(raised, uow)


@endpoint(blp, OBJECTION + "/evidence", "POST", roles=ANY_SIGNED_IN, form=schemas.ObjectionEvidenceForm,
          response=(201, schemas.EvidenceOut), problems=(401, 403, 404, 409),
          max_bytes=upload_body_limit(lambda: _dependencies().evidence_max_bytes))
def add_evidence(form: dict[str, Any], round_id: str, objection_id: str) -> dict[str, Any]:
    """An evidence file (`file`: PDF, JPEG or PNG by its content, 415 otherwise; 413 over the
    size limit) for your own undecided objection, during the notice; 409 `quota-exceeded` when the
    objections' owner has as many evidence files or bytes in the round as its quota allows."""
    dependencies, file = _dependencies(), form["file"]
    command = AddEvidence(round_id, objection_id, file.stream, file.filename, current_principal())
    evidence = objections.handle_add_evidence(command, _uow(), dependencies.evidence_store,
                                              dependencies.evidence_max_bytes, _today(),
                                              quota=dependencies.evidence_quota)
    return round_views.evidence_out(round_id, evidence)


@endpoint(blp, OBJECTION + "/evidence/<uuid_text:evidence_id>", "GET", roles=STAFF, response=None,
          problems=(401, 403, 404), doc={"responses": download_doc("The evidence file, as uploaded")})
def download_evidence(round_id: str, objection_id: str, evidence_id: str) -> Response:
    """An evidence file, as an attachment (operators, reviewers)."""
    evidence = round_views.evidence_file(round_id, objection_id, evidence_id, _uow())
    return stored_attachment(_dependencies().evidence_store, evidence.file.sha256, evidence.file.media_type,
                             f"evidence-{evidence.id}")


@endpoint(blp, OBJECTION + "/decision", "POST", roles=("operator",), body=schemas.ObjectionDecisionIn,
          response=(200, schemas.ObjectionOut), problems=(401, 403, 404, 409))
def decide(body: dict[str, Any], round_id: str, objection_id: str) -> dict[str, Any]:
    """Decide an objection (operators, while the round is published): upheld takes the product
    off the list; 409 when it was decided already."""
    uow = _uow()
    command = DecideObjection(round_id, objection_id, body["upheld"], body["reason"], current_principal())
    return round_views.objection_detail(objections.handle_decide_objection(command, uow), uow)


@endpoint(blp, ROUND + "/finalisation", "POST", roles=("operator",), response=(200, schemas.RoundOut),
          problems=(401, 403, 404, 409))
def finalise(round_id: str) -> dict[str, Any]:
    """Recognise the products that stand (operators): after the notice ended and every
    objection is decided (409 otherwise). Filing marks each recognised."""
    uow = _uow()
    return round_views.round_detail(recognition.handle_finalise_round(FinaliseRound(round_id), uow, _today()), uow)


@endpoint(blp, ROUND + "/closure", "POST", roles=("operator",), body=schemas.RoundClosureIn,
          response=(200, schemas.RoundOut), problems=(401, 403, 404, 409, 422))
def close(body: dict[str, Any], round_id: str) -> dict[str, Any]:
    """Close a round that is open, evaluated or published, with the reason (operators): nothing
    of it is recognised, its public notice ends, and the year may have another round (409 for a
    finalised or closed round)."""
    uow = _uow()
    return round_views.round_detail(recognition.handle_close_round(CloseRound(round_id, body["reason"].strip()), uow),
                                    uow)
