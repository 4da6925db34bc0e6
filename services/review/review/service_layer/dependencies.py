"""What review's handlers need besides a unit of work, as `service.py` builds it from the
settings when the service starts (views reach it with `web.context.current_dependencies`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from platform_shared.patents.registry import PatentRegistry
from platform_shared.quotas import Quota, StorageQuota
from platform_shared.uploads import ContentStore
from review.domain.indicators import IndicatorSet
from review.domain.tasks import QueueRules


@dataclass(frozen=True)
class ReviewDependencies:
    queue_rules: QueueRules
    # The UTC date now: the public notice's end is a date, and tests move this clock past it.
    today: Callable[[], dt.date]
    # Patents are checked at a round's formal check (filing asks the same registry).
    patent_registry: PatentRegistry
    indicators: IndicatorSet
    # A derived benchmark needs at least this many products with a value; below, it is given.
    benchmark_minimum_products: int
    evidence_store: ContentStore
    evidence_max_bytes: int
    # Per round and owner (an organisation, or an account without one): undecided objections,
    # and the files and bytes of their evidence.
    objection_quota: Quota
    evidence_quota: StorageQuota
