"""Recognition rounds as operators run them: open a round, evaluate it (formal check, then per
field benchmarks and results), publish the proposed list for the public notice, finalise it.

Each action is one transaction on the round's row (locked on PostgreSQL; SQLite's write lock
serialises them); publication and finalisation write their events in it (outbox), so the
round's new state and `review.recognition_round.published` / `review.product.recognised` and
`review.recognition_round.finalised` commit together or not at all. The patent registry is asked
BEFORE the transaction opens: an external call never holds the database, and when it cannot
answer (503) nothing has changed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal

from platform_shared.errors import DuplicateRecord, NotFound, RuleBroken, Unavailable
from platform_shared.moments import utcnow
from platform_shared.patents.registry import PatentRegistry, RegistryUnavailable
from platform_shared.patents.verdict import PatentVerdict
from review.domain.commands import CloseRound, EvaluateRound, FinaliseRound, OpenRound, PublishRound
from review.domain.indicators import IndicatorSet
from review.domain.recognition import evaluate_field, missing_benchmarks
from review.domain.round_results import benchmarks_of, results_of
from review.domain.rounds import RecognitionRound, ensure_none_under_way
from review.service_layer import recognition_events as events
from review.service_layer.filed_products import facts_of
from review.service_layer.unit_of_work import ReviewUnitOfWork


def round_of(round_id: str, uow: ReviewUnitOfWork, *, for_update: bool = False) -> RecognitionRound:
    found = uow.rounds.get(round_id, for_update=for_update)
    if found is None:
        raise NotFound("No such recognition round.", slug="round-not-found")
    return found


def handle_open_round(command: OpenRound, uow: ReviewUnitOfWork) -> RecognitionRound:
    """A new round of the year; `Conflict` while another round of that year is under way."""
    found = RecognitionRound(id=str(uuid.uuid4()), year=command.year, cut_off=command.cut_off,
                             industry_codes=command.industry_codes, created_by=command.principal.account_id,
                             created_at=utcnow())
    try:
        with uow:
            ensure_none_under_way(command.year, uow.rounds.under_way(command.year))
            uow.rounds.add(found)
            uow.audit("round.opened", "recognition_round", found.id,
                      {"year": found.year, "fields": list(found.industry_codes)})
            # Filing re-checks its products' patents against the register before the formal check.
            uow.publish("review.recognition_round.opened", {
                "round_id": found.id, "year": found.year, "cut_off": found.cut_off.isoformat(),
                "industry_codes": list(found.industry_codes),
                "opened_at": found.created_at.replace(tzinfo=dt.UTC).isoformat()},
                aggregate_id=found.id, aggregate_version=found.version)
    except DuplicateRecord:  # another operator opened one of that year meanwhile
        with uow:
            ensure_none_under_way(command.year, uow.rounds.under_way(command.year))
        raise
    return found


def handle_close_round(command: CloseRound, uow: ReviewUnitOfWork) -> RecognitionRound:
    """Close a round that is under way, with the operator's reason: nothing of it is recognised,
    its public notice (if published) ends, and the year may have another round. Audited."""
    with uow:
        found = round_of(command.round_id, uow, for_update=True)
        previous = found.state
        found.close(command.reason, utcnow())
        uow.rounds.save(found)
        uow.audit("round.closed", "recognition_round", found.id,
                  {"year": found.year, "was": previous, "reason": command.reason})
        return found


def handle_evaluate_round(command: EvaluateRound, uow: ReviewUnitOfWork, registry: PatentRegistry,
                          indicators: IndicatorSet, minimum_sample: int = 1) -> RecognitionRound:
    """Formal check and evaluation per field; a new evaluation replaces the previous results.
    A benchmark that products of a field need and that cannot be derived (no product, or fewer
    than `minimum_sample`, has a value) must be given: `RuleBroken` naming each, nothing written."""
    with uow:  # what the evaluation reads
        found = round_of(command.round_id, uow)
        found.ensure_can_evaluate()
        outside = found.outside_fields(set(command.benchmarks))
        if outside:
            raise RuleBroken({f"benchmarks.{code}": [f"the round does not cover field {code}"] for code in outside},
                             "Benchmarks are given for the round's fields only.", slug="round-rule-broken")
        terms, codes = found.terms, found.industry_codes
        products = {p.product_id: p for p in uow.filed_products.opted_in(found.year, codes)}
        candidates = facts_of(products.values(), terms.data_year, uow)
        # Only products with figures of the data year count in a statistic: only their patents are asked.
        population = [f for f in facts_of(uow.filed_products.on_record(codes), terms.data_year, uow)
                      if f.figures is not None]
    verdicts = _ask_registry({p.number for f in (*candidates, *population) for p in f.patents}, registry)
    evaluations = [evaluate_field(code, indicators, terms, [c for c in candidates if c.industry_code == code],
                                  population, {k: Decimal(v) for k, v in command.benchmarks.get(code, {}).items()},
                                  verdicts, minimum_sample)
                   for code in codes]
    missing = {path: why for e in evaluations for path, why in missing_benchmarks(e).items()}
    if missing:
        raise RuleBroken(missing, "Some benchmarks cannot be derived from the field's data: give them.",
                         slug="round-rule-broken")
    with uow:
        found = round_of(command.round_id, uow, for_update=True)
        found.evaluated(indicators.version, utcnow())  # again: it may have been published meanwhile
        uow.results.replace(found.id, [b for e in evaluations for b in benchmarks_of(found.id, e, indicators)],
                            [r for e in evaluations for r in results_of(found.id, e, indicators, products)])
        uow.rounds.save(found)
        return found


def _ask_registry(numbers: Iterable[str], registry: PatentRegistry) -> dict[str, PatentVerdict]:
    try:
        return {number: registry.check(number) for number in sorted(numbers)}
    except RegistryUnavailable as exc:
        raise Unavailable(f"The patent registry cannot be reached now; nothing was evaluated. ({exc})",
                          slug="patent-registry-unavailable", retry_after=30) from None


def handle_publish_round(command: PublishRound, uow: ReviewUnitOfWork, today: dt.date) -> RecognitionRound:
    """Start the public notice (公示) of the proposed list until `notice_ends_on` (inclusive)."""
    with uow:
        found = round_of(command.round_id, uow, for_update=True)
        now = utcnow()
        found.publish(command.notice_ends_on, today, now)
        uow.rounds.save(found)
        uow.publish("review.recognition_round.published",
                    events.published(found, uow.results.standing(found.id), uow.results.of_round(found.id), uow),
                    aggregate_id=found.id, aggregate_version=found.version)
        return found


def handle_finalise_round(command: FinaliseRound, uow: ReviewUnitOfWork, today: dt.date) -> RecognitionRound:
    """Recognise the products that stand: `review.product.recognised` for each, with the state change."""
    with uow:
        found = round_of(command.round_id, uow, for_update=True)
        now = utcnow()
        found.finalise(today, uow.objections.pending_count(found.id), now)
        uow.rounds.save(found)
        stamp = events.stamp(now)
        stands = uow.results.standing(found.id)
        uow.results.mark_recognised(found.id, [r.product_id for r in stands])
        for result in stands:
            uow.publish("review.product.recognised", {
                "product_id": result.product_id, "round_id": found.id, "year": found.year,
                "industry_code": result.industry_code, "recognised_at": stamp},
                aggregate_id=found.id, aggregate_version=found.version)
        uow.publish("review.recognition_round.finalised",
                    events.finalised(found, uow.results.of_round(found.id), [r.product_id for r in stands], uow),
                    aggregate_id=found.id, aggregate_version=found.version)
        return found
