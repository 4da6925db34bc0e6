"""What a recognition round looks like when read: the whole round for operators and reviewers
(benchmarks, every product's formal check and indicators, objections), and the public notice
for anyone (the list only: product, model, organisation, field — no figures)."""

from __future__ import annotations

import json

from platform_shared.industries import classification
from review.adapters.recognition_tables import (
    Objection,
    ObjectionEvidence,
    RecognitionRound,
    RoundBenchmark,
    RoundResult,
)
from review.service_layer.recognition import standing

EVIDENCE_PATH = "/api/v1/review/recognition-rounds/{round_id}/objections/{objection_id}/evidence/{evidence_id}"


def summary_out(found: RecognitionRound) -> dict:
    results = list(RoundResult.select(RoundResult.proposed, RoundResult.removed_by, RoundResult.formal_reasons,
                                      RoundResult.recognised).where(RoundResult.round_id == found.id))
    pending = Objection.select().where((Objection.round_id == found.id) & (Objection.state == "pending")).count()
    return {
        "id": found.id, "year": found.year, "data_year": found.year - 1, "cut_off": found.cut_off,
        "fields": [{"code": code, "name": classification().name_of(code)} for code in json.loads(found.industry_codes)],
        "state": found.state, "config_version": found.config_version, "notice_ends_on": found.notice_ends_on,
        "created_at": found.created_at, "evaluated_at": found.evaluated_at, "published_at": found.published_at,
        "finalised_at": found.finalised_at,
        "counts": {"opted_in": len(results),
                   "failed_formal_check": sum(1 for r in results if json.loads(r.formal_reasons)),
                   "proposed": sum(1 for r in results if r.proposed),
                   "on_list": sum(1 for r in results if r.proposed and r.removed_by is None),
                   "recognised": sum(1 for r in results if r.recognised),
                   "pending_objections": pending},
    }


def round_out(found: RecognitionRound) -> dict:
    benchmarks = (RoundBenchmark.select().where(RoundBenchmark.round_id == found.id)
                  .order_by(RoundBenchmark.industry_code, RoundBenchmark.position))
    results = (RoundResult.select().where(RoundResult.round_id == found.id)
               .order_by(RoundResult.industry_code, RoundResult.proposed.desc(), RoundResult.product_id))
    objections = (Objection.select().where(Objection.round_id == found.id)
                  .order_by(Objection.raised_at, Objection.id))
    return {
        **summary_out(found),
        "benchmarks": [{"industry_code": b.industry_code, "indicator": b.indicator, "indicator_name": b.indicator_name,
                        "value": b.value, "source": b.source, "statistic": b.statistic, "sample_size": b.sample_size,
                        "config_version": found.config_version} for b in benchmarks],
        "results": [result_out(r) for r in results],
        "objections": [objection_out(o) for o in objections],
    }


def result_out(result: RoundResult) -> dict:
    formal = json.loads(result.formal_reasons)
    indicators = json.loads(result.indicators)
    if formal:
        reasons = [f"formal check: {r['message']}" for r in formal]
    elif not result.proposed:
        reasons = [i["note"] for i in indicators if not i["reached"]]
    else:
        reasons = ["every indicator reaches its field's benchmark"]
    return {
        "product_id": result.product_id, "name": result.name, "brand": result.brand, "model": result.model,
        "organisation_name": result.organisation_name, "industry_code": result.industry_code,
        "province_code": result.province_code,
        "formal_check": {"passed": not formal, "reasons": formal},
        "indicators": indicators, "proposed": result.proposed, "reasons": reasons,
        "on_list": result.proposed and result.removed_by is None, "removed_by_objection": result.removed_by,
        "recognised": result.recognised,
    }


def objection_out(objection: Objection) -> dict:
    evidence = (ObjectionEvidence.select().where(ObjectionEvidence.objection_id == objection.id)
                .order_by(ObjectionEvidence.uploaded_at, ObjectionEvidence.id))
    decision = None
    if objection.state != "pending":
        decision = {"upheld": objection.state == "upheld", "reason": objection.decision_reason,
                    "decided_by": objection.decided_by, "decided_at": objection.decided_at}
    return {"id": objection.id, "product_id": objection.product_id, "reasons": objection.reasons,
            "raised_by": objection.raised_by, "raised_by_role": objection.raised_by_role,
            "raised_at": objection.raised_at, "state": objection.state, "decision": decision,
            "evidence": [evidence_out(objection, e) for e in evidence]}


def evidence_out(objection: Objection, evidence: ObjectionEvidence) -> dict:
    return {"id": evidence.id, "media_type": evidence.media_type, "size": evidence.size, "sha256": evidence.sha256,
            "original_name": evidence.original_name, "uploaded_at": evidence.uploaded_at,
            "url": EVIDENCE_PATH.format(round_id=objection.round_id, objection_id=objection.id,
                                        evidence_id=evidence.id)}


def public_out(found: RecognitionRound) -> dict:
    """The public notice: during it the proposed list as it stands, after finalisation the recognised."""
    if found.state == "finalised":
        listed = list(RoundResult.select().where((RoundResult.round_id == found.id) & RoundResult.recognised)
                      .order_by(RoundResult.industry_code, RoundResult.organisation_name, RoundResult.product_id))
    else:
        listed = standing(found.id)
    return {
        "id": found.id, "year": found.year, "state": found.state, "notice_ends_on": found.notice_ends_on,
        "published_at": found.published_at, "finalised_at": found.finalised_at,
        "products": [{"product_id": r.product_id, "name": r.name, "brand": r.brand, "model": r.model,
                      "organisation_name": r.organisation_name, "industry_code": r.industry_code,
                      "industry_name": classification().name_of(r.industry_code)} for r in listed],
    }
