"""The annual update's counts over HTTP (operators: any province or the nation; province
admins: their own)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from platform_shared.web.access import current_principal
from platform_shared.web.blueprint import ServiceBlueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.routes import endpoint
from reporting.domain.scope import READERS
from reporting.entrypoints.scope_schemas import ProvinceQuery
from reporting.service_layer.annual_update import annual_update_counts
from reporting.service_layer.dependencies import ReportingDependencies
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

blp = ServiceBlueprint("annual_update", __name__)


class AnnualUpdateCounts(ma.Schema):
    province = ma.fields.String(required=True, allow_none=True)
    year = ma.fields.Integer(required=True, metadata={"description": "the year whose figures this year's window takes"})
    state = ma.fields.String(required=True, validate=ma.validate.OneOf(("upcoming", "open", "closed")))
    opens_on = ma.fields.Date(required=True)
    closes_on = ma.fields.Date(required=True)
    filed = ma.fields.Integer(required=True, metadata={"description": "products on record (filed, recognised)"})
    updated = ma.fields.Integer(required=True, metadata={"description": "of them, with the figures of `year`"})
    not_updated = ma.fields.Integer(required=True)
    overdue = ma.fields.Integer(required=True, metadata={"description": "not updated once the window has closed"})


@endpoint(blp, "/annual-update", "GET", roles=READERS, query=ProvinceQuery, response=(200, AnnualUpdateCounts),
          problems=(401, 403))
def counts(query: dict[str, Any]) -> dict[str, Any]:
    """The annual update counted: products on record, how many gave the figures of this year's
    window's year, how many did not, and how many are overdue once the window has closed
    (operators: any province or national; province admins: theirs)."""
    dependencies = current_dependencies(ReportingDependencies)
    return annual_update_counts(current_principal(), query["province"], current_uow(ReportingUnitOfWork),
                                dependencies.annual_update_window, dependencies.today())
