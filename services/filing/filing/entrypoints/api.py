"""filing's HTTP API (its product endpoints come with the filing issue)."""

from platform_shared.web.blueprint import ServiceBlueprint as Blueprint

blp = Blueprint("filing", __name__, url_prefix="/api/v1/filing", description="Products and filings")
