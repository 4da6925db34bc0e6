"""Deliveries: recorded when an event arrives, sent by a worker, retried, never lost.

Recording happens in the consumer's transaction (with the inbox row), so a redelivered event
records nothing new: one delivery per (event, recipient, template). Sending is a separate
loop over due deliveries: a mail server that is down delays mail without blocking the
consumer, and each attempt's outcome is written down (`sent`, `retrying` with the next
attempt time, or `failed` with the server's answer), and counted in `mails_total` by template.
An operator may send a `failed` delivery round again (`retry_failed`).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import peewee

from notify.adapters.contacts import PeeweeContactBook, remember
from notify.adapters.mail import PermanentFailure, TemporaryFailure, compose
from notify.adapters.orm import Delivery
from notify.adapters.templates import MailTemplates
from notify.domain.messages import RULES, contacts_learned, messages_for
from platform_shared.database import is_postgres
from platform_shared.events.envelope import Envelope
from platform_shared.observability.metrics import MAILS
from platform_shared.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_delay_seconds: float = 30.0
    max_delay_seconds: float = 3600.0

    def delay_after(self, attempts: int) -> float:
        return min(self.base_delay_seconds * (2 ** max(0, attempts - 1)), self.max_delay_seconds)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def record_deliveries(event: Envelope, uow: UnitOfWork, templates: MailTemplates) -> None:
    """Keep what the event tells about contacts, then write one pending delivery per mail the
    event causes (none twice for the same mail)."""
    remember(contacts_learned(event))
    requests = messages_for(event, PeeweeContactBook())
    if not requests and event.type in RULES and event.data.get("organisation_id"):
        log.warning("%s %s: no recipient known for organisation %s", event.type, event.id,
                    event.data.get("organisation_id"))
    for request in requests:
        mail = templates.render(request.template, request.language, request.values)
        Delivery.insert(
            id=str(uuid.uuid4()), event_id=event.id, event_type=event.type, template=request.template,
            recipient=request.recipient, language=request.language, subject=mail.subject,
            text_body=mail.text, html_body=mail.html, state="pending", attempts=0,
            next_attempt_at=_now(), correlation_id=event.correlation_id, created_at=_now(),
        ).on_conflict_ignore().execute()


def deliver_due(database: peewee.Database, unit_of_work: Callable[[str | None], UnitOfWork], mailer,
                sender: str, policy: RetryPolicy, batch: int = 20) -> int:
    """Try every due delivery once; returns how many were attempted."""
    with database.connection_context(), database.atomic():
        due = (Delivery.select()
               .where(Delivery.state.in_(("pending", "retrying")) & (Delivery.next_attempt_at <= _now()))
               .order_by(Delivery.next_attempt_at).limit(batch))
        if is_postgres(database):
            due = due.for_update(skip_locked=True)
        deliveries = list(due)
        for delivery in deliveries:
            _attempt(delivery, unit_of_work, mailer, sender, policy)
    return len(deliveries)


def _attempt(delivery: Delivery, unit_of_work: Callable[[str | None], UnitOfWork], mailer, sender: str,
             policy: RetryPolicy) -> None:
    message = compose(sender, delivery.recipient, delivery.subject, delivery.text_body,
                      delivery.html_body, delivery.id)
    delivery.attempts += 1
    try:
        mailer.send(message)
    except TemporaryFailure as exc:
        delivery.last_error = str(exc)[:2000]
        if delivery.attempts >= policy.max_attempts:
            delivery.state = "failed"
            MAILS.labels("notify", delivery.template, "failed").inc()
        else:
            MAILS.labels("notify", delivery.template, "retried").inc()
            delivery.state = "retrying"
            delivery.next_attempt_at = _now() + dt.timedelta(seconds=policy.delay_after(delivery.attempts))
        delivery.save()
        log.warning("delivery %s to %s: %s (%s)", delivery.id, delivery.recipient, exc, delivery.state)
        return
    except PermanentFailure as exc:
        delivery.state, delivery.last_error = "failed", str(exc)[:2000]
        delivery.save()
        MAILS.labels("notify", delivery.template, "failed").inc()
        log.warning("delivery %s to %s failed for good: %s", delivery.id, delivery.recipient, exc)
        return
    delivery.state, delivery.sent_at, delivery.last_error = "sent", _now(), None
    with unit_of_work(delivery.correlation_id) as uow:
        delivery.save()
        uow.publish("notify.email.sent", {
            "delivery_id": delivery.id, "event_id": delivery.event_id, "event_type": delivery.event_type,
            "template": delivery.template, "recipient": delivery.recipient,
            "sent_at": delivery.sent_at.replace(tzinfo=dt.UTC).isoformat(),
        }, aggregate_id=delivery.id)
    MAILS.labels("notify", delivery.template, "sent").inc()


class UnknownDelivery(LookupError):
    pass


class NotFailed(Exception):
    pass


def retry_failed(delivery_id: str, uow: UnitOfWork) -> Delivery:
    """Send a `failed` delivery again: `pending`, due now, with a fresh count of attempts.

    The count restarts at 0 so that the retry gets the whole back-off of `RetryPolicy` (kept,
    one more temporary failure would fail it again at once); the last error stays until the
    next attempt replaces it, so the operator still sees why it had failed."""
    with uow:
        delivery = Delivery.get_or_none(Delivery.id == delivery_id)
        if delivery is None:
            raise UnknownDelivery(delivery_id)
        if delivery.state != "failed":
            raise NotFailed(delivery.state)
        delivery.state, delivery.attempts, delivery.next_attempt_at = "pending", 0, _now()
        delivery.save()
    return delivery
