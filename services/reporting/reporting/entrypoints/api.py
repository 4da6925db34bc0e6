"""reporting's HTTP API, the index of its blueprints: province-scoped figures (`summary`), the
product list (`products`), monthly reports (`monthly_reports`), target lists and their
coverage (`target_lists`), the year-end evaluation (`evaluation`) and the annual update's
counts (`annual_update`) — for operators (any
province, or the nation) and province admins (their own province only; 403 for another).

The resources' blueprints are nested in one, `reporting`: the API is documented as one
resource ("Statistics"), as it always was.
"""

from platform_shared.web.audit_log import audit_log_blueprint
from platform_shared.web.blueprint import ServiceBlueprint
from reporting.entrypoints.annual_update import blp as annual_update_blp
from reporting.entrypoints.evaluation import blp as evaluation_blp
from reporting.entrypoints.monthly_reports import blp as monthly_reports_blp
from reporting.entrypoints.products import blp as products_blp
from reporting.entrypoints.summary import blp as summary_blp
from reporting.entrypoints.target_lists import blp as target_lists_blp

blp = ServiceBlueprint("reporting", __name__, url_prefix="/api/v1/reporting", description="Statistics")
for resource in (summary_blp, products_blp, monthly_reports_blp, target_lists_blp, evaluation_blp,
                 annual_update_blp):
    blp.register_blueprint(resource)

BLUEPRINTS = (blp, audit_log_blueprint("reporting"))
