"""Which products the product list (and its export) shows, and what of them a caller sees:
products with a filing number, on record unless a status is asked for; product identity for
everyone in scope, declared revenue by year for operators only (a province admin sees
aggregates, not one product's figures)."""

from __future__ import annotations

from dataclasses import dataclass

from platform_shared.principal import Principal
from reporting.domain.products import ON_RECORD

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
