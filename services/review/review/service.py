"""review as the platform runs it: tasks from events, the queue and recognition rounds over HTTP,
review's view of filed products, the queue's gauges."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from platform_shared.event_handlers import route
from platform_shared.runtime import Consumes, ServiceDefinition, ServiceRuntime
from review.adapters import orm
from review.adapters.migrations import MIGRATIONS
from review.adapters.recognition_settings import recognition_components
from review.service_layer.filed_products import HANDLERS as FILED_PRODUCTS
from review.service_layer.queue import QueueRules
from review.service_layer.queue_metrics import measure_queue
from review.service_layer.tasks import on_product_submitted, on_product_withdrawn, on_verification_requested

log = logging.getLogger(__name__)
CASES = {
    "identity.organisation.verification_requested": on_verification_requested,
    "filing.product.submitted": on_product_submitted,
    "filing.product.withdrawn": on_product_withdrawn,
}


def _start(runtime: ServiceRuntime) -> None:
    setting = runtime.settings.setting
    runtime.components["queue_rules"] = QueueRules(
        claim_for=dt.timedelta(minutes=float(setting("CLAIM_MINUTES", "120"))),
        four_eyes=setting("FOUR_EYES_REJECTIONS", "false").strip().lower() in ("1", "true", "yes"))
    runtime.components.update(recognition_components(runtime.settings))


def queue_gauges(runtime: ServiceRuntime) -> Callable[[threading.Event], None]:
    every = float(runtime.settings.setting("QUEUE_METRICS_SECONDS", "15"))

    def run(stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                with runtime.database.connection_context():
                    measure_queue()
            except Exception:
                log.exception("queue gauges: round failed")
            stop.wait(every)

    return run


def definition() -> ServiceDefinition:
    from review.entrypoints.api import blp
    from review.entrypoints.recognition import blp as recognition_blp

    return ServiceDefinition(
        name="review", title="review — the reviewers' queue and recognition rounds",
        tables=orm.tables, migrations=MIGRATIONS, blueprints=lambda: [blp, recognition_blp],
        consumes=[Consumes("cases", list(CASES), route(CASES)),
                  Consumes("filed-products", list(FILED_PRODUCTS), route(FILED_PRODUCTS))],
        on_start=_start, workers=[queue_gauges])
