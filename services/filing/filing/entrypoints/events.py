"""filing's subscriptions: which of the other services' events go to which handler.

- `organisations`: identity's organisation events keep filing's view of organisations (who may file);
- `decisions`: review's decisions on products (filed, rejected, returned);
- `recognitions`: review's recognition of filed products;
- `rounds`: a recognition round opened (its products' patents re-checked before the formal check);
- `accounts`: identity's account deactivations and reactivations, so that this service refuses the
  tokens of deactivated accounts (`platform_shared.auth.revocations`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from filing.service_layer import decisions, organisations, patent_rechecks
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.auth import revocations
from platform_shared.event_handlers import route
from platform_shared.events.catalogue.identity import ORGANISATION_EVENTS
from platform_shared.events.envelope import Envelope
from platform_shared.runtime import Consumes, HandlerFactory

FilingEventHandler = Callable[[Envelope, FilingUnitOfWork], None]

ORGANISATIONS: Mapping[str, FilingEventHandler] = dict.fromkeys(ORGANISATION_EVENTS,
                                                                organisations.on_organisation_event)
DECISIONS: Mapping[str, FilingEventHandler] = {"review.decision.made": decisions.on_decision_made}
RECOGNITIONS: Mapping[str, FilingEventHandler] = {"review.product.recognised": decisions.on_product_recognised}
ROUNDS: Mapping[str, FilingEventHandler] = {"review.recognition_round.opened": patent_rechecks.on_round_opened}


def _routed(handlers: Mapping[str, FilingEventHandler]) -> HandlerFactory:
    return route(handlers)


SUBSCRIPTIONS = (
    Consumes("organisations", ["identity.organisation.*"], _routed(ORGANISATIONS)),
    Consumes("decisions", list(DECISIONS), _routed(DECISIONS)),
    Consumes("recognitions", list(RECOGNITIONS), _routed(RECOGNITIONS)),
    Consumes("rounds", list(ROUNDS), _routed(ROUNDS)),
    revocations.subscription(),
)
