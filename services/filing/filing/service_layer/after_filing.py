"""What happens to a product on record: the annual update of its figures, opting in to a
year's recognition, cancellation by its owner and revocation by an operator."""

from __future__ import annotations

import datetime as dt
from typing import Any

from filing.domain.annual_update import AnnualUpdateWindow, update_year_problem
from filing.domain.commands import CloseFiling, OptIn, UpdateAnnualData
from filing.domain.products import Product
from filing.domain.review_outcomes import RecognitionOptIn
from filing.service_layer.access import own_product, visible_product
from filing.service_layer.amendments import close_open_amendment
from filing.service_layer.claims import release_claim
from filing.service_layer.declarations import identity_of, organisation_of, utc_stamp
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.errors import Conflict, Rule, RuleBroken
from platform_shared.figures import YearFigures
from platform_shared.moments import utcnow


def _on_record(product: Product, what: str) -> None:
    if not product.on_record:
        raise Conflict(f"Only a filed product has {what}; this product is {product.status}.", slug="wrong-status")


def handle_annual_data(command: UpdateAnnualData, uow: FilingUnitOfWork, window: AnnualUpdateWindow,
                       today: dt.date) -> dict[str, Any]:
    """The owner gives the previous year's figures of a filed product, inside the window."""
    with uow:
        product = own_product(command.principal, command.product_id, uow)
        _on_record(product, "an annual update")
        if not window.contains(today):
            raise Conflict(Rule(f"The annual update is open from {window.describe()} each year; "
                                f"today ({today.isoformat()}) is outside it.", "annual_update.closed",
                                window=window.describe()), slug="outside-annual-update-window")
        problem = update_year_problem(command.year, today)
        if problem:
            raise RuleBroken({"year": [problem]}, problem, slug="wrong-year")
        now = utcnow()
        figures = YearFigures.from_yuan(command.figures, year=command.year)
        uow.figures.keep(product.id, figures, now)
        product.touch(now)
        uow.products.save(product)
        data = figures.as_yuan()
        uow.publish("filing.product.annual_data_updated", {
            **identity_of(product, organisation_of(uow, product)), "filing_number": product.filing_number,
            "data": data, "updated_at": utc_stamp(now)}, aggregate_id=product.id, aggregate_version=product.version)
        return data


def handle_opt_in(command: OptIn, uow: FilingUnitOfWork, today: dt.date) -> RecognitionOptIn:
    """Whether the filed product takes part in `year`'s recognition (this year's or next)."""
    if not today.year <= command.year <= today.year + 1:
        message = f"Opt in to this year's ({today.year}) or next year's recognition, not {command.year}'s."
        raise RuleBroken({"year": [message]}, message, slug="wrong-year")
    with uow:
        product = own_product(command.principal, command.product_id, uow)
        _on_record(product, "a recognition to opt in to")
        now = utcnow()
        choice = RecognitionOptIn(product_id=product.id, year=command.year, opt_in=command.opt_in,
                                  decided_by=command.principal.account_id, decided_at=now)
        uow.opt_ins.keep(choice)
        product.touch(now)
        uow.products.save(product)
        uow.publish("filing.product.recognition_opted_in", {
            **identity_of(product, organisation_of(uow, product)), "filing_number": product.filing_number,
            "year": command.year, "opt_in": command.opt_in, "decided_at": utc_stamp(now)},
            aggregate_id=product.id, aggregate_version=product.version)
        return choice


def handle_close(command: CloseFiling, uow: FilingUnitOfWork) -> Product:
    """Cancellation by a member of the owner (`cancelled`) or revocation by an operator
    (`revoked`, recorded in the audit log); an open amendment of the filing is withdrawn."""
    principal = command.principal
    action = "revoke" if principal.role == "operator" else "cancel"
    with uow:
        product = visible_product(principal, command.product_id, uow) if action == "revoke" \
            else own_product(principal, command.product_id, uow)
        now = utcnow()
        event = product.move(action, now)
        release_claim(uow, product)
        product.closing_reason = command.reason
        product.closed_by = principal.account_id
        product.closed_at = now
        uow.products.save(product)
        close_open_amendment(product, uow)
        data = {**identity_of(product, organisation_of(uow, product)),
                "filing_number": product.filing_number, "reason": command.reason}
        if action == "revoke":
            data.update(revoked_by=principal.account_id, revoked_at=utc_stamp(now))
        else:
            data.update(cancelled_at=utc_stamp(now))
        uow.publish(event, data, aggregate_id=product.id, aggregate_version=product.version)
        if principal.is_staff:
            uow.audit("product.revoked", "product", product.id, {"reason": command.reason})
        return product
