"""filing's HTTP API, the index of its blueprints: products, bulk filing, materials, filings
and the annual update."""

from __future__ import annotations

from filing.entrypoints import annual_update, bulk, filings, materials, products

BLUEPRINTS = (products.blp, bulk.blp, materials.blp, filings.blp, annual_update.blp)
