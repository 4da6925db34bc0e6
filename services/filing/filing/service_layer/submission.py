"""Submitting a product for review, and taking a submission back.

The patent registry is asked before the transaction (it may be a remote service; a database
transaction must not wait on it), then the product is checked again inside the transaction:
if it changed in between, the submission is refused as a conflict rather than made on data
the registry never saw.
"""

from __future__ import annotations

import datetime as dt

from filing.adapters.orm import EconomicYear, PatentDeclaration, Product
from filing.domain.lifecycle import TransitionRefused, next_status
from filing.domain.rules import PatentClaim, submission_problems
from filing.service_layer.access import organisation_of, own_product
from filing.service_layer.claims import release_claim, take_claim
from filing.service_layer.declarations import declaration_of, identity_of
from platform_shared.auth.tokens import Principal
from platform_shared.moments import utcnow
from platform_shared.patents.registry import PatentRegistry, RegistryUnavailable
from platform_shared.patents.verdict import PatentVerdict
from platform_shared.unit_of_work import UnitOfWork
from platform_shared.web.problems import Problem


def refused(exc: TransitionRefused) -> Problem:
    return Problem(409, str(exc), slug="wrong-status")


def submit(product_id: str, principal: Principal, uow: UnitOfWork, registry: PatentRegistry,
           today: dt.date) -> Product:
    """Check the rules and submit: `submitted`, the brand and model claimed, the event queued.

    422 naming each field when a rule fails; 409 when the status does not allow it or the same
    product is filed or under review already; 503 when the patent registry cannot answer.
    """
    product = own_product(principal, product_id)
    _submittable(product)
    patents = _patent_claims(product)
    seen_version = product.version
    verdicts = _ask_registry(patents, registry)
    with uow:
        product = own_product(principal, product_id)
        if product.version != seen_version:
            raise Problem(409, "The product changed while it was being checked; submit again.", slug="edit-conflict")
        status = _submittable(product)
        organisation = organisation_of(product.organisation_id)
        years = [y.year for y in EconomicYear.select(EconomicYear.year).where(EconomicYear.product == product.id)]
        problems = submission_problems(organisation_status=organisation.status if organisation else None,
                                       economic_years=years, patents=patents, verdicts=verdicts, today=today)
        if problems:
            raise Problem(422, "The product cannot be submitted yet: " + " ".join(
                message for messages in problems.values() for message in messages),
                slug="submission-rule-broken", errors=problems)
        now = utcnow()
        take_claim(product, now)
        product.status = status
        product.version += 1
        product.submissions += 1
        product.province_code = organisation.province_code
        product.submitted_at = now
        product.updated_at = now
        product.save()
        uow.publish("filing.product.submitted", {
            **declaration_of(product, organisation), "submission": product.submissions,
            "submitted_at": now.replace(tzinfo=dt.UTC).isoformat()},
            aggregate_id=product.id, aggregate_version=product.version)
        return product


def withdraw(product_id: str, principal: Principal, uow: UnitOfWork) -> Product:
    """Take a submission back before its decision (or a returned product out of review): a draft
    again, the claim on its brand and model released."""
    with uow:
        product = own_product(principal, product_id)
        try:
            product.status = next_status(product.status, "withdraw")
        except TransitionRefused as exc:
            raise refused(exc) from None
        now = utcnow()
        release_claim(product)
        product.version += 1
        product.updated_at = now
        product.save()
        uow.publish("filing.product.withdrawn", {
            **identity_of(product, organisation_of(product.organisation_id)),
            "withdrawn_at": now.replace(tzinfo=dt.UTC).isoformat()},
            aggregate_id=product.id, aggregate_version=product.version)
        return product


def _submittable(product: Product) -> str:
    try:
        return next_status(product.status, "submit")
    except TransitionRefused as exc:
        raise refused(exc) from None


def _patent_claims(product: Product) -> list[PatentClaim]:
    rows = (PatentDeclaration.select().where(PatentDeclaration.product == product.id)
            .order_by(PatentDeclaration.position))
    return [PatentClaim(p.number, p.relation, p.license_record_no, p.dispute) for p in rows]


def _ask_registry(patents: list[PatentClaim], registry: PatentRegistry) -> dict[str, PatentVerdict]:
    try:
        return {p.number: registry.check(p.number) for p in patents}
    except RegistryUnavailable as exc:
        raise Problem(503, f"The patent registry cannot be reached now; nothing was submitted. ({exc})",
                      slug="patent-registry-unavailable", headers={"Retry-After": "30"}) from None
