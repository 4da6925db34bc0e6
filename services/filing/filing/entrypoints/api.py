"""filing's HTTP API: the blueprints of products, materials, filings and bulk filing."""

from filing.entrypoints.bulk import blp as bulk_blp
from filing.entrypoints.filings import blp as filings_blp
from filing.entrypoints.materials import blp as materials_blp
from filing.entrypoints.products import blp

BLUEPRINTS = (blp, bulk_blp, materials_blp, filings_blp)
