"""Amending a filed product (变更): opening an amendment, changing it, submitting it (checked by
the rules of a submission, against the patent register), withdrawing it, reading them, and
applying review's decision (`review.decision.made`, kind `product_amendment`).

The product stays filed, with its approved state and certificate, while its amendment is open.
On approval the amended variants, patents and materials become the product's, its filing number
stays and its edition goes up; on rejection nothing of the product changes; on return the
enterprise changes the amendment and submits it again.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping
from typing import Any

from filing.domain.amendments import Amendment, changed_fields, ensure_amendable
from filing.domain.commands import ChangeAmendment, OpenAmendment, SubmitAmendment, WithdrawAmendment
from filing.domain.products import Product
from filing.service_layer.access import own_product, visible_product
from filing.service_layer.amendment_access import amendment_of_product, editable_amendment
from filing.service_layer.applied_decisions import record_decision
from filing.service_layer.declarations import declaration_of, declared_lists, identity_of, organisation_of, utc_stamp
from filing.service_layer.patent_rechecks import amendment_key
from filing.service_layer.product_views import material_out
from filing.service_layer.submission import ask_registry, checked_rules, claims_of
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.errors import Conflict
from platform_shared.events.envelope import Envelope
from platform_shared.moments import utcnow
from platform_shared.patents.registry import PatentRegistry
from platform_shared.principal import Principal

log = logging.getLogger(__name__)
KIND = "product_amendment"


def handle_open(command: OpenAmendment, uow: FilingUnitOfWork) -> Amendment:
    """A draft amendment of a filed product of the caller's organisation, starting from its
    current variants and patents with `changes` applied; `Conflict` unless the product is on
    record and has no open amendment."""
    with uow:
        product = own_product(command.principal, command.product_id, uow)
        uow.organisations.lock(product.organisation_id)  # two opened at once: the second waits, then sees the first
        ensure_amendable(product, uow.amendments.open_of(product.id))
        now = utcnow()
        amendment = Amendment.open(str(uuid.uuid4()), product, uow.patents.of_product(product.id),
                                   command.principal.account_id, now)
        amendment.declare(command.changes, now)
        amendment.version = 1
        uow.amendments.add(amendment)
        uow.audit("amendment.opened", "product", product.id, {"amendment_id": amendment.id})
        return amendment


def handle_change(command: ChangeAmendment, uow: FilingUnitOfWork) -> Amendment:
    with uow:
        product = own_product(command.principal, command.product_id, uow)
        amendment = editable_amendment(product, command.amendment_id, uow)
        amendment.declare(command.changes, utcnow())
        uow.amendments.save(amendment)
        return amendment


def handle_submit(command: SubmitAmendment, uow: FilingUnitOfWork, registry: PatentRegistry,
                  today: dt.date) -> Amendment:
    """Check the amended state by the rules of a submission and send it to review.

    `RuleBroken` naming each field (`patents.0.number`…) when a rule fails; `Conflict` when the
    amendment is not a draft or returned, or changed while the register was asked;
    `Unavailable` when the register cannot answer.
    """
    with uow:
        product = own_product(command.principal, command.product_id, uow)
        amendment = editable_amendment(product, command.amendment_id, uow)
        patents = claims_of(amendment.patents)
        seen_version = amendment.version
    verdicts = ask_registry(patents, registry)
    with uow:
        product = own_product(command.principal, command.product_id, uow)
        amendment = amendment_of_product(product, command.amendment_id, uow)
        if amendment.version != seen_version:
            raise Conflict("The amendment changed while it was being checked; submit again.", slug="edit-conflict")
        ensure_amendable(product, None)
        organisation = organisation_of(uow, product)
        checks = checked_rules(uow, product, organisation, patents, verdicts, today, "amendment")
        now = utcnow()
        event = amendment.move("submit", now)
        amendment.submissions += 1
        amendment.submitted_at = now
        uow.amendments.save(amendment)
        by_number = {check.number: check.as_dict() for check in checks if check is not None}
        amended = _amended_lists(amendment, uow)
        for patent in amended["patents"]:
            patent["register"] = by_number.get(patent["number"])
        before = declared_lists(amendment.before_variants, amendment.before_patents,
                                uow.materials.of_product(product.id))
        uow.publish(event, {
            **declaration_of(uow, product, organisation), **amended, "before": before,
            "filing_number": product.filing_number, "amendment_id": amendment.id, "edition": product.edition,
            "changed": changed_fields(amendment), "submission": amendment.submissions,
            "submitted_at": utc_stamp(now)}, aggregate_id=product.id, aggregate_version=product.version)
        return amendment


def handle_withdraw(command: WithdrawAmendment, uow: FilingUnitOfWork) -> Amendment:
    """Take the amendment back (a draft, or before review's decision): closed, its materials gone."""
    with uow:
        product = own_product(command.principal, command.product_id, uow)
        amendment = amendment_of_product(product, command.amendment_id, uow)
        _withdraw(product, amendment, uow)
        return amendment


def close_open_amendment(product: Product, uow: FilingUnitOfWork) -> None:
    """Within the caller's transaction (the filing is cancelled or revoked): its open amendment
    is withdrawn, so review's pending task is cancelled and nothing waits on a closed filing."""
    amendment = uow.amendments.open_of(product.id)
    if amendment is not None:
        _withdraw(product, amendment, uow)


def _withdraw(product: Product, amendment: Amendment, uow: FilingUnitOfWork) -> None:
    was = amendment.status
    now = utcnow()
    event = amendment.move("withdraw", now)
    uow.materials.drop_amendment(amendment.id)
    uow.amendments.save(amendment)
    if was != "draft":  # a draft was never before review: nobody else has heard of it
        uow.publish(event, {**identity_of(product, organisation_of(uow, product)),
                            "filing_number": product.filing_number, "amendment_id": amendment.id,
                            "withdrawn_at": utc_stamp(now)},
                    aggregate_id=product.id, aggregate_version=product.version)


def amendments_of(product_id: str, principal: Principal, uow: FilingUnitOfWork) -> list[dict[str, Any]]:
    """The product's amendments, newest first (its members, reviewers, operators)."""
    with uow:
        product = visible_product(principal, product_id, uow)
        return [amendment_out(a, uow) for a in uow.amendments.of_product(product.id)]


def amendment_read(product_id: str, amendment_id: str, principal: Principal, uow: FilingUnitOfWork) -> dict[str, Any]:
    with uow:
        product = visible_product(principal, product_id, uow)
        return amendment_out(amendment_of_product(product, amendment_id, uow), uow)


def amendment_out(amendment: Amendment, uow: FilingUnitOfWork) -> dict[str, Any]:
    """An amendment as the API shows it."""
    decision = amendment.last_decision
    return {"id": amendment.id, "product_id": amendment.product_id, "status": amendment.status,
            "variants": list(amendment.variants), "patents": [p.as_dict() for p in amendment.patents],
            "before": {"variants": list(amendment.before_variants),
                       "patents": [p.as_dict() for p in amendment.before_patents]},
            "changed": changed_fields(amendment),
            "materials": [material_out(m) for m in uow.materials.of_amendment(amendment.id)],
            "version": amendment.version, "submissions": amendment.submissions,
            "submitted_at": amendment.submitted_at, "edition": amendment.edition,
            "last_decision": decision and {**decision, "decided_at": dt.datetime.fromisoformat(decision["decided_at"])},
            "created_at": amendment.created_at, "updated_at": amendment.updated_at, "closed_at": amendment.closed_at}


# --- review's decision ----------------------------------------------------------------------------

def on_amendment_decided(event: Envelope, uow: FilingUnitOfWork) -> None:
    """approve → the amended state is the product's (edition + 1, the filing number kept);
    reject → the product unchanged, the amendment closed with the reasons; return → the
    enterprise may change and submit it again. A decision that does not fit is logged and
    acknowledged without effect (as for products)."""
    data = event.data
    amendment = uow.amendments.get(data["subject_id"])
    product = uow.products.get(amendment.product_id) if amendment else None
    why = _why_ignored(amendment, product, data, uow)
    if why or amendment is None or product is None:
        log.warning("decision %s of task %s on amendment %s ignored: %s", event.id, data["task_id"],
                    data["subject_id"], why)
        return
    now = utcnow()
    last_decision, reasons = record_decision(event, product.id, now, uow)
    filing_event = amendment.move(data["outcome"], now)
    amendment.last_decision = last_decision
    organisation = organisation_of(uow, product)
    common = {"filing_number": product.filing_number, "amendment_id": amendment.id, "task_id": data["task_id"]}
    if amendment.status == "approved":
        amendment.apply_to(product, now)
        uow.patents.replace(product.id, amendment.patents)
        uow.materials.adopt(amendment.id)
        uow.products.save(product)
        uow.amendments.save(amendment)
        uow.publish(filing_event, {**declaration_of(uow, product, organisation), **common,
                                   "edition": product.edition, "amended_at": utc_stamp(now)},
                    aggregate_id=product.id, aggregate_version=product.version)
        if product.at_risk_since is not None or product.suspended_at is not None:
            # A lost patent replaced: the worker re-checks the product's new patents now (the
            # registry is never asked in a consumer's transaction), not at next month's run.
            uow.recheck_requests.ask(amendment_key(amendment.id), now)
        return
    if amendment.status == "rejected":
        uow.materials.drop_amendment(amendment.id)
    uow.amendments.save(amendment)
    uow.publish(filing_event, {**identity_of(product, organisation), **common, "reasons": reasons,
                               f"{amendment.status}_at": utc_stamp(now)},
                aggregate_id=product.id, aggregate_version=product.version)


def _why_ignored(amendment: Amendment | None, product: Product | None, data: Mapping[str, Any],
                 uow: FilingUnitOfWork) -> str | None:
    if amendment is None or product is None:
        return "no such amendment"
    if uow.decisions.exists(data["task_id"]):
        return "this task was decided before"
    seen = data.get("submission")
    if seen is not None and seen != amendment.submissions:
        return f"the decision is of submission {seen}, the amendment is at submission {amendment.submissions}"
    if data["outcome"] == "approve" and not product.on_record:
        return f"the product is {product.status}: only a filed product takes an amendment"
    if not amendment.allows(data["outcome"]):
        return f"the amendment is {amendment.status}"
    return None


def _amended_lists(amendment: Amendment, uow: FilingUnitOfWork) -> dict[str, Any]:
    """The product's lists as the amendment would make them: its materials and the amendment's."""
    materials = [*uow.materials.of_product(amendment.product_id), *uow.materials.of_amendment(amendment.id)]
    return declared_lists(amendment.variants, amendment.patents, materials)
