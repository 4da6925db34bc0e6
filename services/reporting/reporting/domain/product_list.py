"""Which products the product list (and its export) shows, and what of them a caller sees:
products with a filing number, on record unless a status is asked for; product identity for
everyone in scope.

One product's economic figures are confidential (ARCHITECTURE: reads audited, no bulk export
beyond a user's scope). Decision:
- the JSON list (`GET /products`, a page to browse) keeps declared revenue by year for
  operators only, as before: a province admin browsing sees aggregates, not one product's figures;
- the export (`GET /products/export`, the province's file for its own statistics) carries each
  product's figures of one year (the last full year unless asked) to every reader of reporting:
  an operator for any province or the nation, a province admin for its own province only (the
  scope is enforced before anything is read). Each export is audited with what it contained:
  format, scope, year and the number of products.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from platform_shared.principal import Principal
from reporting.domain.products import ON_RECORD
from reporting.domain.scope import READERS

LISTED = (*sorted(ON_RECORD), "cancelled", "revoked")


@dataclass(frozen=True)
class ProductFilter:
    """The list's filters besides the province: status, field, city, and a text that is the
    filing number or occurs in the product's name, model or organisation's name."""

    status: str | None = None
    industry_code: str | None = None
    city_code: str | None = None
    text: str | None = None

    @property
    def statuses(self) -> list[str]:
        return [self.status] if self.status else sorted(ON_RECORD)

    @property
    def search(self) -> str | None:
        return self.text.strip() if self.text else None


def sees_product_figures(principal: Principal) -> bool:
    return principal.role == "operator"


def export_carries_figures(principal: Principal) -> bool:
    """Every reader of reporting gets the figures of the products in its scope in the export
    (the scope itself is checked by `scope.scope_of`)."""
    return principal.role in READERS


def last_full_year(today: dt.date) -> int:
    """The year an export's figures are of, unless one is asked for: the last one that ended."""
    return today.year - 1
