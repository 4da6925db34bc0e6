"""What people ask filing to do, one command per change of state: preparing a product, submitting
it or taking it back, what follows its filing, its proof materials and bulk filing. Each is built
by an entrypoint from a validated body and handled in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from platform_shared.principal import Principal

# --- preparing a product ------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateDraft:
    """A new draft of the caller's organisation: the validated declaration (`POST /products`)."""

    declaration: Mapping[str, Any]
    principal: Principal


@dataclass(frozen=True)
class ChangeDraft:
    """The fields given replace the stored ones (a list given replaces the whole list)."""

    product_id: str
    changes: Mapping[str, Any]
    principal: Principal


@dataclass(frozen=True)
class DeleteDraft:
    product_id: str
    principal: Principal


@dataclass(frozen=True)
class BulkCreate:
    """Drafts from an uploaded spreadsheet (`content` as uploaded, `filename` the uploader's)."""

    content: bytes
    filename: str | None
    principal: Principal


# --- review -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmitProduct:
    product_id: str
    principal: Principal


@dataclass(frozen=True)
class WithdrawProduct:
    product_id: str
    principal: Principal


# --- after filing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpdateAnnualData:
    """The previous year's figures of a filed product (`figures` as validated, yuan strings)."""

    product_id: str
    year: int
    figures: Mapping[str, Any]
    principal: Principal


@dataclass(frozen=True)
class OptIn:
    """Whether the filed product takes part in `year`'s recognition."""

    product_id: str
    year: int
    opt_in: bool
    principal: Principal


@dataclass(frozen=True)
class CloseFiling:
    """Cancellation by the owner's member, revocation by an operator, with the reason."""

    product_id: str
    reason: str
    principal: Principal


# --- materials ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadMaterial:
    """A proof material; `original_name` is the uploader's, kept as metadata. With
    `amendment_id`, a material of the product's open amendment (the product's once approved)."""

    product_id: str
    kind: str
    content: BinaryIO
    original_name: str | None
    principal: Principal
    amendment_id: str | None = None


@dataclass(frozen=True)
class RemoveMaterial:
    product_id: str
    material_id: str
    principal: Principal
    amendment_id: str | None = None


# --- amendments of a filed product (变更) --------------------------------------------------------


@dataclass(frozen=True)
class OpenAmendment:
    """An amendment of a filed product; `changes` (variants, patents) replace the current lists."""

    product_id: str
    changes: Mapping[str, Any]
    principal: Principal


@dataclass(frozen=True)
class ChangeAmendment:
    product_id: str
    amendment_id: str
    changes: Mapping[str, Any]
    principal: Principal


@dataclass(frozen=True)
class SubmitAmendment:
    product_id: str
    amendment_id: str
    principal: Principal


@dataclass(frozen=True)
class WithdrawAmendment:
    product_id: str
    amendment_id: str
    principal: Principal
