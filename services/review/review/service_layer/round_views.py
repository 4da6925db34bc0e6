"""What a recognition round looks like when read: the whole round for operators and reviewers
(benchmarks, every product's formal check and indicators, objections), and the public notice
for anyone (the list only: product, model, organisation, field — no figures).

Staff reads of a round, a product's result and an evidence file go to the audit log, in the
transaction that reads them: indicator values come from declared revenue, which is confidential.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from platform_shared.errors import NotFound
from platform_shared.industries import classification
from platform_shared.pages import PageRequest
from review.domain.objections import Objection, ObjectionEvidence
from review.domain.round_results import RoundResult
from review.domain.rounds import PUBLIC_STATES, RecognitionRound
from review.service_layer.objections import objection_of
from review.service_layer.recognition import round_of
from review.service_layer.unit_of_work import ReviewUnitOfWork

EVIDENCE_PATH = "/api/v1/review/recognition-rounds/{round_id}/objections/{objection_id}/evidence/{evidence_id}"


def _summary(found: RecognitionRound, uow: ReviewUnitOfWork) -> dict[str, Any]:
    tally = uow.results.tally(found.id)
    return {
        "id": found.id, "year": found.year, "data_year": found.terms.data_year, "cut_off": found.cut_off,
        "fields": [{"code": code, "name": classification().name_of(code)} for code in found.industry_codes],
        "state": found.state, "config_version": found.config_version, "notice_ends_on": found.notice_ends_on,
        "created_at": found.created_at, "evaluated_at": found.evaluated_at, "published_at": found.published_at,
        "finalised_at": found.finalised_at, "closed_at": found.closed_at, "close_reason": found.close_reason,
        "counts": {**asdict(tally), "pending_objections": uow.objections.pending_count(found.id)},
    }


def _whole(found: RecognitionRound, uow: ReviewUnitOfWork) -> dict[str, Any]:
    return {
        **_summary(found, uow),
        "benchmarks": [{"industry_code": b.industry_code, "indicator": b.indicator, "indicator_name": b.indicator_name,
                        "value": b.value, "source": b.source, "statistic": b.statistic, "sample_size": b.sample_size,
                        "config_version": found.config_version} for b in uow.results.benchmarks(found.id)],
        "results": [result_out(r) for r in uow.results.of_round(found.id)],
        "objections": [_objection(o, uow) for o in uow.objections.of_round(found.id)],
    }


def result_out(result: RoundResult) -> dict[str, Any]:
    return {
        "product_id": result.product_id, "name": result.name, "brand": result.brand, "model": result.model,
        "organisation_name": result.organisation_name, "industry_code": result.industry_code,
        "province_code": result.province_code,
        "formal_check": {"passed": not result.formal_reasons, "reasons": [asdict(r) for r in result.formal_reasons]},
        "indicators": [asdict(i) for i in result.indicators], "proposed": result.proposed, "reasons": result.why(),
        "on_list": result.on_list, "removed_by_objection": result.removed_by, "recognised": result.recognised,
    }


def _objection(objection: Objection, uow: ReviewUnitOfWork) -> dict[str, Any]:
    decision = None
    if objection.state != "pending":
        decision = {"upheld": objection.upheld, "reason": objection.decision_reason,
                    "decided_by": objection.decided_by, "decided_at": objection.decided_at}
    return {"id": objection.id, "product_id": objection.product_id, "reasons": objection.reasons,
            "raised_by": objection.raised_by, "raised_by_role": objection.raised_by_role,
            "raised_at": objection.raised_at, "state": objection.state, "decision": decision,
            "evidence": [evidence_out(objection.round_id, e) for e in uow.evidence.of_objection(objection.id)]}


def evidence_out(round_id: str, evidence: ObjectionEvidence) -> dict[str, Any]:
    file = evidence.file
    return {"id": evidence.id, "media_type": file.media_type, "size": file.size, "sha256": file.sha256,
            "original_name": file.original_name, "uploaded_at": file.uploaded_at,
            "url": EVIDENCE_PATH.format(round_id=round_id, objection_id=evidence.objection_id,
                                        evidence_id=evidence.id)}


# --- the queries ---------------------------------------------------------------------------------

def list_rounds(state: str | None, year: int | None, request: PageRequest, uow: ReviewUnitOfWork) -> dict[str, Any]:
    """Rounds, newest first."""
    with uow:
        return uow.rounds.page(state, year, request).map(lambda found: _summary(found, uow)).as_dict()


def round_detail(found: RecognitionRound, uow: ReviewUnitOfWork) -> dict[str, Any]:
    """The whole round, as an operator's action on it left it."""
    with uow:
        return _whole(found, uow)


def objection_detail(objection: Objection, uow: ReviewUnitOfWork) -> dict[str, Any]:
    with uow:
        return _objection(objection, uow)


def read_round(round_id: str, uow: ReviewUnitOfWork) -> dict[str, Any]:
    """The whole round, for staff; the read is audited."""
    with uow:
        found = round_of(round_id, uow)
        uow.audit("round.read", "recognition_round", found.id, {"year": found.year})
        return _whole(found, uow)


def read_result(round_id: str, product_id: str, uow: ReviewUnitOfWork) -> dict[str, Any]:
    """One product's result in the round, for staff; the read is audited."""
    with uow:
        found = round_of(round_id, uow)
        result = uow.results.get(found.id, product_id)
        if result is None:
            raise NotFound("This product has no result in the round.", slug="result-not-found")
        uow.audit("round.result.read", "product", product_id, {"round_id": found.id})
        return result_out(result)


def evidence_file(round_id: str, objection_id: str, evidence_id: str, uow: ReviewUnitOfWork) -> ObjectionEvidence:
    """An evidence file's record, for staff to download; the read is audited."""
    with uow:
        objection = objection_of(round_id, objection_id, uow)
        evidence = uow.evidence.get(objection.id, evidence_id)
        if evidence is None:
            raise NotFound("No such evidence file.", slug="evidence-not-found")
        uow.audit("evidence.read", "evidence", evidence.id, {"round_id": round_id})
        return evidence


def public_round(round_id: str, uow: ReviewUnitOfWork) -> dict[str, Any]:
    """The public notice: during it the proposed list as it stands, after finalisation the recognised."""
    with uow:
        found = uow.rounds.get(round_id)
        if found is None or found.state not in PUBLIC_STATES:
            raise NotFound("No published recognition round with this id.", slug="round-not-found")
        listed = uow.results.recognised(found.id) if found.state == "finalised" else uow.results.standing(found.id)
    return {
        "id": found.id, "year": found.year, "state": found.state, "notice_ends_on": found.notice_ends_on,
        "published_at": found.published_at, "finalised_at": found.finalised_at,
        "products": [{"product_id": r.product_id, "name": r.name, "brand": r.brand, "model": r.model,
                      "organisation_name": r.organisation_name, "industry_code": r.industry_code,
                      "industry_name": classification().name_of(r.industry_code)} for r in listed],
    }
