"""reporting's unit of work: the repositories one transaction sees, besides the outbox and the
audit log every unit of work has (`platform_shared.unit_of_work`)."""

from __future__ import annotations

from platform_shared.unit_of_work import UnitOfWork
from reporting.service_layer.repositories import (
    CounterRepository,
    EvaluationRepository,
    EventArchive,
    MonthlyReportRepository,
    OrganisationRepository,
    ProductRepository,
    TargetListRepository,
)


class ReportingUnitOfWork(UnitOfWork):
    """Abstract: `adapters.repository.PeeweeReportingUnitOfWork` in the service, a fake in tests."""

    archive: EventArchive
    organisations: OrganisationRepository
    products: ProductRepository
    counters: CounterRepository
    monthly_reports: MonthlyReportRepository
    evaluations: EvaluationRepository
    target_lists: TargetListRepository
