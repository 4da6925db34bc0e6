"""filing's repositories as the handlers see them: each a small protocol, implemented on peewee
in `adapters.repository` and on dictionaries in the unit tests.

A repository hands out and takes the domain's objects; what a store must do atomically (take the
next number of a sequence, write a product only if nobody changed it meanwhile, insert or replace a
year's figures) is one method, so that it stays as strong as the store can make it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from filing.domain.amendments import Amendment
from filing.domain.materials import Material
from filing.domain.organisations import Organisation
from filing.domain.patent_rechecks import PatentRecheck
from filing.domain.products import ModelClaim, PatentDeclaration, Product
from filing.domain.review_outcomes import ProductDecision, Recognition, RecognitionOptIn
from platform_shared.figures import YearFigures
from platform_shared.pages import Page, PageRequest
from platform_shared.quotas import Usage


@dataclass(frozen=True)
class ProductFilter:
    """Which products a list shows; None means any. `text` is part of the name, brand or model
    (ignoring case), or a whole filing number."""

    organisation_id: str | None = None
    status: str | None = None
    industry_code: str | None = None
    text: str | None = None
    # Only products whose patents' re-checks marked them at risk (suspended ones included).
    at_risk: bool = False
    province_code: str | None = None


class OrganisationRepository(Protocol):
    def get(self, organisation_id: str) -> Organisation | None: ...

    def lock(self, organisation_id: str) -> Organisation | None:
        """Hold the organisation's row until the transaction ends (what is counted against its
        quotas stays so until the insert commits); the organisation, read with the lock."""

    def save(self, organisation: Organisation) -> None:
        """Insert or replace filing's view of the organisation."""


class ProductRepository(Protocol):
    def add(self, product: Product) -> None: ...

    def get(self, product_id: str) -> Product | None: ...

    def save(self, product: Product) -> None:
        """Write the product's row as it is now."""

    def save_if_unchanged(self, product: Product, seen_version: int) -> bool:
        """Write the product's row only if its stored version is still `seen_version`, in one
        conditional write; whether it was written."""

    def remove(self, product_id: str) -> None:
        """The product and everything recorded about it."""

    def by_filing_number(self, filing_number: str) -> Product | None: ...

    def drafts_of(self, organisation_id: str) -> int:
        """How many of the organisation's products are drafts."""

    def live_with_key(self, organisation_id: str, model_key: str, other_than: str | None = None) -> Product | None:
        """The organisation's oldest product of this brand and model that is not in a final status."""

    def page(self, which: ProductFilter, request: PageRequest) -> Page[Product]:
        """Newest change first."""

    def on_record_ids(self) -> list[str]:
        """The ids of every product on record (filed or recognised), oldest filing first."""


class FiguresRepository(Protocol):
    """The economic figures declared per product and year."""

    def of_product(self, product_id: str) -> list[YearFigures]:
        """Oldest year first."""

    def replace(self, product_id: str, figures: Sequence[YearFigures], now: dt.datetime, *,
                fresh: bool = False) -> None:
        """The product's years are these now (`fresh`: it has none yet, nothing to delete first)."""

    def keep(self, product_id: str, figures: YearFigures, now: dt.datetime) -> None:
        """Insert or replace the year's figures."""


class PatentRepository(Protocol):
    def of_product(self, product_id: str) -> list[PatentDeclaration]:
        """In the declared order."""

    def replace(self, product_id: str, patents: Sequence[PatentDeclaration], *, fresh: bool = False) -> None:
        """The product's patents are these now (`fresh`: it has none yet, nothing to delete first)."""


