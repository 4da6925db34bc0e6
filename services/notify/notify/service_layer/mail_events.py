"""An event arrives: what it tells about contacts and accounts is kept, and each mail it causes
is recorded as a pending delivery, rendered in its recipient's language.

This runs in the consumer's transaction (with the event's inbox row), so a redelivered event
records nothing new; and the deliveries are keyed by (event, recipient, template), so even an
event handled twice past the inbox makes each mail once. Sending is the delivery worker's
(`service_layer.sending`): a mail server that is down delays mail without blocking the
consumer.
"""

from __future__ import annotations

import json
import logging

from notify.domain.contacts import accounts_learned, contact_replaced, contacts_learned
from notify.domain.deliveries import Delivery
from notify.domain.messages import RULES, messages_for
from notify.service_layer.dependencies import NotifyDependencies
from notify.service_layer.unit_of_work import NotifyUnitOfWork
from platform_shared.events.envelope import Envelope
from platform_shared.moments import utcnow

log = logging.getLogger(__name__)


def on_event(event: Envelope, uow: NotifyUnitOfWork, dependencies: NotifyDependencies) -> None:
    """Keep what `event` tells about contacts and accounts, then write one pending delivery per
    mail it causes (none twice for the same mail)."""
    with uow:
        for contact in contacts_learned(event):
            uow.contacts.remember_contact(contact)
        for account in accounts_learned(event):
            uow.contacts.remember_account(account)
        replaced = contact_replaced(event)
        if replaced is not None:
            uow.contacts.replace_contact(replaced)
        requests = messages_for(event, uow.contacts, dependencies.public_url)
        if not requests and event.type in RULES and event.data.get("organisation_id"):
            log.warning("%s %s: no recipient known for organisation %s", event.type, event.id,
                        event.data.get("organisation_id"))
        for request in requests:
            mail = dependencies.templates.render(request.template, request.language, request.values)
            sealed = dependencies.sealer.seal(json.dumps(request.secrets)) if request.secrets else None
            uow.deliveries.add(Delivery.of(request, mail, event_id=event.id, event_type=event.type,
                                           correlation_id=event.correlation_id, now=utcnow(), sealed=sealed))
