"""The summary figures of a province or the nation over HTTP."""

from __future__ import annotations

from typing import Any

from platform_shared.web.access import current_principal
from platform_shared.web.blueprint import ServiceBlueprint
from platform_shared.web.context import current_uow
from platform_shared.web.routes import endpoint
from reporting.domain.queries import ReadSummary
from reporting.domain.scope import READERS
from reporting.entrypoints.scope_schemas import ProvinceQuery
from reporting.entrypoints.summary_schemas import SummarySchema
from reporting.service_layer.summary import summary
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

blp = ServiceBlueprint("summary", __name__)


@endpoint(blp, "/summary", "GET", roles=READERS, query=ProvinceQuery, response=(200, SummarySchema),
          problems=(401, 403))
def get_summary(query: dict[str, Any]) -> dict[str, Any]:
    """Organisations by status, kind, province and city; products by status; filed products by
    industry field, kind of organisation, city and month; recognised products; declared revenue
    by year and patents by kind (operators: any province or national; province admins: theirs)."""
    return summary(ReadSummary(current_principal(), query["province"]), current_uow(ReportingUnitOfWork))
