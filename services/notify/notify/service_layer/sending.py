"""The delivery worker's round: due deliveries claimed, sent, and each attempt's outcome written
down (`sent`, `retrying` with the next attempt's time, or `failed` with the server's answer),
counted in `mails_total` by template and outcome.

Exactly once, in effect. A worker first *claims* a due delivery in a transaction of its own
(`sending`, with a lease: `next_attempt_at` is then the lease's end), so that another worker
(another replica) leaves it alone. It then opens the transaction that marks it `sent` (and
writes `notify.email.sent` to the outbox), hands the mail to the SMTP server, and commits the
moment the server accepted it. A worker killed before the server accepted leaves a `sending`
delivery whose lease runs out: it is sent when the lease ends, nothing is lost. The one moment
that cannot be made atomic is between the server's acceptance and that commit (a few hundred
microseconds): a worker killed exactly then leaves a mail that went out still `sending`, and it
goes out once more when the lease ends, with the same Message-ID (derived from the delivery), so
the copy is recognisably the same mail. Such a resend is logged and counted
(`mails_total{outcome="interrupted"}`), and its `last_error` says so.

So a round is several transactions by design (claim; send; a failure's outcome), each of its
own unit of work: no transaction may span the mail server and the claim.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable

from notify.domain.commands import DeliverDue
from notify.domain.deliveries import FAILED, INTERRUPTED, Delivery, RetryPolicy
from notify.service_layer.dependencies import NotifyDependencies, PermanentFailure, Send, TemporaryFailure
from notify.service_layer.unit_of_work import NotifyUnitOfWork
from platform_shared.moments import utcnow
from platform_shared.observability.metrics import MAILS

log = logging.getLogger(__name__)

# A new unit of work whose events carry this correlation id (the delivery's event's).
UnitsOfWork = Callable[[str | None], NotifyUnitOfWork]


def handle_deliver_due(command: DeliverDue, units: UnitsOfWork, dependencies: NotifyDependencies) -> int:
    """Try due deliveries once each, at most `command.batch`, over one mail server session;
    returns how many were attempted."""
    attempted = 0
    with dependencies.mailer.session() as send:
        while attempted < command.batch:
            delivery = claim_next(units(None), dependencies.policy)
            if delivery is None:
                break
            attempted += 1
            if delivery.state == FAILED:  # interrupted too often: given up in the claim
                continue
            attempt(delivery, units, send, dependencies)
    return attempted


def claim_next(uow: NotifyUnitOfWork, policy: RetryPolicy) -> Delivery | None:
    """The next due delivery, made this worker's (`sending`, leased) in a committed transaction;
    a `sending` one whose lease ran out (its worker died mid-attempt) is due again."""
    now = utcnow()
    with uow:
        due = uow.deliveries.next_due(now)
        if due is None:
            return None
        claimed = due.claimed(now, policy)
        uow.deliveries.save(claimed)
    if due.interrupted:
        _count(claimed, "interrupted")
        log.warning("delivery %s to %s: %s", claimed.id, claimed.recipient, INTERRUPTED)
        if claimed.state == FAILED:
            _count(claimed, "failed")
    return claimed


def attempt(delivery: Delivery, units: UnitsOfWork, send: Send, dependencies: NotifyDependencies) -> None:
    """Send a claimed delivery once: `sent` committed the moment the server accepted it, or the
    failure's outcome written."""
    try:
        secrets = json.loads(dependencies.sealer.open(delivery.sealed)) if delivery.sealed else {}
    except Exception:  # noqa: BLE001 - no key of ours opens it (rotated away): nothing to send
        record_failure(delivery.failed_for_good("its one-time link cannot be opened with the current keys"),
                       units(delivery.correlation_id))
        _count(delivery, "failed")
        log.error("delivery %s: its sealed link cannot be opened (NOTIFY_SECRET_KEYS)", delivery.id)
        return
    mail = delivery.mail_from(dependencies.sender, secrets)
    sent_at = utcnow()
    try:
        # The `sent` mark is written before the mail goes and committed the moment the server
        # accepted it (leaving the block); any failure rolls it back.
        with units(delivery.correlation_id) as uow:
            if not uow.deliveries.mark_sent(delivery.sent(sent_at)):
                # The lease ran out and another worker took it over: it is theirs.
                log.warning("delivery %s: no longer this worker's; not sent by it", delivery.id)
                return
            uow.publish("notify.email.sent", {
                "delivery_id": delivery.id, "event_id": delivery.event_id, "event_type": delivery.event_type,
                "template": delivery.template, "recipient": delivery.recipient,
                "sent_at": sent_at.replace(tzinfo=dt.UTC).isoformat(),
            }, aggregate_id=delivery.id)
            send(mail)
    except TemporaryFailure as exc:
        outcome = delivery.failed_for_now(str(exc), utcnow(), dependencies.policy)
        _count(outcome, "failed" if outcome.state == FAILED else "retried")
        record_failure(outcome, units(delivery.correlation_id))
        log.warning("delivery %s to %s: %s (%s)", delivery.id, delivery.recipient, exc, outcome.state)
        return
    except PermanentFailure as exc:
        record_failure(delivery.failed_for_good(str(exc)), units(delivery.correlation_id))
        _count(delivery, "failed")
        log.warning("delivery %s to %s failed for good: %s", delivery.id, delivery.recipient, exc)
        return
    _count(delivery, "sent")


def record_failure(outcome: Delivery, uow: NotifyUnitOfWork) -> None:
    """Write a failed attempt's outcome, unless the delivery is no longer this worker's."""
    with uow:
        uow.deliveries.record_failure(outcome)


def _count(delivery: Delivery, outcome: str) -> None:
    MAILS.labels("notify", delivery.template, outcome).inc()
