"""reporting's subscriptions: identity's organisation events and filing's product events, each
to the projection that keeps the read models (`service_layer.projections`)."""

from __future__ import annotations

from collections.abc import Callable

from platform_shared.event_handlers import EventHandler, route
from platform_shared.events.catalogue.identity import ORGANISATION_STATUS_AFTER
from platform_shared.events.envelope import Envelope
from platform_shared.runtime import Consumes
from platform_shared.unit_of_work import UnitOfWork
from reporting.domain.products import PRODUCT_EVENTS
from reporting.service_layer.projections import on_organisation_event, on_product_event
from reporting.service_layer.unit_of_work import ReportingUnitOfWork


def _in_reporting(handler: Callable[[Envelope, ReportingUnitOfWork], None]) -> EventHandler:
    """`handler` as the consumer calls it: with the service's unit of work, which is reporting's."""

    def handle(event: Envelope, uow: UnitOfWork) -> None:
        if not isinstance(uow, ReportingUnitOfWork):
            raise TypeError(f"reporting's handlers need reporting's unit of work, not a {type(uow).__name__}")
        handler(event, uow)

    return handle


HANDLERS = (dict.fromkeys(ORGANISATION_STATUS_AFTER, _in_reporting(on_organisation_event))
            | dict.fromkeys(PRODUCT_EVENTS, _in_reporting(on_product_event)))
SUBSCRIPTIONS = [Consumes("events", ["identity.organisation.*", *PRODUCT_EVENTS], route(HANDLERS))]
