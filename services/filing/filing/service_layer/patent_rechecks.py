"""Re-checking filed products' patents against the register: the monthly job, every product when
a recognition round opens, and one product when its annual update is submitted or an amendment
that changed its patents is approved.

Per product, the register is asked outside any transaction (it may be a remote service), for
the patents not yet checked under this check's key; then, in one transaction, each answer is
kept (one row per product, patent and check: a repeated run asks nothing and changes nothing),
the product's mark is worked out (`domain.patent_rechecks.assess`) and what changed is
announced: a problem found, an expiry coming within 90 days (once per patent and expiry date),
a suspension, the mark lifted. The events are what notify mails and reporting counts.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from filing.domain.patent_rechecks import (
    NOTICE_PREFIX,
    PatentRecheck,
    PatentStanding,
    RiskMark,
    assess,
    expiry_notice_due,
    recheck_patent,
)
from filing.domain.products import Product
from filing.domain.rules import PatentClaim
from filing.service_layer.declarations import identity_of, organisation_of, utc_stamp
from filing.service_layer.dependencies import FilingDependencies
from filing.service_layer.submission import claims_of, names_of
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.events.envelope import Envelope
from platform_shared.moments import utcnow
from platform_shared.patents.registry import PatentRegistry, RegistryUnavailable
from platform_shared.patents.verdict import PatentVerdict

log = logging.getLogger(__name__)


def monthly_key(moment: dt.datetime) -> str:
    return f"monthly:{moment:%Y-%m}"


def annual_update_key(year: int) -> str:
    return f"annual-update:{year}"


def round_key(round_id: str) -> str:
    return f"round:{round_id}"


AMENDMENT_PREFIX = "amendment:"


def amendment_key(amendment_id: str) -> str:
    """The re-check of one product whose approved amendment changed the patents it stands on."""
    return f"{AMENDMENT_PREFIX}{amendment_id}"


@dataclass
class RecheckRun:
    """What one run did: products checked, problems found, suspended, lifted; those the
    registry could not answer for (tried again at the next run)."""

    checked: int = 0
    problems: int = 0
    suspended: int = 0
    cleared: int = 0
    unanswered: list[str] = field(default_factory=list)


def _claims(uow: FilingUnitOfWork, product_id: str) -> list[PatentClaim]:
    return claims_of(uow.patents.of_product(product_id))


def recheck_product(product_id: str, check_key: str, uow: FilingUnitOfWork, registry: PatentRegistry,
                    now: dt.datetime, grace_days: int, run: RecheckRun | None = None) -> None:
    """Re-check one product on record under `check_key` at `now` (naive UTC); nothing for a
    product not on record. `RegistryUnavailable` when the registry cannot answer: nothing kept."""
    run = run if run is not None else RecheckRun()
    with uow:
        product = uow.products.get(product_id)
        if product is None or not product.on_record:
            return
        claims = _claims(uow, product_id)
        done = uow.rechecks.done(product_id, check_key)
    verdicts: dict[str, PatentVerdict] = {c.number: registry.check(c.number) for c in claims if c.number not in done}
    with uow:
        product = uow.products.get(product_id)
        if product is None or not product.on_record:
            return
        names = names_of(organisation_of(uow, product))
        previous = {number: check.standing.problem for number, check in uow.rechecks.latest(product_id).items()}
        done = uow.rechecks.done(product_id, check_key)  # a run beside this one may have kept some meanwhile
        claims = _claims(uow, product_id)
        for claim in claims:
            if claim.number in verdicts and claim.number not in done:
                standing = recheck_patent(claim, verdicts[claim.number], names, now.date())
                uow.rechecks.add(PatentRecheck(product_id, check_key, now, standing))
        latest = uow.rechecks.latest(product_id)
        standings = [latest[c.number].standing for c in claims if c.number in latest]
        run.checked += 1
        _announce_expiries(uow, product, standings, now)
        _apply(uow, product, standings, previous, now, grace_days, check_key, run)


def _announce_expiries(uow: FilingUnitOfWork, product: Product, standings: list[PatentStanding],
                       now: dt.datetime) -> None:
    for standing in standings:
        if not expiry_notice_due(standing, now.date()) or standing.expires_on is None:
            continue
        key = f"{NOTICE_PREFIX}{standing.expires_on.isoformat()}"
        if standing.number in uow.rechecks.done(product.id, key):
            continue  # announced once per patent and expiry date
        uow.rechecks.add(PatentRecheck(product.id, key, now, standing))
        _publish(uow, product, now, "filing.product.patent_expiring", {
            "patent_number": standing.number, "expires_on": standing.expires_on.isoformat(),
            "noticed_at": utc_stamp(now)})


def _apply(uow: FilingUnitOfWork, product: Product, standings: list[PatentStanding], previous: dict[str, str | None],
           now: dt.datetime, grace_days: int, check_key: str, run: RecheckRun) -> None:
    mark = RiskMark(product.at_risk_since, product.patent_deadline, product.suspended_at)
    outcome = assess(standings, previous, mark, now, grace_days)
    product.at_risk_since, product.patent_deadline, product.suspended_at = (
        outcome.mark.at_risk_since, outcome.mark.deadline, outcome.mark.suspended_at)
    for standing in outcome.newly_found:
        run.problems += 1
        _publish(uow, product, now, "filing.product.patent_problem_found", {
            "patent_number": standing.number, "problem": standing.problem, "check": check_key,
            "register": {"status": standing.status,
                         "holders": list(standing.holders) if standing.holders is not None else None,
                         "expires_on": standing.expires_on.isoformat() if standing.expires_on else None},
            "found_at": utc_stamp(now),
            "deadline": outcome.mark.deadline.isoformat() if outcome.mark.deadline else None})
    if outcome.suspended and outcome.mark.deadline is not None:
        run.suspended += 1
        _publish(uow, product, now, "filing.product.suspended", {
            "deadline": outcome.mark.deadline.isoformat(), "suspended_at": utc_stamp(now),
            "lost_patents": [s.number for s in standings if not s.holds]})
    if outcome.cleared or outcome.suspension_lifted:
        run.cleared += 1
        _publish(uow, product, now, "filing.product.patent_problems_cleared", {
            "suspension_lifted": outcome.suspension_lifted, "at_risk": outcome.mark.at_risk_since is not None,
            "cleared_at": utc_stamp(now)})
    if mark != outcome.mark:
        uow.products.save(product)


def _publish(uow: FilingUnitOfWork, product: Product, now: dt.datetime, event: str, data: dict[str, object]) -> None:
    """One event about the product, at its next version (each event its own)."""
    product.touch(now)
    uow.products.save(product)
    uow.publish(event, {**identity_of(product, organisation_of(uow, product)), "filing_number": product.filing_number,
                        **data}, aggregate_id=product.id, aggregate_version=product.version)


def recheck_on_annual_update(product_id: str, year: int, uow: FilingUnitOfWork,
                             dependencies: FilingDependencies) -> None:
    """Re-check a product whose annual update was just submitted (the update stands either way:
    a registry that cannot answer now leaves the product to the monthly re-check)."""
    try:
        recheck_product(product_id, annual_update_key(year), uow, dependencies.patent_registry, utcnow(),
                        dependencies.patent_grace_days)
    except RegistryUnavailable as exc:
        log.warning("patent re-check of product %s after its annual update: registry unavailable (%s)",
                    product_id, exc)


def recheck_all(products_on_record: Callable[[], list[str]], new_uow: Callable[[], FilingUnitOfWork],
                registry: PatentRegistry, now: dt.datetime, grace_days: int, key: str | None = None) -> RecheckRun:
    """The monthly job (or the check `key`): every product on record, each in its own
    transactions; a product the registry cannot answer for is left for the next run (the others
    go on)."""
    run = RecheckRun()
    key = key or monthly_key(now)
    for product_id in products_on_record():
        try:
            recheck_product(product_id, key, new_uow(), registry, now, grace_days, run)
        except RegistryUnavailable as exc:
            log.warning("patent re-check of product %s: the registry cannot answer (%s); tried at the next run",
                        product_id, exc)
            run.unanswered.append(product_id)
    return run


def on_round_opened(event: Envelope, uow: FilingUnitOfWork) -> None:
    """`review.recognition_round.opened`: every product on record is to be re-checked before the
    round's formal check — asked for here (in the consumer's transaction, idempotent), run by
    `run_requested` outside it (the registry is never asked inside a transaction)."""
    uow.recheck_requests.ask(round_key(event.data["round_id"]), utcnow())


def run_requested(new_uow: Callable[[], FilingUnitOfWork], registry: PatentRegistry, grace_days: int) -> int:
    """Run the re-checks events asked for, oldest first — a round's of every product on record,
    an approved amendment's of its product — one done once every product was answered for (else
    tried again at the next call). How many were done."""
    with new_uow() as uow:
        pending = uow.recheck_requests.pending()
    finished = 0

    def products_of(key: str) -> Callable[[], list[str]]:
        def products() -> list[str]:
            with new_uow() as uow:
                if key.startswith(AMENDMENT_PREFIX):
                    amendment = uow.amendments.get(key.removeprefix(AMENDMENT_PREFIX))
                    return [amendment.product_id] if amendment is not None else []
                return uow.products.on_record_ids()

        return products

    for key in pending:
        run = recheck_all(products_of(key), new_uow, registry, utcnow(), grace_days, key)
        if run.unanswered:
            continue
        with new_uow() as uow:
            uow.recheck_requests.done(key, utcnow())
        finished += 1
    return finished
