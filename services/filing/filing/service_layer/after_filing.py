"""What happens to a product on record: the annual update of its figures, opting in to a
year's recognition, cancellation by its owner and revocation by an operator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from filing.adapters.orm import EconomicYear, Product, RecognitionOptIn
from filing.domain.annual_update import AnnualUpdateWindow, update_year_problem
from filing.domain.lifecycle import ON_RECORD, TransitionRefused, next_status
from filing.service_layer.access import organisation_of, own_product, visible_product
from filing.service_layer.claims import release_claim
from filing.service_layer.declarations import economic_out, economic_row, identity_of
from filing.service_layer.submission import refused
from platform_shared.auth.tokens import Principal
from platform_shared.moments import utcnow
from platform_shared.unit_of_work import UnitOfWork
from platform_shared.web.problems import Problem


def _on_record(product: Product, what: str) -> None:
    if product.status not in ON_RECORD:
        raise Problem(409, f"Only a filed product has {what}; this product is {product.status}.", slug="wrong-status")


def update_annual_data(product_id: str, year: int, figures: Mapping[str, Any], principal: Principal,
                       uow: UnitOfWork, window: AnnualUpdateWindow, today: dt.date) -> dict:
    """The owner gives the previous year's figures of a filed product, inside the window."""
    with uow:
        product = own_product(principal, product_id)
        _on_record(product, "an annual update")
        if not window.contains(today):
            raise Problem(409, f"The annual update is open from {window.describe()} each year; "
                          f"today ({today.isoformat()}) is outside it.", slug="outside-annual-update-window")
        problem = update_year_problem(year, today)
        if problem:
            raise Problem(422, problem, slug="wrong-year", errors={"year": [problem]})
        now = utcnow()
        row = economic_row(product.id, {**figures, "year": year}, now)
        EconomicYear.insert(row).on_conflict(
            conflict_target=[EconomicYear.product, EconomicYear.year],
            update={getattr(EconomicYear, k): v for k, v in row.items() if k not in ("product", "year")}).execute()
        stored = EconomicYear.get((EconomicYear.product == product.id) & (EconomicYear.year == year))
        product.version += 1
        product.updated_at = now
        product.save()
        data = economic_out(stored)
        uow.publish("filing.product.annual_data_updated", {
            **identity_of(product, organisation_of(product.organisation_id)), "filing_number": product.filing_number,
            "data": data, "updated_at": now.replace(tzinfo=dt.UTC).isoformat()},
            aggregate_id=product.id, aggregate_version=product.version)
        return data


def opt_in(product_id: str, year: int, wanted: bool, principal: Principal, uow: UnitOfWork,
           today: dt.date) -> RecognitionOptIn:
    """Whether the filed product takes part in `year`'s recognition (this year's or next)."""
    if not today.year <= year <= today.year + 1:
        message = f"Opt in to this year's ({today.year}) or next year's recognition, not {year}'s."
        raise Problem(422, message, slug="wrong-year", errors={"year": [message]})
    with uow:
        product = own_product(principal, product_id)
        _on_record(product, "a recognition to opt in to")
        now = utcnow()
        RecognitionOptIn.insert(product=product.id, year=year, opt_in=wanted, decided_by=principal.account_id,
                                decided_at=now).on_conflict(
            conflict_target=[RecognitionOptIn.product, RecognitionOptIn.year],
            update={RecognitionOptIn.opt_in: wanted, RecognitionOptIn.decided_by: principal.account_id,
                    RecognitionOptIn.decided_at: now}).execute()
        product.version += 1
        product.updated_at = now
        product.save()
        uow.publish("filing.product.recognition_opted_in", {
            **identity_of(product, organisation_of(product.organisation_id)), "filing_number": product.filing_number,
            "year": year, "opt_in": wanted, "decided_at": now.replace(tzinfo=dt.UTC).isoformat()},
            aggregate_id=product.id, aggregate_version=product.version)
        return RecognitionOptIn.get((RecognitionOptIn.product == product.id) & (RecognitionOptIn.year == year))


def close(product_id: str, reason: str, principal: Principal, uow: UnitOfWork) -> Product:
    """Cancellation by a member of the owner (`cancelled`) or revocation by an operator (`revoked`)."""
    action = "revoke" if principal.role == "operator" else "cancel"
    with uow:
        product = visible_product(principal, product_id) if action == "revoke" else own_product(principal, product_id)
        try:
            product.status = next_status(product.status, action)
        except TransitionRefused as exc:
            raise refused(exc) from None
        now = utcnow()
        release_claim(product)
        product.version += 1
        product.closing_reason = reason
        product.closed_by = principal.account_id
        product.closed_at = now
        product.updated_at = now
        product.save()
        stamp = now.replace(tzinfo=dt.UTC).isoformat()
        data = {**identity_of(product, organisation_of(product.organisation_id)),
                "filing_number": product.filing_number, "reason": reason}
        if action == "revoke":
            data.update(revoked_by=principal.account_id, revoked_at=stamp)
        else:
            data.update(cancelled_at=stamp)
        uow.publish(f"filing.product.{product.status}", data, aggregate_id=product.id,
                    aggregate_version=product.version)
        return product
