"""Objections as the enterprises follow them: those their organisation (or their account, without
one) raised, with state and decision; and those raised against their organisation's products —
without who raised them (the objector stays unnamed to the owner). And the public notices: the
rounds published or finalised, newest first, for anyone to find one.
"""

from __future__ import annotations

from typing import Any

from platform_shared.pages import PageRequest
from platform_shared.principal import Principal
from platform_shared.quotas import owner_of
from review.domain.objections import Objection
from review.service_layer.unit_of_work import ReviewUnitOfWork

# How many objections a list shows (newest first): a following, not an archive.
LISTED = 200
NOTICES = 50


def _followed(objection: Objection, uow: ReviewUnitOfWork) -> dict[str, Any]:
    found = uow.rounds.get(objection.round_id)
    result = uow.results.get(objection.round_id, objection.product_id)
    decision = None
    if objection.state != "pending":
        decision = {"upheld": objection.upheld, "reason": objection.decision_reason or "",
                    "decided_at": objection.decided_at}
    return {"id": objection.id, "round_id": objection.round_id, "year": found.year if found else None,
            "round_state": found.state if found else None,
            "notice_ends_on": found.notice_ends_on if found else None,
            "product": {"product_id": objection.product_id, "name": result.name if result else "",
                        "model": result.model if result else "",
                        "organisation_name": result.organisation_name if result else ""},
            "reasons": objection.reasons, "raised_at": objection.raised_at, "state": objection.state,
            "decision": decision, "evidence_count": uow.evidence.count(objection.id)}


def raised(principal: Principal, uow: ReviewUnitOfWork) -> dict[str, Any]:
    """The objections the caller's organisation (or account, without one) raised, newest first."""
    owner = owner_of(principal.organisation_id, principal.account_id)
    with uow:
        return {"items": [_followed(o, uow) for o in uow.objections.raised_by_owner(owner.key, LISTED)]}


def received(organisation_id: str, uow: ReviewUnitOfWork) -> dict[str, Any]:
    """The objections to the organisation's products, newest first; who raised them is left out."""
    with uow:
        products = uow.filed_products.ids_of(organisation_id)
        return {"items": [_followed(o, uow) for o in uow.objections.about(products, LISTED)]}


def notices(uow: ReviewUnitOfWork) -> dict[str, Any]:
    """The rounds whose notice was published (running, or finalised since), newest first."""
    with uow:
        rounds = [*uow.rounds.page("published", None, PageRequest(per_page=NOTICES)).items,
                  *uow.rounds.page("finalised", None, PageRequest(per_page=NOTICES)).items]
        ordered = sorted(rounds, key=lambda r: (r.published_at or r.created_at, r.id), reverse=True)[:NOTICES]
        return {"items": [{"id": r.id, "year": r.year, "state": r.state, "notice_ends_on": r.notice_ends_on,
                           "published_at": r.published_at, "finalised_at": r.finalised_at,
                           "products": len(uow.results.recognised(r.id) if r.state == "finalised"
                                           else uow.results.standing(r.id))} for r in ordered]}
