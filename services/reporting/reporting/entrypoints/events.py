"""reporting's subscriptions: identity's organisation events and filing's product events, each
to the projection that keeps the read models (`service_layer.projections`); and (`accounts`)
identity's account deactivations, so that reporting refuses their tokens (`platform_shared.auth.revocations`)."""

from __future__ import annotations

from platform_shared.auth import revocations
from platform_shared.event_handlers import route
from platform_shared.events.catalogue.identity import ORGANISATION_EVENTS
from platform_shared.runtime import Consumes
from reporting.domain.products import PRODUCT_EVENTS
from reporting.service_layer.projections import on_organisation_event, on_product_event

HANDLERS = (dict.fromkeys(ORGANISATION_EVENTS, on_organisation_event)
            | dict.fromkeys(PRODUCT_EVENTS, on_product_event))
SUBSCRIPTIONS = [Consumes("events", ["identity.organisation.*", *PRODUCT_EVENTS], route(HANDLERS)),
                 revocations.subscription()]
