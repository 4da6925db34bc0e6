"""The delivery worker: a background loop beside the consumers that runs the delivery round
(`service_layer.sending`) until the process stops, and waits a moment when nothing was due.

Each round holds one database connection, given back when it ends, so an idle worker holds none
and one that lost its database starts afresh.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from notify.domain.commands import DeliverDue
from notify.service_layer.dependencies import notify_dependencies
from notify.service_layer.sending import handle_deliver_due
from notify.service_layer.unit_of_work import NotifyUnitOfWork, notify_unit_of_work
from platform_shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)


def delivery_worker(runtime: ServiceRuntime) -> Callable[[threading.Event], None]:
    poll_seconds = notify_dependencies(runtime.dependencies).poll_seconds

    def run(stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                attempted = deliver_round(runtime)
            except Exception:
                log.exception("delivery worker: round failed")
                attempted = 0
            if not attempted:
                stop.wait(poll_seconds)

    return run


def deliver_round(runtime: ServiceRuntime) -> int:
    """One round over its own database connection; how many deliveries it attempted."""

    def unit_of_work(correlation_id: str | None) -> NotifyUnitOfWork:
        return notify_unit_of_work(runtime.unit_of_work(correlation_id))

    if runtime.database is None:
        raise RuntimeError("notify's database is not open")
    with runtime.database.connection_context():
        return handle_deliver_due(DeliverDue(), unit_of_work, notify_dependencies(runtime.dependencies))
