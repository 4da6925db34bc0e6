"""Applying review's work to products: decisions (`review.decision.made`, kind `product`; kind
`product_amendment` is `amendments.on_amendment_decided`'s) and recognition
(`review.product.recognised`).

approve → `filed` with its filing number; reject → `rejected` (the claim on the brand and
model released); return → `returned` with the reasons per field. Each publishes filing's
event, in the unit of work of the incoming event (with its inbox row).

A decision or recognition that does not fit (unknown product, wrong status, task decided
before) is logged and acknowledged without effect: raising would only dead-letter it after
retries, and no retry could make it fit.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from filing.domain.lifecycle import TransitionRefused, next_status
from filing.domain.products import Product
from filing.domain.review_outcomes import Recognition
from filing.service_layer import amendments
from filing.service_layer.applied_decisions import record_decision
from filing.service_layer.declarations import declaration_of, identity_of, organisation_of, utc_stamp
from filing.service_layer.filing_numbers import next_filing_number
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.events.envelope import Envelope
from platform_shared.moments import naive_utc, utcnow

log = logging.getLogger(__name__)
ACTION_OF_OUTCOME = {"approve": "approve", "reject": "reject", "return": "return"}


def on_decision_made(event: Envelope, uow: FilingUnitOfWork) -> None:
    data = event.data
    if data["kind"] == amendments.KIND:
        amendments.on_amendment_decided(event, uow)
        return
    if data["kind"] != "product":
        return  # organisations (and their changes) are identity's
    product = uow.products.get(data["subject_id"])
    why = _why_ignored(product, data, uow)
    if why or product is None:
        log.warning("decision %s of task %s on product %s ignored: %s", event.id, data["task_id"],
                    data["subject_id"], why)
        return
    now = utcnow()
    last_decision, reasons = record_decision(event, product.id, now, uow)
    organisation = organisation_of(uow, product)
    filing_event = product.move(ACTION_OF_OUTCOME[data["outcome"]], now)
    product.last_decision = last_decision
    status = product.status
    if status == "filed":
        province_code = product.province_code or (organisation.province_code if organisation else "")
        product.filing_number = next_filing_number(uow, now.year, province_code)
        product.filed_at = now
        uow.products.save(product)
        uow.publish(filing_event, {
            **declaration_of(uow, product, organisation), "filing_number": product.filing_number,
            "task_id": data["task_id"], "filed_at": utc_stamp(now)},
            aggregate_id=product.id, aggregate_version=product.version)
        return
    if status == "rejected":
        uow.claims.release(product.id)
    uow.products.save(product)
    uow.publish(filing_event, {
        **identity_of(product, organisation), "task_id": data["task_id"], "reasons": reasons,
        f"{status}_at": utc_stamp(now)}, aggregate_id=product.id, aggregate_version=product.version)


def on_product_recognised(event: Envelope, uow: FilingUnitOfWork) -> None:
    data = event.data
    product = uow.products.get(data["product_id"])
    if product is None:
        log.warning("recognition %s of unknown product %s ignored", event.id, data["product_id"])
        return
    if data["year"] in uow.recognitions.years_of(product.id):
        return  # already applied (the inbox catches repeats; this catches a second round of the same year)
    now = utcnow()
    try:
        filing_event = product.move("recognise", now)
    except TransitionRefused as exc:
        log.warning("recognition %s of product %s ignored: %s", event.id, product.id, exc)
        return
    uow.recognitions.add(Recognition(product_id=product.id, year=data["year"], round_id=data["round_id"],
                                     recognised_at=naive_utc(data["recognised_at"])))
    uow.products.save(product)
    uow.publish(filing_event, {
        **identity_of(product, organisation_of(uow, product)), "filing_number": product.filing_number,
        "year": data["year"], "round_id": data["round_id"], "recognised_at": utc_stamp(now)},
        aggregate_id=product.id, aggregate_version=product.version)


def _why_ignored(product: Product | None, data: Mapping[str, Any], uow: FilingUnitOfWork) -> str | None:
    if product is None:
        return "no such product"
    if uow.decisions.exists(data["task_id"]):
        return "this task was decided before"
    seen = data.get("submission")
    if seen is not None and seen != product.submissions:
        # Withdrawn, changed and submitted again while the decision was on its way: the reviewer
        # decided on content that is no longer the product's; the new submission has its own task.
        return f"the decision is of submission {seen}, the product is at submission {product.submissions}"
    try:
        next_status(product.status, ACTION_OF_OUTCOME[data["outcome"]])
    except TransitionRefused as exc:
        return str(exc)
    return None
