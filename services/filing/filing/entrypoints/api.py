"""filing's HTTP API (its product endpoints come with the filing issue)."""

from flask_smorest import Blueprint

blp = Blueprint("filing", __name__, url_prefix="/api/v1/filing", description="Products and filings")
