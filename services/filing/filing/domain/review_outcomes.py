"""What review's work leaves on a product: the decisions filing applied, the owner's choices to
take part in a year's recognition, and the years in which review recognised it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ProductDecision:
    """A review decision filing applied (one per task: a repeated decision changes nothing)."""

    task_id: str
    product_id: str
    outcome: str
    reasons: tuple[dict[str, str], ...]
    reviewer_id: str
    decided_at: dt.datetime
    applied_at: dt.datetime
    event_id: str


@dataclass(frozen=True)
class RecognitionOptIn:
    product_id: str
    year: int
    opt_in: bool
    decided_by: str
    decided_at: dt.datetime


@dataclass(frozen=True)
class Recognition:
    """A year in which review recognised the product."""

    product_id: str
    year: int
    round_id: str
    recognised_at: dt.datetime
