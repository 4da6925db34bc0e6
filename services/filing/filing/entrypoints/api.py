"""filing's HTTP API, the index of its blueprints: products, bulk filing, materials, filings
and the annual update."""

from __future__ import annotations

from filing.entrypoints import amendments, annual_update, bulk, filings, materials, products
from platform_shared.web.audit_log import audit_log_blueprint

BLUEPRINTS = (products.blp, amendments.blp, bulk.blp, materials.blp, filings.blp, annual_update.blp,
              audit_log_blueprint("filing"))
