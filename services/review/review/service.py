"""review as the platform runs it (the composition root): its tables and unit of work, the
dependencies its handlers need, built from the settings, its blueprints and subscriptions, and
the worker that keeps the queue's gauges.

Settings (`REVIEW_…`, or the platform-wide name):
- `CLAIM_MINUTES` (120), `FOUR_EYES_REJECTIONS` (false embedded; true in deploy/k8s): the queue's rules;
- `PATENT_REGISTRY` (`checksum`, `file`, `http`) with its `_FILE`, `_LICENCE_FILE`, `_URL` and `_TIMEOUT`: patents
  at a round's formal check (filing asks the same registry);
- `INDICATORS_FILE`: the recognition indicators, or the shipped `review/data/indicators-v1.json`;
- `BENCHMARK_MINIMUM_PRODUCTS` (5): a benchmark is derived from at least this many products with
  a value; below it the operator gives it;
- `EVIDENCE_DIR` (`<DATA_DIR>/review/evidence`), `EVIDENCE_MAX_BYTES` (10 MB): objections' files;
- `QUOTA_OPEN_OBJECTIONS` (20), `QUOTA_EVIDENCE_FILES` (100), `QUOTA_EVIDENCE_BYTES` (200 MiB): per
  round, what one organisation (or an account without one) has of undecided objections and evidence;
- `QUEUE_METRICS_SECONDS` (15): how often the gauges are measured.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from platform_shared.config import ServiceSettings
from platform_shared.moments import utcnow
from platform_shared.patents.registry import registry_from_settings
from platform_shared.quotas import MiB, StorageQuota, quota_of
from platform_shared.runtime import ServiceDefinition, ServiceRuntime
from platform_shared.uploads import DEFAULT_MAX_BYTES, LocalContentStore
from review.adapters import orm
from review.adapters.migrations import MIGRATIONS
from review.adapters.repository import PeeweeReviewUnitOfWork
from review.domain.indicator_configuration import indicator_set
from review.domain.tasks import QueueRules
from review.entrypoints.events import SUBSCRIPTIONS
from review.service_layer.dependencies import ReviewDependencies
from review.service_layer.queue_metrics import measure_queue

log = logging.getLogger(__name__)


def utc_today() -> dt.date:
    return utcnow().date()


def queue_rules_from(settings: ServiceSettings) -> QueueRules:
    """The queue's rules. Four eyes on rejections is off unless configured, so the embedded
    default and its tests decide alone; the deployed configuration (deploy/k8s) turns it on."""
    setting = settings.setting
    return QueueRules(claim_for=dt.timedelta(minutes=float(setting("CLAIM_MINUTES", "120"))),
                      four_eyes=setting("FOUR_EYES_REJECTIONS", "false").strip().lower() in ("1", "true", "yes"))


def dependencies_from(settings: ServiceSettings) -> ReviewDependencies:
    setting = settings.setting
    return ReviewDependencies(
        queue_rules=queue_rules_from(settings),
        today=utc_today,
        patent_registry=registry_from_settings(setting),
        indicators=indicator_set(),
        benchmark_minimum_products=max(1, int(setting("BENCHMARK_MINIMUM_PRODUCTS", "5"))),
        # Evidence files: a PersistentVolume in deployment, under the data folder when embedded.
        evidence_store=LocalContentStore(Path(setting("EVIDENCE_DIR") or settings.data_dir / "review" / "evidence")),
        evidence_max_bytes=int(setting("EVIDENCE_MAX_BYTES", str(DEFAULT_MAX_BYTES))),
        objection_quota=quota_of("open_objections", setting("QUOTA_OPEN_OBJECTIONS", "20")),
        evidence_quota=StorageQuota(quota_of("evidence_files", setting("QUOTA_EVIDENCE_FILES", "100")),
                                    quota_of("evidence_bytes", setting("QUOTA_EVIDENCE_BYTES", str(200 * MiB)))))


def _start(runtime: ServiceRuntime) -> None:
    runtime.dependencies = dependencies_from(runtime.settings)


def queue_gauges(runtime: ServiceRuntime) -> Callable[[threading.Event], None]:
    every = float(runtime.settings.setting("QUEUE_METRICS_SECONDS", "15"))

    def run(stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                with orm.database.connection_context():
                    measure_queue(PeeweeReviewUnitOfWork(orm.tables, producer=runtime.name))
            except Exception:
                log.exception("queue gauges: round failed")
            stop.wait(every)

    return run


def definition() -> ServiceDefinition:
    from review.entrypoints.api import BLUEPRINTS

    return ServiceDefinition(
        name="review", title="review — the reviewers' queue and recognition rounds",
        tables=orm.tables, migrations=MIGRATIONS, unit_of_work=PeeweeReviewUnitOfWork,
        blueprints=lambda: BLUEPRINTS, consumes=SUBSCRIPTIONS, on_start=_start, workers=[queue_gauges])
