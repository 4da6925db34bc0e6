"""A filed product as review knows it, only from filing's events (review never asks filing).

Events of one product may arrive out of order (competing consumers, redeliveries). Each
carries the product's `aggregate_version`: identity and status are overwritten only by a newer
version, so a late older event changes nothing and a repeated one neither. The declaration as
filed (its patents, its number, when) is written once: a product is filed only once; an
approved amendment replaces the patents by its edition (a newer edition only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from platform_shared.figures import YearFigures
from review.domain.indicators import FIGURES, ProductPatent
from review.domain.recognition import FiledProductFacts


@dataclass
class FiledProduct:
    """`aggregate_version` is the newest product version whose identity and status are applied."""

    product_id: str
    status: str
    aggregate_version: int
    organisation_id: str = ""
    organisation_name: str = ""
    province_code: str | None = None
    name: str = ""
    brand: str = ""
    model: str = ""
    industry_code: str = ""
    filing_number: str | None = None
    filed_at: dt.datetime | None = None
    # The declared patents as filed; None until `filing.product.filed` is heard.
    patents: tuple[ProductPatent, ...] | None = None
    # The edition the patents are of (`filing.product.amended` carries each approved amendment's).
    edition: int = 1

    @classmethod
    def first_heard(cls, data: Mapping[str, Any], version: int, status: str | None) -> FiledProduct:
        """A product first heard of, by any event: one heard after `filed` (out of order) is on record."""
        product = cls(product_id=data["product_id"], status=status or "filed", aggregate_version=version)
        product.learn(data, version, status)
        return product

    def heard(self, data: Mapping[str, Any], version: int, status: str | None) -> None:
        """What an event says of identity and status, unless it is old news."""
        if version > self.aggregate_version:
            self.learn(data, version, status)

    def learn(self, data: Mapping[str, Any], version: int, status: str | None) -> None:
        self.organisation_id, self.organisation_name = data["organisation_id"], data["organisation_name"]
        self.name, self.brand, self.model = data["name"], data["brand"], data["model"]
        self.industry_code = data["industry_code"]
        self.province_code = data.get("province_code") or None
        if status is not None:
            self.status = status
        self.aggregate_version = version
        if data.get("filing_number") and not self.filing_number:
            self.filing_number = data["filing_number"]

    def filed(self, patents: Iterable[ProductPatent], filing_number: str, filed_at: dt.datetime) -> None:
        """The declaration as filed, kept from the first `filing.product.filed` heard."""
        if self.patents is None:
            self.patents = tuple(patents)
        self.filing_number = self.filing_number or filing_number
        self.filed_at = self.filed_at or filed_at

    def amended(self, patents: Iterable[ProductPatent], edition: int) -> None:
        """An approved amendment's patents, unless a newer edition's are known (events may arrive
        out of order: an edition is applied once, and never over a newer one)."""
        if self.patents is None or edition > self.edition:
            self.patents, self.edition = tuple(patents), edition

    def facts(self, figures: YearFigures | None, recognised_years: Iterable[int]) -> FiledProductFacts:
        """The product as an evaluation sees it, with its data year's figures (if it has them)."""
        return FiledProductFacts(
            product_id=self.product_id, industry_code=self.industry_code, status=self.status,
            filed_on=self.filed_at.date() if self.filed_at else None,
            figures=None if figures is None else figures_in_yuan(figures),
            patents=tuple(self.patents or ()), recognised_years=frozenset(recognised_years))


def figures_in_yuan(figures: YearFigures) -> dict[str, Decimal | None]:
    """A year's figures as the indicators' formulas read them (yuan, and the sales volume)."""
    said = figures.as_yuan()
    return {name: None if said[name] is None else Decimal(said[name]) for name in FIGURES}


def newer(version: int, known: int | None) -> bool:
    """Whether what an event of `version` says of a year (figures, opt-in) replaces what is known."""
    return known is None or version > known