class MaterialRepository(Protocol):
    def add(self, material: Material) -> None: ...

    def get(self, product_id: str, material_id: str) -> Material | None: ...

    def of_product(self, product_id: str) -> list[Material]:
        """The product's own (not an open amendment's), oldest first."""

    def of_amendment(self, amendment_id: str) -> list[Material]:
        """Those uploaded to the amendment and not yet the product's, oldest first."""

    def adopt(self, amendment_id: str) -> None:
        """The amendment's materials become the product's own (it was approved)."""

    def drop_amendment(self, amendment_id: str) -> None:
        """Remove the materials uploaded to the amendment (it was withdrawn or rejected)."""

    def usage(self, organisation_id: str) -> Usage:
        """How many materials the organisation's products have, and their bytes."""

    def remove(self, product_id: str, material_id: str) -> bool:
        """Whether there was such a material."""


class AmendmentRepository(Protocol):
    """Amendments of filed products (domain.amendments)."""

    def add(self, amendment: Amendment) -> None: ...

    def get(self, amendment_id: str) -> Amendment | None: ...

    def save(self, amendment: Amendment) -> None: ...

    def open_of(self, product_id: str) -> Amendment | None:
        """The product's open amendment (draft, submitted or returned), if any."""

    def of_product(self, product_id: str) -> list[Amendment]:
        """Newest first."""


class ClaimRepository(Protocol):
    """The platform-wide claims on a brand and model: one product per model key (the store's
    unique key refuses a second: `DuplicateRecord` when the unit of work's block ends)."""

    def get(self, model_key: str) -> ModelClaim | None: ...

    def add(self, claim: ModelClaim) -> None: ...

    def add_if_free(self, claim: ModelClaim) -> bool:
        """Take the claim unless its model key (or its product) has one already: whether it was
        taken. Waits for a competing transaction's claim to commit or roll back."""

    def release(self, product_id: str, *, keeping: str | None = None) -> None:
        """Drop the product's claims (but the one on `keeping`, if given)."""


class FilingNumberRepository(Protocol):
    def next(self, year: int, province_prefix: str) -> int:
        """The next number of the year's and province's sequence, taken in this transaction (two
        transactions never take the same one; a rolled-back one's number is never used)."""


class DecisionRepository(Protocol):
    def exists(self, task_id: str) -> bool: ...

    def add(self, decision: ProductDecision) -> None: ...


class OptInRepository(Protocol):
    def keep(self, choice: RecognitionOptIn) -> None:
        """Insert or replace the product's choice for the year."""

    def get(self, product_id: str, year: int) -> RecognitionOptIn | None: ...

    def of_product(self, product_id: str) -> list[RecognitionOptIn]:
        """Oldest year first."""


class RecognitionRepository(Protocol):
    def add(self, recognition: Recognition) -> None: ...

    def years_of(self, product_id: str) -> list[int]:
        """The years in which the product was recognised, in order."""


class AnnualUpdateRepository(Protocol):
    def not_updated(self, year: int, province_code: str | None = None) -> list[Product]:
        """Products on record (filed, recognised) without figures of `year` (of one province's
        filings if given), by organisation and filing number."""

    def reminded(self, year: int, kind: str) -> set[str]:
        """The products a reminder of `kind` for `year` was sent for."""

    def record_reminder(self, product_id: str, organisation_id: str, year: int, kind: str,
                        sent_at: dt.datetime) -> None:
        """Remember that the reminder was sent (once: a second record of it is ignored)."""
class RecheckRequestRepository(Protocol):
    """Re-checks of every product on record asked for by an event, by check key."""

    def ask(self, check_key: str, at: dt.datetime) -> None:
        """Ask for the check (nothing if it was asked for already)."""

    def pending(self) -> list[str]:
        """The check keys asked for and not run yet, oldest first."""

    def done(self, check_key: str, at: dt.datetime) -> None: ...


class RecheckRepository(Protocol):
    """The re-checks of filed products' patents (one per product, patent and check key)."""

    def add(self, recheck: PatentRecheck) -> None: ...

    def done(self, product_id: str, check_key: str) -> set[str]:
        """The patent numbers of the product checked under `check_key` already."""

    def latest(self, product_id: str) -> dict[str, PatentRecheck]:
        """Each patent's newest check (by `checked_at`; notices of expiry are not checks)."""
