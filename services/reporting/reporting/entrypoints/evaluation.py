"""The year-end evaluation over HTTP: per province, target-list coverage and the year's filings."""

from __future__ import annotations

from typing import Any

from platform_shared.web.access import current_principal
from platform_shared.web.blueprint import ServiceBlueprint
from platform_shared.web.context import current_uow
from platform_shared.web.routes import endpoint
from reporting.domain.queries import ReadEvaluation
from reporting.domain.scope import READERS
from reporting.entrypoints.evaluation_schemas import EvaluationOut, EvaluationQuery
from reporting.service_layer.evaluation import evaluation
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

blp = ServiceBlueprint("evaluation", __name__)


@endpoint(blp, "/evaluation/<int:year>", "GET", roles=READERS, query=EvaluationQuery,
          response=(200, EvaluationOut), problems=(401, 403, 404))
def get_evaluation(query: dict[str, Any], year: int) -> dict[str, Any]:
    """The year-end evaluation: per province, coverage of every target list and the filings of
    the year (operators: every province, or one; province admins: theirs). Once the year is
    closed, as frozen then (`state: frozen`, `frozen_at`); `live=true` for the figures now."""
    return evaluation(ReadEvaluation(current_principal(), query["province"], year, live=query["live"]),
                      current_uow(ReportingUnitOfWork))
