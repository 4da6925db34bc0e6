"""A delivery: one mail to one recipient for one event, and its way from `pending` to `sent`.

    pending ──claimed──▶ sending ──accepted──▶ sent
       ▲                  │  ├──temporary failure──▶ retrying (due again after a back-off)
       │                  │  └──permanent failure, or the last attempt──▶ failed
       └── an operator's retry ◀── failed

A worker claims a due delivery for one attempt with a lease (`next_attempt_at` is then the
lease's end). A `sending` delivery whose lease ran out was interrupted (its worker stopped
mid-attempt): it is due again, noted as interrupted, and failed once it had all its attempts.
Each method returns the delivery as it is after the step; nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from html import escape as html_escape

from notify.domain.mail_requests import MailRequest
from notify.domain.messages import RenderedMail
from platform_shared.errors import Conflict

PENDING, SENDING, SENT, RETRYING, FAILED = "pending", "sending", "sent", "retrying", "failed"
STATES = (PENDING, SENDING, SENT, RETRYING, FAILED)
# Due when their time has come; a `sending` one too, once its lease ran out.
DUE_STATES = (PENDING, RETRYING)
CLAIMABLE_STATES = (*DUE_STATES, SENDING)
INTERRUPTED = ("an earlier attempt was interrupted (the worker stopped) before its outcome was written; "
               "sent again with the same Message-ID")
# How much of a mail server's answer a delivery keeps.
ERROR_LENGTH = 2000


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
        return float(min(self.base_delay_seconds * (2 ** max(0, attempts - 1)), self.max_delay_seconds))


@dataclass(frozen=True)
class OutgoingMail:
    """What goes to the mail server: the delivery's own id makes its Message-ID."""

    delivery_id: str
    sender: str
    recipient: str
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Delivery:
    id: str
    event_id: str
    event_type: str
    template: str
    recipient: str
    language: str
    subject: str
    text_body: str
    html_body: str
    state: str
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str | None
    correlation_id: str | None
    created_at: dt.datetime
    sent_at: dt.datetime | None = None
    # A one-time link's placeholder → the link, sealed (encrypted with keys outside the database)
    # until the mail is sent, then erased: the kept mail holds the placeholder only.
    sealed: str | None = None

    @classmethod
    def of(cls, request: MailRequest, mail: RenderedMail, *, event_id: str, event_type: str,
           correlation_id: str | None, now: dt.datetime, sealed: str | None = None) -> Delivery:
        """A new delivery of `mail` for the event `event_id`, due now (`sealed`: its secrets)."""
        return cls(id=str(uuid.uuid4()), event_id=event_id, event_type=event_type, template=request.template,
                   recipient=request.recipient, language=request.language, subject=mail.subject,
                   text_body=mail.text, html_body=mail.html, state=PENDING, attempts=0, next_attempt_at=now,
                   last_error=None, correlation_id=correlation_id, created_at=now, sealed=sealed)

    @property
    def interrupted(self) -> bool:
        """Claimed and due again: its worker stopped before it wrote the attempt's outcome."""
        return self.state == SENDING

    def claimed(self, now: dt.datetime, policy: RetryPolicy) -> Delivery:
        """Taken by a worker for one more attempt, leased to it until `now` + the lease; an
        interrupted one is noted as such, and `failed` if it had all its attempts."""
        last_error = INTERRUPTED if self.interrupted else self.last_error
        if self.interrupted and self.attempts >= policy.max_attempts:
            return replace(self, state=FAILED, last_error=last_error)
        return replace(self, state=SENDING, attempts=self.attempts + 1, last_error=last_error,
                       next_attempt_at=now + dt.timedelta(seconds=policy.lease_seconds))

    def mail_from(self, sender: str, secrets: Mapping[str, str] | None = None) -> OutgoingMail:
        """The mail as it goes out: the kept one with each secret put in its placeholder."""
        subject, text, html = self.subject, self.text_body, self.html_body
        for placeholder, secret in (secrets or {}).items():
            subject, text = subject.replace(placeholder, secret), text.replace(placeholder, secret)
            html = html.replace(placeholder, html_escape(secret))
        return OutgoingMail(delivery_id=self.id, sender=sender, recipient=self.recipient, subject=subject,
                            text=text, html=html)

    def sent(self, at: dt.datetime) -> Delivery:
        """Accepted by the mail server. A mail sent again after an interrupted attempt keeps that
        note: it may have arrived twice."""
        return replace(self, state=SENT, sent_at=at, last_error=INTERRUPTED if self.last_error == INTERRUPTED else None,
                       sealed=None)

    def failed_for_now(self, error: str, now: dt.datetime, policy: RetryPolicy) -> Delivery:
        """A temporary failure: `retrying` after the policy's back-off, or `failed` after the last attempt."""
        if self.attempts >= policy.max_attempts:
            return replace(self, state=FAILED, last_error=error[:ERROR_LENGTH])
        return replace(self, state=RETRYING, last_error=error[:ERROR_LENGTH],
                       next_attempt_at=now + dt.timedelta(seconds=policy.delay_after(self.attempts)))

    def failed_for_good(self, error: str) -> Delivery:
        """A permanent failure (5xx, a bad address): `failed` at once."""
        return replace(self, state=FAILED, last_error=error[:ERROR_LENGTH])

    def retried(self, now: dt.datetime) -> Delivery:
        """An operator sends a `failed` delivery again: `pending`, due now, with a fresh count of attempts.

        The count restarts at 0 so that the retry gets the whole back-off of `RetryPolicy` (kept,
        one more temporary failure would fail it again at once); the last error stays until the
        next attempt replaces it, so the operator still sees why it had failed."""
        if self.state != FAILED:
            raise Conflict(f"Only a failed delivery can be retried; this one is {self.state}.",
                           slug="delivery-not-failed")
        return replace(self, state=PENDING, attempts=0, next_attempt_at=now)
