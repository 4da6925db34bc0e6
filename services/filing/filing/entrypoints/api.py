"""filing's HTTP API, the index of its blueprints: products, bulk filing, materials and filings."""

from __future__ import annotations

from filing.entrypoints import bulk, filings, materials, products

BLUEPRINTS = (products.blp, bulk.blp, materials.blp, filings.blp)
