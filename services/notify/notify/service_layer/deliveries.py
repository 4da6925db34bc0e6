"""Deliveries: recorded when an event arrives, sent by a worker, retried, never lost.

Recording happens in the consumer's transaction (with the inbox row), so a redelivered event
records nothing new: one delivery per (event, recipient, template). Sending is a separate
loop over due deliveries: a mail server that is down delays mail without blocking the
consumer, and each attempt's outcome is written down (`sent`, `retrying` with the next
attempt time, or `failed` with the server's answer), and counted in `mails_total` by template.
An operator may send a `failed` delivery round again (`retry_failed`).

Exactly once, in effect. A worker first *claims* a due delivery in a transaction of its own
(`sending`, with a lease: `next_attempt_at` is then the lease's end), so that another worker
(another replica) leaves it alone. It then opens the transaction that marks it `sent` (and
writes `notify.email.sent` to the outbox), hands the mail to the SMTP server, and commits the
moment the server accepted it. A worker killed before the server accepted leaves a `sending`
row whose lease runs out: it is sent when the lease ends, nothing is lost. The one moment that
cannot be made atomic is between the server's acceptance and that commit (a few hundred
microseconds): a worker killed exactly then leaves a mail that went out still `sending`, and it
goes out once more when the lease ends, with the same Message-ID (derived from the delivery),
so the copy is recognisably the same mail. Such a resend is logged and counted
(`mails_total{outcome="interrupted"}`), and its `last_error` says so.
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
from notify.domain.messages import DEFAULT_PUBLIC_URL, RULES, accounts_learned, contacts_learned, messages_for
from platform_shared.database import is_postgres
from platform_shared.events.envelope import Envelope
from platform_shared.observability.metrics import MAILS
from platform_shared.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

DUE_STATES = ("pending", "retrying")
INTERRUPTED = ("an earlier attempt was interrupted (the worker stopped) before its outcome was written; "
               "sent again with the same Message-ID")


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_delay_seconds: float = 30.0
    max_delay_seconds: float = 3600.0
    # How long a claimed delivery stays the claiming worker's before another may take it over
    # (its worker died mid-attempt): longer than one SMTP transaction usually takes. On
    # PostgreSQL a live worker's row is safe even past its lease: the open `sent` transaction
    # holds the row's lock, and claims skip locked rows.
    lease_seconds: float = 60.0

    def delay_after(self, attempts: int) -> float:
        return min(self.base_delay_seconds * (2 ** max(0, attempts - 1)), self.max_delay_seconds)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def record_deliveries(event: Envelope, uow: UnitOfWork, templates: MailTemplates,
                      public_url: str = DEFAULT_PUBLIC_URL) -> None:
    """Keep what the event tells about contacts and accounts, then write one pending delivery per
    mail the event causes (none twice for the same mail), rendered in its recipient's language."""
    remember(contacts_learned(event), accounts_learned(event))
    requests = messages_for(event, PeeweeContactBook(), public_url)
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
    """Try due deliveries once each, at most `batch`, over one mail server session; returns how
    many were attempted."""
    attempted = 0
    with database.connection_context(), mailer.session() as send:
        while attempted < batch:
            delivery = _claim(database, policy)
            if delivery is None:
                break
            attempted += 1
            if delivery.state == "failed":  # interrupted too often: given up in the claim
                continue
            _attempt(delivery, unit_of_work, send, sender, policy)
    return attempted


def _claim(database: peewee.Database, policy: RetryPolicy) -> Delivery | None:
    """The next due delivery, made this worker's (`sending`, leased) in a committed transaction;
    a `sending` one whose lease ran out (its worker died mid-attempt) is due again."""
    now = _now()
    with database.atomic():
        due = (Delivery.select()
               .where((Delivery.state.in_((*DUE_STATES, "sending"))) & (Delivery.next_attempt_at <= now))
               .order_by(Delivery.next_attempt_at).limit(1))
        if is_postgres(database):
            due = due.for_update(skip_locked=True)
        delivery = due.first()
        if delivery is None:
            return None
        if delivery.state == "sending":
            MAILS.labels("notify", delivery.template, "interrupted").inc()
            log.warning("delivery %s to %s: %s", delivery.id, delivery.recipient, INTERRUPTED)
            delivery.last_error = INTERRUPTED
            if delivery.attempts >= policy.max_attempts:
                delivery.state = "failed"
                delivery.save()
                MAILS.labels("notify", delivery.template, "failed").inc()
                return delivery
        delivery.state, delivery.attempts = "sending", delivery.attempts + 1
        delivery.next_attempt_at = now + dt.timedelta(seconds=policy.lease_seconds)
        delivery.save()
    return delivery


def _attempt(delivery: Delivery, unit_of_work: Callable[[str | None], UnitOfWork], send, sender: str,
             policy: RetryPolicy) -> None:
    message = compose(sender, delivery.recipient, delivery.subject, delivery.text_body,
                      delivery.html_body, delivery.id)
    sent_at = _now()
    try:
        # The `sent` mark is written before the mail goes and committed the moment the server
        # accepted it (leaving the block); any failure rolls it back.
        with unit_of_work(delivery.correlation_id) as uow:
            # A mail sent again after an interrupted attempt keeps that note: it may have arrived twice.
            note = INTERRUPTED if delivery.last_error == INTERRUPTED else None
            marked = (Delivery.update(state="sent", sent_at=sent_at, last_error=note)
                      .where((Delivery.id == delivery.id) & (Delivery.state == "sending")).execute())
            if marked != 1:  # the lease ran out and another worker took it over: it is theirs
                log.warning("delivery %s: no longer this worker's; not sent by it", delivery.id)
                return
            uow.publish("notify.email.sent", {
                "delivery_id": delivery.id, "event_id": delivery.event_id, "event_type": delivery.event_type,
                "template": delivery.template, "recipient": delivery.recipient,
                "sent_at": sent_at.replace(tzinfo=dt.UTC).isoformat(),
            }, aggregate_id=delivery.id)
            send(message)
    except TemporaryFailure as exc:
        delivery.last_error = str(exc)[:2000]
        if delivery.attempts >= policy.max_attempts:
            delivery.state = "failed"
            MAILS.labels("notify", delivery.template, "failed").inc()
        else:
            MAILS.labels("notify", delivery.template, "retried").inc()
            delivery.state = "retrying"
            delivery.next_attempt_at = _now() + dt.timedelta(seconds=policy.delay_after(delivery.attempts))
        _save_outcome(delivery, unit_of_work)
        log.warning("delivery %s to %s: %s (%s)", delivery.id, delivery.recipient, exc, delivery.state)
        return
    except PermanentFailure as exc:
        delivery.state, delivery.last_error = "failed", str(exc)[:2000]
        _save_outcome(delivery, unit_of_work)
        MAILS.labels("notify", delivery.template, "failed").inc()
        log.warning("delivery %s to %s failed for good: %s", delivery.id, delivery.recipient, exc)
        return
    MAILS.labels("notify", delivery.template, "sent").inc()


def _save_outcome(delivery: Delivery, unit_of_work: Callable[[str | None], UnitOfWork]) -> None:
    with unit_of_work(delivery.correlation_id):
        (Delivery.update(state=delivery.state, last_error=delivery.last_error,
                         next_attempt_at=delivery.next_attempt_at)
         .where((Delivery.id == delivery.id) & (Delivery.state == "sending")).execute())


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
