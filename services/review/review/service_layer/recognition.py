"""Recognition rounds as operators run them: open a round, evaluate it (formal check, then per
field benchmarks and results), publish the proposed list for the public notice, finalise it.

Each action is one transaction on the round's row (locked on PostgreSQL; SQLite's write lock
serialises them); publication and finalisation write their events in it (outbox), so the
round's new state and `review.recognition_round.published` / `review.product.recognised`
commit together or not at all. The patent registry is asked BEFORE the transaction opens: an
external call never holds the database, and when it cannot answer (503) nothing has changed.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal

import peewee

from platform_shared.auth.tokens import Principal
from platform_shared.database import is_postgres
from platform_shared.moments import utcnow
from platform_shared.patents.registry import PatentRegistry, RegistryUnavailable
from platform_shared.patents.verdict import PatentVerdict
from platform_shared.unit_of_work import UnitOfWork
from platform_shared.web.problems import Problem
from review.adapters.recognition_tables import FiledProduct, Objection, RecognitionRound, RoundBenchmark, RoundResult
from review.domain import rounds
from review.domain.indicators import IndicatorSet
from review.domain.recognition import FieldEvaluation, RoundTerms, evaluate_field
from review.service_layer import filed_products


def round_or_404(round_id: str, lock: bool = False) -> RecognitionRound:
    query = RecognitionRound.select().where(RecognitionRound.id == round_id)
    if lock and is_postgres(RecognitionRound._meta.database):
        query = query.for_update()
    found = query.first()
    if found is None:
        raise Problem(404, "No such recognition round.", slug="round-not-found")
    return found


def conflict(exc: rounds.RoundConflict) -> Problem:
    return Problem(409, str(exc), slug="wrong-round-state")


def broken(exc: rounds.RoundRuleBroken) -> Problem:
    return Problem(422, exc.message, slug="round-rule-broken", errors={exc.field: [exc.message]})


def open_round(year: int, cut_off: dt.date, industry_codes: list[str], principal: Principal,
               uow: UnitOfWork) -> RecognitionRound:
    with uow:
        return RecognitionRound.create(
            id=str(uuid.uuid4()), year=year, cut_off=cut_off, industry_codes=json.dumps(industry_codes),
            state="open", version=1, created_by=principal.account_id, created_at=utcnow())


def evaluate_round(round_id: str, given: Mapping[str, Mapping[str, str]], uow: UnitOfWork,
                   registry: PatentRegistry, indicators: IndicatorSet) -> RecognitionRound:
    """Formal check and evaluation per field; a new evaluation replaces the previous results."""
    found = round_or_404(round_id)
    try:
        rounds.ensure_can_evaluate(found.state)
    except rounds.RoundConflict as exc:
        raise conflict(exc) from None
    codes = json.loads(found.industry_codes)
    outside = sorted(set(given) - set(codes))
    if outside:
        raise Problem(422, "Benchmarks are given for the round's fields only.", slug="round-rule-broken",
                      errors={f"benchmarks.{code}": [f"the round does not cover field {code}"] for code in outside})
    terms = RoundTerms(found.year, found.cut_off)
    rows = {p.product_id: p for p in filed_products.opted_in(found.year, codes)}
    candidates = filed_products.facts_of(list(rows.values()), terms.data_year)
    # Only products with figures of the data year count in a statistic: only their patents are asked.
    population = [f for f in filed_products.facts_of(filed_products.on_record(codes), terms.data_year)
                  if f.figures is not None]
    verdicts = _ask_registry({p.number for f in (*candidates, *population) for p in f.patents}, registry)
    evaluations = [evaluate_field(code, indicators, terms, [c for c in candidates if c.industry_code == code],
                                  population, {k: Decimal(v) for k, v in given.get(code, {}).items()}, verdicts)
                   for code in codes]
    with uow:
        found = round_or_404(round_id, lock=True)
        try:
            rounds.ensure_can_evaluate(found.state)  # again: it may have been published meanwhile
        except rounds.RoundConflict as exc:
            raise conflict(exc) from None
        RoundBenchmark.delete().where(RoundBenchmark.round_id == found.id).execute()
        RoundResult.delete().where(RoundResult.round_id == found.id).execute()
        for evaluation in evaluations:
            _store(found.id, evaluation, indicators, rows)
        found.state, found.config_version, found.evaluated_at = "evaluated", indicators.version, utcnow()
        found.version += 1
        found.save()
        return found


def _ask_registry(numbers: Iterable[str], registry: PatentRegistry) -> dict[str, PatentVerdict]:
    try:
        return {number: registry.check(number) for number in sorted(numbers)}
    except RegistryUnavailable as exc:
        raise Problem(503, f"The patent registry cannot be reached now; nothing was evaluated. ({exc})",
                      slug="patent-registry-unavailable", headers={"Retry-After": "30"}) from None


def _store(round_id: str, evaluation: FieldEvaluation, indicators: IndicatorSet,
           products: Mapping[str, FiledProduct]) -> None:
    RoundBenchmark.insert_many([{
        "round_id": round_id, "industry_code": evaluation.industry_code, "indicator": b.indicator,
        "indicator_name": indicators.get(b.indicator).name, "position": position,
        "value": None if b.value is None else str(b.value), "source": b.source, "statistic": b.statistic,
        "sample_size": b.sample_size} for position, b in enumerate(evaluation.benchmarks)]).execute()
    rows = []
    for result in evaluation.results:
        product = products[result.product_id]
        rows.append({
            "round_id": round_id, "product_id": product.product_id, "industry_code": product.industry_code,
            "name": product.name, "brand": product.brand, "model": product.model,
            "organisation_name": product.organisation_name, "province_code": product.province_code,
            "formal_reasons": json.dumps([{"check": r.check, "message": r.message} for r in result.formal_reasons],
                                         ensure_ascii=False),
            "indicators": json.dumps([{
                "code": i.code, "name": indicators.get(i.code).name,
                "value": None if i.value is None else str(i.value),
                "benchmark": None if i.benchmark is None else str(i.benchmark),
                "reached": i.reached, "note": i.note} for i in result.indicators], ensure_ascii=False),
            "proposed": result.proposed, "removed_by": None, "recognised": False})
    for chunk in peewee.chunked(rows, 200):  # a field may hold thousands of products
        RoundResult.insert_many(chunk).execute()


def standing(round_id: str) -> list[RoundResult]:
    """The products on the round's list: proposed, and not taken off by an upheld objection."""
    return list(RoundResult.select().where((RoundResult.round_id == round_id) & RoundResult.proposed
                                           & RoundResult.removed_by.is_null())
                .order_by(RoundResult.industry_code, RoundResult.organisation_name, RoundResult.product_id))


