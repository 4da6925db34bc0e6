"""filing's unit of work: one transaction over its repositories, its outbox and its audit log.

    with uow:
        product = uow.products.get(product_id)
        event = product.move("withdraw", now)
        uow.products.save(product)
        uow.publish(event, data, aggregate_id=product.id, aggregate_version=product.version)

`adapters.repository.PeeweeFilingUnitOfWork` is the real one; the unit tests use a fake in memory.
"""

from __future__ import annotations

import abc

from filing.service_layer.repositories import (
    AmendmentRepository,
    AnnualUpdateRepository,
    ClaimRepository,
    DecisionRepository,
    FiguresRepository,
    FilingNumberRepository,
    MaterialRepository,
    OptInRepository,
    OrganisationRepository,
    PatentRepository,
    ProductRepository,
    RecheckRepository,
    RecheckRequestRepository,
    RecognitionRepository,
)
from platform_shared.unit_of_work import UnitOfWork


class FilingUnitOfWork(UnitOfWork, abc.ABC):
    # Filing's view of organisations (from identity's events).
    organisations: OrganisationRepository
    # Products with their declaration and materials, and the platform-wide claims on a model.
    products: ProductRepository
    figures: FiguresRepository
    patents: PatentRepository
    materials: MaterialRepository
    claims: ClaimRepository
    # Amendments (变更) of filed products, reviewed like a submission.
    amendments: AmendmentRepository
    # What follows review's work: filing numbers, decisions applied, opt-ins and recognitions.
    filing_numbers: FilingNumberRepository
    decisions: DecisionRepository
    opt_ins: OptInRepository
    recognitions: RecognitionRepository
    # The annual update: products not updated for a year, and the reminders sent of it.
    annual_updates: AnnualUpdateRepository
    # The re-checks of filed products' patents against the register.
    rechecks: RecheckRepository
    recheck_requests: RecheckRequestRepository
