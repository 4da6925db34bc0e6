"""identity's subscriptions: which of the other services' events go to which handler.

- `decisions`: review's decisions on organisations verify or reject them.
- `accounts`: identity's account deactivations and reactivations, so that this service refuses the
  tokens of deactivated accounts (`platform_shared.auth.revocations`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from identity.service_layer import decisions
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.auth import revocations
from platform_shared.event_handlers import route
from platform_shared.events.envelope import Envelope
from platform_shared.runtime import Consumes, HandlerFactory

IdentityEventHandler = Callable[[Envelope, IdentityUnitOfWork], None]

DECISIONS: Mapping[str, IdentityEventHandler] = {
    "review.decision.made": decisions.on_decision_made,
}


def _routed(handlers: Mapping[str, IdentityEventHandler]) -> HandlerFactory:
    return route(handlers)


SUBSCRIPTIONS = (Consumes("decisions", list(DECISIONS), _routed(DECISIONS)), revocations.subscription())
