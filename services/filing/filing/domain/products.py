"""A product and its declaration (scalars, variants, patents; its years' figures are
`platform_shared.figures.YearFigures`), and the platform-wide claim on its brand and model.

Every change of status goes through `Product.move`: the lifecycle's next status, the version
bump and the event that tells the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from filing.domain.lifecycle import EDITABLE, EVENT_OF_ACTION, ON_RECORD, next_status
from filing.domain.product_identity import model_key, normalise_variants

# What a declaration sets on the product itself (lists are kept beside it).
SCALARS = ("name", "brand", "model", "industry_code", "description", "launched_on")


@dataclass(frozen=True)
class PatentDeclaration:
    """A patent the product uses, as declared (the number normalised, its kind derived from it)."""

    number: str
    kind: str
    relation: str
    title: str = ""
    holder: str = ""
    license_record_no: str | None = None
    dispute: bool = False

    @classmethod
    def of(cls, declared: Mapping[str, Any]) -> PatentDeclaration:
        """From a validated declaration's patent."""
        return cls(number=declared["number"], kind=declared["kind"], relation=declared["relation"],
                   title=declared.get("title") or "", holder=declared.get("holder") or "",
                   license_record_no=declared.get("license_record_no"), dispute=bool(declared.get("dispute")))

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "kind": self.kind, "title": self.title, "holder": self.holder,
                "relation": self.relation, "license_record_no": self.license_record_no, "dispute": self.dispute}


@dataclass
class Product:
    id: str
    organisation_id: str
    name: str
    brand: str
    model: str
    industry_code: str
    status: str
    version: int
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    # Normalised brand and model (domain.product_identity): what "the same product" means.
    model_key: str = ""
    description: str = ""
    launched_on: dt.date | None = None
    variants: list[str] = field(default_factory=list)
    submissions: int = 0
    # Set when it is submitted (the organisation's province then) and kept: the filing's province.
    province_code: str | None = None
    filing_number: str | None = None
    submitted_at: dt.datetime | None = None
    filed_at: dt.datetime | None = None
    # The newest decision of review: {task_id, outcome, reasons, decided_at (ISO text)}.
    last_decision: dict[str, Any] | None = None
    closing_reason: str | None = None
    closed_by: str | None = None
    closed_at: dt.datetime | None = None
    # What the re-checks of its patents found (domain.patent_rechecks): at risk since, the day by
    # which a patent must hold again, suspended since (the filing is not valid while suspended).
    at_risk_since: dt.datetime | None = None
    patent_deadline: dt.date | None = None
    suspended_at: dt.datetime | None = None
    # The edition of its declared state: 1 as filed, one more per approved amendment
    # (domain.amendments), and when the last amendment was approved.
    edition: int = 1
    amended_at: dt.datetime | None = None

    @property
    def on_record(self) -> bool:
        return self.status in ON_RECORD

    @property
    def suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    def declare(self, declaration: Mapping[str, Any], now: dt.datetime) -> None:
        """Set what `declaration` gives (a validated draft or a partial change); the lists of
        figures and patents are the repositories' to replace."""
        for name in SCALARS:
            if name in declaration:
                setattr(self, name, declaration[name])
        self.model_key = model_key(self.brand, self.model)
        if "variants" in declaration:
            self.variants = normalise_variants(declaration["variants"])
        self.updated_at = now

    def move(self, action: str, now: dt.datetime) -> str:
        """The lifecycle's one step: the status `action` leads to (`TransitionRefused` if it does
        not apply), the next version; the type of the event that announces it."""
        self.status = next_status(self.status, action)
        self.touch(now)
        return f"filing.product.{EVENT_OF_ACTION[action]}"

    def touch(self, now: dt.datetime) -> None:
        """A change that keeps the status (figures, an opt-in, a material): the next version."""
        self.version += 1
        self.updated_at = now


@dataclass(frozen=True)
class ModelClaim:
    """A brand and model taken platform-wide by a product under review or on record."""

    model_key: str
    product_id: str
    organisation_id: str
    claimed_at: dt.datetime
