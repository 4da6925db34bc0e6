"""The payloads of recognition's events, built from what review keeps (the round's results, its
own view of filed products for each product's owner), for the handlers to publish through the
outbox in the transaction of the change they tell of.

A result does not keep its product's organisation id; review's view of filed products does
(every result's product is one review heard filing of), so the owner is looked up there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from review.domain.objections import Objection
from review.domain.round_results import RoundResult
from review.domain.rounds import RecognitionRound
from review.service_layer.unit_of_work import ReviewUnitOfWork


def stamp(moment: dt.datetime) -> str:
    """A naive UTC moment as the events carry it."""
    return moment.replace(tzinfo=dt.UTC).isoformat()


def owner_of(product_id: str, uow: ReviewUnitOfWork) -> str | None:
    product = uow.filed_products.get(product_id)
    return product.organisation_id or None if product is not None else None


def _shortfalls(result: RoundResult) -> list[dict[str, Any]]:
    formal = [{"check": reason.check, "indicator": None, "indicator_name": None, "value": None, "benchmark": None,
               "note": reason.message} for reason in result.formal_reasons]
    return formal or [{"check": None, "indicator": i.code, "indicator_name": i.name, "value": i.value,
                       "benchmark": i.benchmark, "note": i.note} for i in result.indicators if not i.reached]


def published(found: RecognitionRound, standing: Iterable[RoundResult], every: Iterable[RoundResult],
              uow: ReviewUnitOfWork) -> dict[str, Any]:
    """`review.recognition_round.published`: the list as it stands, and (for their owners' mails)
    the opted-in products not proposed with what fell short."""
    assert found.notice_ends_on is not None  # noqa: S101 - published
    assert found.published_at is not None  # noqa: S101
    return {
        "round_id": found.id, "year": found.year, "notice_ends_on": found.notice_ends_on.isoformat(),
        "products": [{"product_id": r.product_id, "name": r.name, "model": r.model,
                      "organisation_name": r.organisation_name, "industry_code": r.industry_code,
                      "province_code": r.province_code, "organisation_id": owner_of(r.product_id, uow)}
                     for r in standing],
        "not_proposed": [{"product_id": r.product_id, "name": r.name, "model": r.model,
                          "organisation_id": owner, "organisation_name": r.organisation_name,
                          "industry_code": r.industry_code, "shortfalls": _shortfalls(r)}
                         for r in every if not r.proposed and (owner := owner_of(r.product_id, uow))],
        "published_at": stamp(found.published_at),
    }


def _product(result: RoundResult | None, product_id: str, uow: ReviewUnitOfWork) -> dict[str, Any]:
    return {"product_id": product_id, "name": result.name if result else "", "model": result.model if result else "",
            "organisation_id": owner_of(product_id, uow),
            "organisation_name": result.organisation_name if result else ""}


def objection_raised(found: RecognitionRound, objection: Objection, uow: ReviewUnitOfWork) -> dict[str, Any]:
    """`review.objection.raised`: the product and its owner, never who objected."""
    assert found.notice_ends_on is not None  # noqa: S101 - objections are raised during the notice only
    return {"objection_id": objection.id, "round_id": found.id, "year": found.year,
            "notice_ends_on": found.notice_ends_on.isoformat(),
            "product": _product(uow.results.get(found.id, objection.product_id), objection.product_id, uow),
            "reasons": objection.reasons, "raised_at": stamp(objection.raised_at)}


def objection_decided(found: RecognitionRound, objection: Objection, uow: ReviewUnitOfWork) -> dict[str, Any]:
    """`review.objection.decided`: the outcome, for the objector and the owner."""
    assert objection.decided_at is not None  # noqa: S101 - decided
    kind, _, key = objection.owner.partition(":")
    return {"objection_id": objection.id, "round_id": found.id, "year": found.year,
            "product": _product(uow.results.get(found.id, objection.product_id), objection.product_id, uow),
            "upheld": objection.upheld, "reason": objection.decision_reason or "",
            "raised_by": objection.raised_by,
            "raised_by_organisation_id": key if kind == "organisation" and key else None,
            "decided_at": stamp(objection.decided_at)}


def _why_not(result: RoundResult, recognised: set[str]) -> str | None:
    if result.product_id in recognised:
        return None
    if result.formal_reasons:
        return "formal_check"
    return "objection_upheld" if result.proposed and result.removed_by else "not_proposed"


def finalised(found: RecognitionRound, every: Iterable[RoundResult], recognised: Iterable[str],
              uow: ReviewUnitOfWork) -> dict[str, Any]:
    """`review.recognition_round.finalised`: each opted-in product recognised or not, and why not."""
    assert found.finalised_at is not None  # noqa: S101 - finalised
    standing = set(recognised)
    return {"round_id": found.id, "year": found.year, "finalised_at": stamp(found.finalised_at),
            "outcomes": [{"product_id": r.product_id, "name": r.name, "model": r.model,
                          "organisation_id": owner_of(r.product_id, uow), "organisation_name": r.organisation_name,
                          "industry_code": r.industry_code, "recognised": r.product_id in standing,
                          "why_not": _why_not(r, standing)} for r in every]}