def publish_round(round_id: str, notice_ends_on: dt.date, uow: UnitOfWork, today: dt.date) -> RecognitionRound:
    """Start the public notice (公示) of the proposed list until `notice_ends_on` (inclusive)."""
    with uow:
        found = round_or_404(round_id, lock=True)
        try:
            rounds.ensure_can_publish(found.state, notice_ends_on, today)
        except rounds.RoundConflict as exc:
            raise conflict(exc) from None
        except rounds.RoundRuleBroken as exc:
            raise broken(exc) from None
        now = utcnow()
        found.state, found.notice_ends_on, found.published_at = "published", notice_ends_on, now
        found.version += 1
        found.save()
        uow.publish("review.recognition_round.published", {
            "round_id": found.id, "year": found.year, "notice_ends_on": notice_ends_on.isoformat(),
            "products": [{"product_id": r.product_id, "name": r.name, "model": r.model,
                          "organisation_name": r.organisation_name, "industry_code": r.industry_code,
                          "province_code": r.province_code} for r in standing(found.id)],
            "published_at": now.replace(tzinfo=dt.UTC).isoformat()},
            aggregate_id=found.id, aggregate_version=found.version)
        return found


def finalise_round(round_id: str, uow: UnitOfWork, today: dt.date) -> RecognitionRound:
    """Recognise the products that stand: `review.product.recognised` for each, with the state change."""
    with uow:
        found = round_or_404(round_id, lock=True)
        pending = Objection.select().where((Objection.round_id == found.id) & (Objection.state == "pending")).count()
        try:
            rounds.ensure_can_finalise(found.state, found.notice_ends_on, today, pending)
        except rounds.RoundConflict as exc:
            raise conflict(exc) from None
        now = utcnow()
        found.state, found.finalised_at = "finalised", now
        found.version += 1
        found.save()
        stamp = now.replace(tzinfo=dt.UTC).isoformat()
        stands = standing(found.id)
        RoundResult.update(recognised=True).where(RoundResult.id.in_([r.id for r in stands])).execute()
        for result in stands:
            uow.publish("review.product.recognised", {
                "product_id": result.product_id, "round_id": found.id, "year": found.year,
                "industry_code": result.industry_code, "recognised_at": stamp},
                aggregate_id=found.id, aggregate_version=found.version)
        return found
