"""notify's subscriptions: which events go to which handler.

- `mail`, bound to every event type a rule makes mail of (`domain.messages.SUBSCRIBED_TYPES`);
  each event goes to `on_event` in its own unit of work;
- `accounts`: identity's account deactivations and reactivations, so that this service refuses the
  tokens of deactivated accounts (`platform_shared.auth.revocations`).
"""

from __future__ import annotations

from collections.abc import Callable

from notify.domain.messages import SUBSCRIBED_TYPES
from notify.service_layer.dependencies import notify_dependencies
from notify.service_layer.mail_events import on_event
from notify.service_layer.unit_of_work import notify_unit_of_work
from platform_shared.auth import revocations
from platform_shared.event_handlers import route
from platform_shared.events.envelope import Envelope
from platform_shared.runtime import Consumes, ServiceRuntime
from platform_shared.unit_of_work import UnitOfWork


def mail(runtime: ServiceRuntime) -> Callable[[Envelope], None]:
    """The `mail` subscription's handler: each event's deliveries, with links under the public URL."""

    def record(event: Envelope, uow: UnitOfWork) -> None:
        on_event(event, notify_unit_of_work(uow), notify_dependencies(runtime.dependencies))

    dispatch: Callable[[Envelope], None] = route(dict.fromkeys(SUBSCRIBED_TYPES, record))(runtime)
    return dispatch


SUBSCRIPTIONS = (Consumes("mail", SUBSCRIBED_TYPES, mail), revocations.subscription())
