"""Routing a subscription's events to plain handler functions, each in its own unit of work.

    consumes=[Consumes("events", ["identity.organisation.*"],
                       handler=route({"identity.organisation.registered": on_registered}))]

A handler is `handler(event, uow)`; whatever it writes and publishes commits together with
the inbox row of the event. A type that the subscription's patterns let through but that no
handler names is acknowledged without effect: the binding is wider than the interest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from platform_shared.events.envelope import Envelope
from platform_shared.observability.logs import correlation_id

if TYPE_CHECKING:
    from platform_shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

# A handler takes the event and the service's own unit of work (a subclass of `UnitOfWork`).
EventHandler = Callable[[Envelope, Any], None]


def route(handlers: Mapping[str, EventHandler]) -> Callable[[ServiceRuntime], Callable[[Envelope], None]]:
    """A handler factory for `Consumes`: dispatches by event type, one unit of work each."""

    def build(runtime: ServiceRuntime) -> Callable[[Envelope], None]:
        def dispatch(event: Envelope) -> None:
            handler = handlers.get(event.type)
            if handler is None:
                log.debug("%s: no handler for %s; acknowledged without effect", runtime.name, event.type)
                return
            # The logs of this handler carry the id of the request that started it all.
            token = correlation_id.set(event.correlation_id)
            try:
                with runtime.unit_of_work_for(event) as uow:
                    handler(event, uow)
            finally:
                correlation_id.reset(token)

        return dispatch

    return build
