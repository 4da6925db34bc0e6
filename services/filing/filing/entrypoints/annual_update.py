"""filing's HTTP API of the annual update as a whole: this year's window (anyone: the dates are
public, set by notice) and the filed products overdue once it has closed (operators, province
admins). A product's own update is in `products` (PUT /products/{id}/annual-data/{year})."""

from __future__ import annotations

from typing import Any

from filing.entrypoints import annual_update_schemas as schemas
from filing.service_layer.annual_reminders import overdue, window_out
from filing.service_layer.dependencies import FilingDependencies
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.web.access import current_principal
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.routes import ANYONE, endpoint

blp = Blueprint("filing-annual-update", __name__, url_prefix="/api/v1/filing",
                description="The annual update's window and the products overdue after it")


@endpoint(blp, "/annual-update", "GET", roles=ANYONE, response=(200, schemas.WindowOut))
def window() -> dict[str, Any]:
    """This year's annual update window (anyone): the year whose figures are given, its first
    and last day, whether it is upcoming, open or closed, and when the next one opens."""
    dependencies = current_dependencies(FilingDependencies)
    return window_out(dependencies.annual_update_window.period(dependencies.today()))


@endpoint(blp, "/annual-update/overdue", "GET", roles=("operator", "province_admin"), query=schemas.OverdueQuery,
          response=(200, schemas.OverdueOut), problems=(401, 403))
def overdue_products(query: dict[str, Any]) -> dict[str, Any]:
    """Filed products whose figures of the window's year were not given by its close (operators:
    all, or one province; province admins: their province's, 403 for another). Empty until this
    year's window has closed. Recorded in the audit log."""
    dependencies = current_dependencies(FilingDependencies)
    return overdue(current_principal(), query["province_code"], current_uow(FilingUnitOfWork),
                   dependencies.annual_update_window, dependencies.today())
