"""Applying review's work to products: decisions (`review.decision.made`, kind `product`) and
recognition (`review.product.recognised`).

approve → `filed` with its filing number; reject → `rejected` (the claim on the brand and
model released); return → `returned` with the reasons per field. Each publishes filing's
event, in the unit of work of the incoming event (with its inbox row).

A decision or recognition that does not fit (unknown product, wrong status, task decided
before) is logged and acknowledged without effect: raising would only dead-letter it after
retries, and no retry could make it fit.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from filing.adapters.orm import Product, ProductDecision, Recognition
from filing.domain.lifecycle import TransitionRefused, next_status
from filing.service_layer.access import organisation_of
from filing.service_layer.claims import release_claim
from filing.service_layer.declarations import declaration_of, identity_of
from filing.service_layer.filing_numbers import next_filing_number
from platform_shared.events.envelope import Envelope
from platform_shared.moments import naive_utc, utcnow
from platform_shared.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
ACTION_OF_OUTCOME = {"approve": "approve", "reject": "reject", "return": "return"}


def on_decision_made(event: Envelope, uow: UnitOfWork) -> None:
    data = event.data
    if data["kind"] != "product":
        return  # organisations are identity's
    product = Product.get_or_none(Product.id == data["subject_id"])
    why = _why_ignored(product, data)
    if why:
        log.warning("decision %s of task %s on product %s ignored: %s", event.id, data["task_id"],
                    data["subject_id"], why)
        return
    status = next_status(product.status, ACTION_OF_OUTCOME[data["outcome"]])
    now = utcnow()
    decided_at = naive_utc(data["decided_at"])
    reasons = [{"field": r["field"], "message": r["message"]} for r in data.get("reasons") or []]
    ProductDecision.create(task_id=data["task_id"], product=product.id, outcome=data["outcome"],
                           reasons=json.dumps(reasons, ensure_ascii=False), reviewer_id=data["reviewer_id"],
                           decided_at=decided_at, applied_at=now, event_id=event.id)
    organisation = organisation_of(product.organisation_id)
    product.status = status
    product.version += 1
    product.updated_at = now
    product.last_decision = json.dumps({"task_id": data["task_id"], "outcome": data["outcome"], "reasons": reasons,
                                        "decided_at": decided_at.isoformat()}, ensure_ascii=False)
    stamp = now.replace(tzinfo=dt.UTC).isoformat()
    if status == "filed":
        product.filing_number = next_filing_number(now.year, product.province_code or organisation.province_code)
        product.filed_at = now
        product.save()
        uow.publish("filing.product.filed", {
            **declaration_of(product, organisation), "filing_number": product.filing_number,
            "task_id": data["task_id"], "filed_at": stamp}, aggregate_id=product.id, aggregate_version=product.version)
        return
    if status == "rejected":
        release_claim(product)
    product.save()
    uow.publish(f"filing.product.{status}", {
        **identity_of(product, organisation), "task_id": data["task_id"], "reasons": reasons,
        f"{status}_at": stamp}, aggregate_id=product.id, aggregate_version=product.version)


def on_product_recognised(event: Envelope, uow: UnitOfWork) -> None:
    data = event.data
    product = Product.get_or_none(Product.id == data["product_id"])
    if product is None:
        log.warning("recognition %s of unknown product %s ignored", event.id, data["product_id"])
        return
    if Recognition.select().where((Recognition.product == product.id) & (Recognition.year == data["year"])).exists():
        return  # already applied (the inbox catches repeats; this catches a second round of the same year)
    try:
        product.status = next_status(product.status, "recognise")
    except TransitionRefused as exc:
        log.warning("recognition %s of product %s ignored: %s", event.id, product.id, exc)
        return
    now = utcnow()
    Recognition.create(product=product.id, year=data["year"], round_id=data["round_id"],
                       recognised_at=naive_utc(data["recognised_at"]))
    product.version += 1
    product.updated_at = now
    product.save()
    uow.publish("filing.product.recognised", {
        **identity_of(product, organisation_of(product.organisation_id)), "filing_number": product.filing_number,
        "year": data["year"], "round_id": data["round_id"], "recognised_at": now.replace(tzinfo=dt.UTC).isoformat()},
        aggregate_id=product.id, aggregate_version=product.version)


def _why_ignored(product: Product | None, data: dict) -> str | None:
    if product is None:
        return "no such product"
    if ProductDecision.select().where(ProductDecision.task_id == data["task_id"]).exists():
        return "this task was decided before"
    try:
        next_status(product.status, ACTION_OF_OUTCOME[data["outcome"]])
    except TransitionRefused as exc:
        return str(exc)
    return None
