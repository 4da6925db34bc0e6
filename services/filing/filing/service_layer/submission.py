"""Submitting a product for review, and taking a submission back.

The patent registry is asked before the transaction (it may be a remote service; a database
transaction must not wait on it), then the product is checked again inside the transaction:
if it changed in between, the submission is refused as a conflict rather than made on data
the registry never saw.

Each declared patent's standing against the register (verified, or unverified where the
register cannot tell) travels with `filing.product.submitted`, so the reviewer sees it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from filing.domain.commands import SubmitProduct, WithdrawProduct
from filing.domain.lifecycle import next_status
from filing.domain.organisations import Organisation
from filing.domain.products import PatentDeclaration, Product
from filing.domain.rules import OrganisationNames, PatentCheck, PatentClaim, register_checks, submission_problems
from filing.service_layer.access import own_product
from filing.service_layer.claims import release_claim, take_claim
from filing.service_layer.declarations import declaration_of, identity_of, organisation_of, utc_stamp
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.errors import Conflict, RuleBroken, Unavailable
from platform_shared.figures import YearFigures
from platform_shared.moments import utcnow
from platform_shared.patents.registry import PatentRegistry, RegistryUnavailable
from platform_shared.patents.verdict import PatentVerdict


def handle_submit(command: SubmitProduct, uow: FilingUnitOfWork, registry: PatentRegistry,
                  today: dt.date) -> Product:
    """Check the rules and submit: `submitted`, the brand and model claimed, the event queued.

    `RuleBroken` naming each field when a rule fails; `Conflict` when the status does not allow
    it or the same product is filed or under review already; `Unavailable` when the patent
    registry cannot answer.
    """
    with uow.reading():  # checked again in the transaction below, by the version
        product = own_product(command.principal, command.product_id, uow)
        next_status(product.status, "submit")
        patents = patent_claims(uow, product)
        seen_version = product.version
    verdicts = ask_registry(patents, registry)
    with uow:
        product = own_product(command.principal, command.product_id, uow)
        if product.version != seen_version:
            raise Conflict("The product changed while it was being checked; submit again.", slug="edit-conflict")
        next_status(product.status, "submit")
        organisation = organisation_of(uow, product)
        figures = uow.figures.of_product(product.id)
        checks = checked_rules(uow, product, organisation, patents, verdicts, today, "product", figures)
        if organisation is None:
            raise RuleBroken({}, "The product cannot be submitted yet.", slug="submission-rule-broken")
        now = utcnow()
        take_claim(uow, product, now)
        event = product.move("submit", now)
        product.submissions += 1
        product.province_code = organisation.province_code
        product.submitted_at = now
        uow.products.save(product)
        declaration = declaration_of(uow, product, organisation, figures)
        by_number = {check.number: check.as_dict() for check in checks if check is not None}
        for patent in declaration["patents"]:
            patent["register"] = by_number.get(patent["number"])
        uow.publish(event, {
            **declaration, "submission": product.submissions,
            "submitted_at": utc_stamp(now)}, aggregate_id=product.id, aggregate_version=product.version)
        return product


def handle_withdraw(command: WithdrawProduct, uow: FilingUnitOfWork) -> Product:
    """Take a submission back before its decision (or a returned product out of review): a draft
    again, the claim on its brand and model released."""
    with uow:
        product = own_product(command.principal, command.product_id, uow)
        now = utcnow()
        event = product.move("withdraw", now)
        release_claim(uow, product)
        uow.products.save(product)
        uow.publish(event, {**identity_of(product, organisation_of(uow, product)), "withdrawn_at": utc_stamp(now)},
                    aggregate_id=product.id, aggregate_version=product.version)
        return product


def checked_rules(uow: FilingUnitOfWork, product: Product, organisation: Organisation | None,
                  patents: list[PatentClaim], verdicts: dict[str, PatentVerdict], today: dt.date,
                  what: str, figures: Sequence[YearFigures] | None = None) -> list[PatentCheck | None]:
    """The rules at submission on `patents` (the product's, or an amendment's) and the product's
    figures (`figures`, when the caller read them already in this transaction): `RuleBroken`
    naming each field, else each patent's standing against the register."""
    if figures is None:
        figures = uow.figures.of_product(product.id)
    years = [year.year for year in figures]
    checks = register_checks(patents, verdicts, names_of(organisation), today)
    problems = submission_problems(organisation_status=organisation.status if organisation else None,
                                   economic_years=years, patents=patents, verdicts=verdicts, today=today,
                                   checks=checks)
    if problems:
        raise RuleBroken(problems, f"The {what} cannot be submitted yet: " + " ".join(
            message for messages in problems.values() for message in messages), slug="submission-rule-broken")
    return checks


def names_of(organisation: Organisation | None) -> OrganisationNames:
    # A patent registered under a former name (before a change of name identity approved) is the
    # organisation's too; by USCC where the register gives it.
    if organisation is None:
        return OrganisationNames("")
    return OrganisationNames(organisation.name, organisation.uscc, organisation.former_names)


def claims_of(patents: Iterable[PatentDeclaration]) -> list[PatentClaim]:
    """Declared patents as the rules and the register checks take them."""
    return [PatentClaim(p.number, p.relation, p.license_record_no, p.dispute) for p in patents]


def patent_claims(uow: FilingUnitOfWork, product: Product) -> list[PatentClaim]:
    return claims_of(uow.patents.of_product(product.id))


def ask_registry(patents: list[PatentClaim], registry: PatentRegistry) -> dict[str, PatentVerdict]:
    try:
        return {p.number: registry.check(p.number) for p in patents}
    except RegistryUnavailable as exc:
        raise Unavailable(f"The patent registry cannot be reached now; nothing was submitted. ({exc})",
                          slug="patent-registry-unavailable", retry_after=30) from None

