"""The delivery worker's round (`handle_deliver_due`, `claim_next`, `attempt`): claimed, sent once
and announced, retried after a back-off, failed, and an interrupted attempt sent again; with
notify's fake unit of work and a fake mail server."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from prometheus_client import REGISTRY

from notify.domain.commands import DeliverDue
from notify.domain.deliveries import INTERRUPTED, Delivery, RetryPolicy
from notify.domain.messages import MailRequest, RenderedMail
from notify.service_layer.dependencies import NotifyDependencies, PermanentFailure, TemporaryFailure
from notify.service_layer.sending import attempt, claim_next, handle_deliver_due, record_failure
from platform_shared.moments import utcnow
from tests.support.fakes.notify import FakeMailer, FakeNotifyUnitOfWork, FakeTemplates

pytestmark = pytest.mark.unit

SENDER = "专利产品备案平台 <no-reply@patent-filing.platform>"
POLICY = RetryPolicy(max_attempts=3, base_delay_seconds=30, lease_seconds=60)


class WorkerDied(BaseException):
    """Stands for a SIGKILL: nothing after it runs, no open transaction commits."""


def delivery(recipient: str = "wang@qh.example.cn", template: str = "province_port_rejected", **changes) -> Delivery:
    made = Delivery.of(MailRequest(template, recipient), RenderedMail("主题", "正文", "<p>正文</p>"),
                       event_id=f"event-{recipient}", event_type="identity.province_port.rejected",
                       correlation_id=f"req-{recipient}", now=utcnow() - dt.timedelta(seconds=1))
    return dataclasses.replace(made, **changes)


def store(uow: FakeNotifyUnitOfWork, *deliveries: Delivery) -> None:
    for each in deliveries:
        uow.deliveries.items[each.id] = each


def run(uow: FakeNotifyUnitOfWork, mailer: FakeMailer, policy: RetryPolicy = POLICY, batch: int = 20) -> int:
    deps = NotifyDependencies(templates=FakeTemplates(), mailer=mailer, sender=SENDER, policy=policy)
    return handle_deliver_due(DeliverDue(batch=batch), uow.for_correlation, deps)


def counted(template: str, outcome: str) -> float:
    """`mails_total` of notify for `template` and `outcome` (the registry is the process's: compare deltas)."""
    value = REGISTRY.get_sample_value("mails_total", {"service": "notify", "template": template, "outcome": outcome})
    return value or 0.0


def test_a_due_delivery_is_sent_once_marked_sent_and_announced_with_its_events_correlation():
    uow, mailer, due = FakeNotifyUnitOfWork(), FakeMailer(), delivery(template="unit_sent")
    store(uow, due)
    before = counted("unit_sent", "sent")

    assert run(uow, mailer) == 1

    [mail] = mailer.accepted
    assert (mail.delivery_id, mail.sender, mail.recipient, mail.subject) == (due.id, SENDER, due.recipient, "主题")
    sent = uow.deliveries.get(due.id)
    assert sent is not None and (sent.state, sent.attempts, sent.last_error) == ("sent", 1, None)
    assert sent.sent_at is not None
    [event] = uow.events_of("notify.email.sent")
    assert event.data["delivery_id"] == due.id and event.data["recipient"] == due.recipient
    assert event.correlation_id == due.correlation_id and event.aggregate_id == due.id
    assert counted("unit_sent", "sent") == before + 1
    assert run(uow, mailer) == 0 and len(mailer.accepted) == 1  # nothing is sent twice


def test_the_mails_of_a_round_go_over_one_session_and_a_round_stops_at_its_batch():
    uow, mailer = FakeNotifyUnitOfWork(), FakeMailer()
    store(uow, *(delivery(f"r{i}@qh.example.cn") for i in range(5)))

    assert run(uow, mailer, batch=3) == 3
    assert mailer.sessions == 1 and len(mailer.accepted) == 3
    assert run(uow, mailer, batch=3) == 2
    assert sorted(d.state for d in uow.deliveries) == ["sent"] * 5


def test_a_temporary_failure_leaves_it_retrying_after_the_back_off_with_the_servers_answer():
    uow, due = FakeNotifyUnitOfWork(), delivery(template="unit_retried")
    store(uow, due)
    before, retried = utcnow(), counted("unit_retried", "retried")

    run(uow, FakeMailer(TemporaryFailure("451 4.3.0 Try again later")))

    retrying = uow.deliveries.get(due.id)
    assert retrying is not None and (retrying.state, retrying.attempts) == ("retrying", 1)
    assert retrying.last_error == "451 4.3.0 Try again later"
    assert retrying.next_attempt_at >= before + dt.timedelta(seconds=30)
    assert uow.events == []  # the `sent` mark and its event rolled back with the failure
    assert counted("unit_retried", "retried") == retried + 1
    assert run(uow, FakeMailer()) == 0  # not due before its back-off ends


def test_the_last_allowed_temporary_failure_fails_it():
    uow, due = FakeNotifyUnitOfWork(), delivery(attempts=POLICY.max_attempts - 1, state="retrying")
    store(uow, due)

    run(uow, FakeMailer(TemporaryFailure("421 busy")))

    failed = uow.deliveries.get(due.id)
    assert failed is not None and (failed.state, failed.attempts, failed.last_error) == ("failed", 3, "421 busy")


def test_a_permanent_failure_fails_it_at_once_with_the_servers_answer():
    uow, due = FakeNotifyUnitOfWork(), delivery(template="unit_refused")
    store(uow, due)
    before = counted("unit_refused", "failed")

    run(uow, FakeMailer(PermanentFailure("550 5.1.1 User unknown")))

    failed = uow.deliveries.get(due.id)
    assert failed is not None and (failed.state, failed.attempts) == ("failed", 1)
    assert failed.last_error == "550 5.1.1 User unknown" and uow.events == []
    assert counted("unit_refused", "failed") == before + 1
    assert run(uow, FakeMailer()) == 0


def test_a_servers_long_answer_is_kept_to_2000_characters():
    uow, due = FakeNotifyUnitOfWork(), delivery()
    store(uow, due)

    run(uow, FakeMailer(PermanentFailure("5" * 3000)))

    failed = uow.deliveries.get(due.id)
    assert failed is not None and failed.last_error == "5" * 2000


def test_a_delivery_whose_time_has_not_come_or_whose_lease_lasts_is_left_alone():
    later = utcnow() + dt.timedelta(minutes=5)
    uow, mailer = FakeNotifyUnitOfWork(), FakeMailer()
    store(uow, delivery("a@qh.example.cn", state="retrying", attempts=1, next_attempt_at=later),
          delivery("b@qh.example.cn", state="sending", attempts=1, next_attempt_at=later),
          delivery("c@qh.example.cn", state="sent", attempts=1), delivery("d@qh.example.cn", state="failed"))

    assert run(uow, mailer) == 0
    assert mailer.accepted == [] and uow.commits == 1  # one claim that found nothing


def test_a_claim_leases_the_delivery_to_the_worker_in_a_transaction_of_its_own():
    uow, due = FakeNotifyUnitOfWork(), delivery()
    store(uow, due)
    before = utcnow()

    claimed = claim_next(uow, POLICY)

    assert claimed is not None and (claimed.state, claimed.attempts) == ("sending", 1)
    assert claimed.next_attempt_at >= before + dt.timedelta(seconds=POLICY.lease_seconds)
    assert uow.deliveries.get(due.id) == claimed and uow.commits == 1
    assert claim_next(uow, POLICY) is None  # leased: another worker passes it by


def test_a_worker_killed_after_the_server_accepted_sends_it_again_after_the_lease_noting_why():
    uow, due = FakeNotifyUnitOfWork(), delivery(template="unit_interrupted")
    store(uow, due)
    no_lease = dataclasses.replace(POLICY, lease_seconds=0)
    before = counted("unit_interrupted", "interrupted")

    class DiesOnceAccepted(FakeMailer):
        def send(self, mail):
            super().send(mail)
            raise WorkerDied

    with pytest.raises(WorkerDied):
        run(uow, DiesOnceAccepted(), no_lease)
    claimed = uow.deliveries.get(due.id)
    assert claimed is not None and (claimed.state, claimed.attempts) == ("sending", 1)  # `sent` rolled back
    assert uow.events == []

    mailer = FakeMailer()
    assert run(uow, mailer, no_lease) == 1
    sent = uow.deliveries.get(due.id)
    assert sent is not None and (sent.state, sent.attempts, sent.last_error) == ("sent", 2, INTERRUPTED)
    assert [m.delivery_id for m in mailer.accepted] == [due.id]  # the same Message-ID
    assert counted("unit_interrupted", "interrupted") == before + 1


def test_a_claim_interrupted_as_often_as_attempts_are_allowed_is_failed_without_sending():
    uow, mailer = FakeNotifyUnitOfWork(), FakeMailer()
    due = delivery(template="unit_given_up", state="sending", attempts=POLICY.max_attempts)
    store(uow, due)
    interrupted, given_up = counted("unit_given_up", "interrupted"), counted("unit_given_up", "failed")

    assert run(uow, mailer) == 1

    failed = uow.deliveries.get(due.id)
    assert failed is not None and (failed.state, failed.attempts, failed.last_error) == ("failed", 3, INTERRUPTED)
    assert mailer.accepted == []
    assert counted("unit_given_up", "interrupted") == interrupted + 1
    assert counted("unit_given_up", "failed") == given_up + 1


def test_a_delivery_another_worker_took_over_is_not_sent_by_this_one():
    uow, mailer = FakeNotifyUnitOfWork(), FakeMailer()
    due = delivery()
    store(uow, due)
    claimed = claim_next(uow, POLICY)
    assert claimed is not None
    store(uow, dataclasses.replace(claimed, state="sent"))  # the lease ran out; the other worker sent it
    deps = NotifyDependencies(templates=FakeTemplates(), mailer=mailer, sender=SENDER, policy=POLICY)

    with mailer.session() as send:
        attempt(claimed, uow.for_correlation, send, deps)

    assert mailer.accepted == [] and uow.events == []
    stored = uow.deliveries.get(due.id)
    assert stored is not None and stored.state == "sent" and stored.attempts == 1


def test_a_failures_outcome_is_not_written_over_a_delivery_no_longer_this_workers():
    uow = FakeNotifyUnitOfWork()
    taken_over = delivery(state="sent", attempts=2)
    store(uow, taken_over)

    record_failure(taken_over.failed_for_good("550 5.1.1 User unknown"), uow)

    assert uow.deliveries.get(taken_over.id) == taken_over


def test_a_sealed_link_goes_out_in_the_mail_and_is_erased_from_the_delivery_once_sent():
    import json

    from cryptography.fernet import Fernet

    from notify.domain.messages import SETUP_LINK_PLACEHOLDER
    from platform_shared.sealing import Sealer

    sealer = Sealer([Fernet.generate_key()])
    link = "https://ba.example.cn/password-setup#one-time-token"
    uow, mailer = FakeNotifyUnitOfWork(), FakeMailer()
    due = delivery(template="unit_sealed", subject="开通", text_body=f"请设置密码：{SETUP_LINK_PLACEHOLDER}",
                   html_body=f'<a href="{SETUP_LINK_PLACEHOLDER}">设置密码</a>',
                   sealed=sealer.seal(json.dumps({SETUP_LINK_PLACEHOLDER: link})))
    store(uow, due)
    assert link not in json.dumps(dataclasses.asdict(due), default=str)  # kept: the placeholder only

    deps = NotifyDependencies(templates=FakeTemplates(), mailer=mailer, sender=SENDER, policy=POLICY, sealer=sealer)
    assert handle_deliver_due(DeliverDue(batch=5), uow.for_correlation, deps) == 1

    [mail] = mailer.accepted
    assert link in mail.text and f'href="{link}"' in mail.html
    sent = uow.deliveries.get(due.id)
    assert sent.state == "sent" and sent.sealed is None


def test_a_link_sealed_with_a_key_rotated_away_fails_the_delivery_instead_of_mailing_a_placeholder():
    import json

    from cryptography.fernet import Fernet

    from platform_shared.sealing import Sealer

    uow, mailer = FakeNotifyUnitOfWork(), FakeMailer()
    old = Sealer([Fernet.generate_key()])
    due = delivery(template="unit_sealed_lost", sealed=old.seal(json.dumps({"__X__": "secret"})))
    store(uow, due)
    deps = NotifyDependencies(templates=FakeTemplates(), mailer=mailer, sender=SENDER, policy=POLICY,
                              sealer=Sealer([Fernet.generate_key()]))
    handle_deliver_due(DeliverDue(batch=5), uow.for_correlation, deps)
    assert mailer.accepted == [] and uow.deliveries.get(due.id).state == "failed"
