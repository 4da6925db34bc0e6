"""An amendment (变更) of a filed product: new variants, patents newly granted or lapsed, new
proof materials, reviewed like a submission while the product stays filed as it was approved.

    draft ──submit──▶ submitted ──approve──▶ approved   (the product takes the amended state,
      ▲  │              │  └──reject──▶ rejected         keeps its filing number, its edition + 1)
      │  │              └──return──▶ returned ──submit──▶ submitted
      │  └──withdraw──▶ withdrawn ◀──withdraw── submitted / returned

A product on record (filed or recognised) has at most one open amendment (draft, submitted or
returned). Approved, rejected and withdrawn are final. What an amendment declares is the whole
amended list (variants, patents), not a difference: the reviewer sees before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from filing.domain.lifecycle import ON_RECORD
from filing.domain.product_identity import normalise_variants
from filing.domain.products import PatentDeclaration, Product
from platform_shared.errors import Conflict

AMENDMENT_STATUSES = ("draft", "submitted", "returned", "approved", "rejected", "withdrawn")
OPEN = frozenset({"draft", "submitted", "returned"})
EDITABLE = frozenset({"draft", "returned"})
FINAL = frozenset({"approved", "rejected", "withdrawn"})

TRANSITIONS: dict[str, dict[str, str]] = {
    "submit": {"draft": "submitted", "returned": "submitted"},
    "withdraw": {"draft": "withdrawn", "submitted": "withdrawn", "returned": "withdrawn"},
    "approve": {"submitted": "approved"},
    "reject": {"submitted": "rejected"},
    "return": {"submitted": "returned"},
}
# The event each step publishes: `filing.product.<this>`.
EVENT_OF_ACTION = {"submit": "amendment_submitted", "withdraw": "amendment_withdrawn", "approve": "amended",
                   "reject": "amendment_rejected", "return": "amendment_returned"}


class AmendmentRefused(Conflict):
    """A step from a status it does not leave (409 `wrong-status`)."""

    def __init__(self, action: str, status: str) -> None:
        self.action, self.status = action, status
        super().__init__(f"An amendment that is {status} cannot be {action}ed this way.", slug="wrong-status")


def ensure_amendable(product: Product, open_amendment: Amendment | None) -> None:
    """`Conflict` unless the product is on record and has no open amendment."""
    if product.status not in ON_RECORD or product.filing_number is None:
        raise Conflict(f"Only a filed product can be amended; this product is {product.status}.",
                       slug="product-not-amendable")
    if open_amendment is not None:
        raise Conflict(f"The product has an open amendment already ({open_amendment.status}); finish or "
                       "withdraw it first.", slug="amendment-open", existing=open_amendment.id)


@dataclass
class Amendment:
    """The amended state of a filed product's variants and patents (materials are uploaded to it)
    beside the state it amends (`before_variants`, `before_patents`, as approved last)."""

    id: str
    product_id: str
    organisation_id: str
    status: str
    variants: list[str]
    patents: list[PatentDeclaration]
    before_variants: list[str]
    before_patents: list[PatentDeclaration]
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = 1
    submissions: int = 0
    submitted_at: dt.datetime | None = None
    # The product's edition this amendment made (set on approval: the edition before + 1).
    edition: int | None = None
    # The newest decision of review: {task_id, outcome, reasons, decided_at (ISO text)}.
    last_decision: dict[str, Any] | None = None
    closed_at: dt.datetime | None = None

    @classmethod
    def open(cls, amendment_id: str, product: Product, patents: Sequence[PatentDeclaration], created_by: str,
             now: dt.datetime) -> Amendment:
        """A draft amendment that starts as the product is now."""
        return cls(id=amendment_id, product_id=product.id, organisation_id=product.organisation_id, status="draft",
                   variants=list(product.variants), patents=list(patents), before_variants=list(product.variants),
                   before_patents=list(patents), created_by=created_by, created_at=now, updated_at=now)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    def ensure_editable(self) -> None:
        """`Conflict` unless a draft or returned."""
        if not self.editable:
            raise Conflict(f"Only a draft or returned amendment can be changed; this one is {self.status}.",
                           slug="amendment-not-editable")

    def declare(self, changes: Mapping[str, Any], now: dt.datetime) -> None:
        """The lists given replace the amended ones (`Conflict` unless draft or returned)."""
        self.ensure_editable()
        if "variants" in changes:
            self.variants = normalise_variants(changes["variants"])
        if "patents" in changes:
            self.patents = [PatentDeclaration.of(p) for p in changes["patents"]]
        self.touch(now)

    def touch(self, now: dt.datetime) -> None:
        self.version += 1
        self.updated_at = now

    def allows(self, action: str) -> bool:
        return self.status in TRANSITIONS[action]

    def move(self, action: str, now: dt.datetime) -> str:
        """The next status (`AmendmentRefused` if the step does not apply); the event's type."""
        try:
            self.status = TRANSITIONS[action][self.status]
        except KeyError:
            raise AmendmentRefused(action, self.status) from None
        if self.status in FINAL:
            self.closed_at = now
        self.touch(now)
        return f"filing.product.{EVENT_OF_ACTION[action]}"

    def apply_to(self, product: Product, now: dt.datetime) -> None:
        """Approved: the product's declared variants become the amended ones, its edition goes up;
        the filing number and status stay (the patents are the repository's to replace)."""
        product.variants = list(self.variants)
        product.edition += 1
        product.amended_at = now
        self.edition = product.edition
        product.touch(now)


def changed_fields(amendment: Amendment) -> list[str]:
    """Which lists the amendment changes (`variants`, `patents`), for the words of a mail or page."""
    changed = []
    if amendment.variants != amendment.before_variants:
        changed.append("variants")
    if [p.as_dict() for p in amendment.patents] != [p.as_dict() for p in amendment.before_patents]:
        changed.append("patents")
    return changed
