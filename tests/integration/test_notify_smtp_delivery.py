"""notify's delivery worker (its round, `handle_deliver_due`) against a real SMTP server (aiosmtpd) started here.

Each test has notify's own database (a ServiceRuntime of notify on SQLite under tmp_path) and
an aiosmtpd `Controller` on a free loopback port, scripted to be down, to answer 451 once, or
to refuse a recipient with 550. The retry policy's base delay is tiny, so back-off is real but
quick.

notify's models (deliveries, outbox, inbox) are bound through one module-level database proxy,
which the session's embedded platform (when another test started it) also uses: while a test
here points the proxy at its own database, the fixture pauses that platform's notify delivery
worker and notify outbox relay (which would otherwise work on the test's rows, or trip over the
swap), and points the proxy back at the platform's database afterwards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import pytest
from aiosmtpd.controller import Controller

import notify.entrypoints.delivery_worker
from notify.adapters import orm
from notify.adapters.mail import SmtpMailer
from notify.adapters.orm import Delivery
from notify.domain.commands import DeliverDue
from notify.domain.deliveries import RetryPolicy
from notify.service import definition
from notify.service_layer.dependencies import notify_dependencies
from notify.service_layer.mail_events import on_event
from notify.service_layer.sending import handle_deliver_due
from notify.service_layer.unit_of_work import notify_unit_of_work
from platform_shared.config import ServiceSettings
from platform_shared.events.contracts import build_event
from platform_shared.messaging.outbox import OutboxRelay
from platform_shared.runtime import ServiceRuntime
from tests.support.processes import free_port

SENDER = "专利产品备案平台 <no-reply@patent-filing.platform>"
POLICY = RetryPolicy(max_attempts=4, base_delay_seconds=0.05, max_delay_seconds=0.2)


@dataclass
class ScriptedServer:
    """aiosmtpd handler: keeps every accepted mail; answers DATA from `data_answers` first
    (e.g. one 451), refuses the recipients in `refused` with 550."""

    received: list[email.message.EmailMessage] = field(default_factory=list)
    data_answers: list[str] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address.lower() in self.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            if self.data_answers:
                return self.data_answers.pop(0)
            message = email.message_from_bytes(envelope.original_content or envelope.content,
                                               policy=email.policy.default)
            self.received.append(message)
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(m["Message-ID"]) for m in self.received]


def _paused_for_notify(method):
    def paused(relay, *args, **kwargs):
        return 0 if relay._service == "notify" else method(relay, *args, **kwargs)

    return paused


@pytest.fixture
def runtime(tmp_path, monkeypatch) -> Iterator[ServiceRuntime]:
    # Pause a running platform's notify worker and relay (restored after the proxy, below).
    monkeypatch.setattr(notify.entrypoints.delivery_worker, "deliver_round", lambda *args, **kwargs: 0)
    monkeypatch.setattr(OutboxRelay, "relay_once", _paused_for_notify(OutboxRelay.relay_once))
    monkeypatch.setattr(OutboxRelay, "oldest_pending_age", _paused_for_notify(OutboxRelay.oldest_pending_age))
    time.sleep(0.3)  # let a round already under way end
    previous = orm.database.obj
    settings = ServiceSettings.from_env("notify", {"DATA_DIR": str(tmp_path), "LOG_JSON": "false"})
    opened = ServiceRuntime(definition(), settings).open()
    try:
        yield opened
    finally:
        opened.close()
        if previous is not None:
            orm.database.initialize(previous)


@pytest.fixture
def smtp() -> Iterator[tuple[ScriptedServer, int, Controller]]:
    handler = ScriptedServer()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port, controller
    finally:
        controller.stop()


def port_rejected(email_address: str) -> dict:
    return {"application_id": str(uuid.uuid4()), "province_code": "630000", "office_name": "青海省知识产权局",
            "contact": {"name": "王五", "phone": "13800138000", "email": email_address},
            "reason": "申请表缺少单位盖章。", "rejected_at": "2026-05-05T06:30:00+00:00"}


def record(runtime: ServiceRuntime, event) -> None:
    with runtime.database.connection_context(), runtime.unit_of_work(event.correlation_id) as uow:
        on_event(event, notify_unit_of_work(uow), notify_dependencies(runtime.dependencies))


def deliver_due(runtime: ServiceRuntime, mailer, policy: RetryPolicy = POLICY) -> int:
    """One round of the delivery worker, with this mail server and policy."""
    dependencies = replace(notify_dependencies(runtime.dependencies), mailer=mailer, sender=SENDER, policy=policy)
    with runtime.database.connection_context():
        return handle_deliver_due(DeliverDue(), lambda correlation_id: notify_unit_of_work(
            runtime.unit_of_work(correlation_id)), dependencies)


def publish_rejections(runtime: ServiceRuntime, *addresses: str) -> list:
    events = [build_event("identity.province_port.rejected", port_rejected(a), producer="identity",
                          aggregate_id=str(uuid.uuid4())) for a in addresses]
    for event in events:
        record(runtime, event)
    return events


def deliveries(runtime: ServiceRuntime) -> list[Delivery]:
    with runtime.database.connection_context():
        return list(Delivery.select().order_by(Delivery.recipient))


def run_until_settled(runtime: ServiceRuntime, mailer: SmtpMailer, timeout: float = 10.0) -> None:
    """Call the worker's round until nothing is pending or retrying any more."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        deliver_due(runtime, mailer)
        if all(d.state in ("sent", "failed") for d in deliveries(runtime)):
            return
        time.sleep(0.02)
    raise AssertionError(f"still unsettled: {[(d.recipient, d.state) for d in deliveries(runtime)]}")


def test_mail_held_while_the_server_is_down_arrives_once_when_it_is_up(runtime):
    port = free_port()  # nobody listens here yet
    mailer = SmtpMailer("127.0.0.1", port, timeout=5)
    publish_rejections(runtime, "a@qh.example.cn", "b@qh.example.cn", "c@qh.example.cn")

    assert deliver_due(runtime, mailer) == 3
    for delivery in deliveries(runtime):
        assert delivery.state == "retrying" and delivery.attempts == 1
        assert "unreachable" in delivery.last_error

    handler = ScriptedServer()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        run_until_settled(runtime, mailer)
        time.sleep(0.3)  # past any back-off: nothing more is sent
        deliver_due(runtime, mailer)
    finally:
        controller.stop()
    finished = deliveries(runtime)
    assert [d.state for d in finished] == ["sent"] * 3
    assert all(d.last_error is None and d.sent_at for d in finished)
    ids = handler.message_ids()
    assert len(ids) == 3 and len(set(ids)) == 3
    assert sorted(str(m["To"]) for m in handler.received) == ["a@qh.example.cn", "b@qh.example.cn",
                                                             "c@qh.example.cn"]


def test_a_451_then_250_makes_one_mail_in_two_attempts(runtime, smtp):
    handler, port, _ = smtp
    handler.data_answers.append("451 4.3.0 Try again later")
    publish_rejections(runtime, "wang@qh.example.cn")
    mailer = SmtpMailer("127.0.0.1", port, timeout=5)

    deliver_due(runtime, mailer)
    [delivery] = deliveries(runtime)
    assert (delivery.state, delivery.attempts) == ("retrying", 1)
    assert delivery.last_error.startswith("451")

    run_until_settled(runtime, mailer)
    [delivery] = deliveries(runtime)
    assert (delivery.state, delivery.attempts) == ("sent", 2)
    [mail] = handler.received
    assert "青海省" in str(mail["Subject"])
    assert "申请表缺少单位盖章。" in mail.get_body(preferencelist=("plain",)).get_content()


def test_a_550_fails_at_once_with_the_servers_answer(runtime, smtp):
    handler, port, _ = smtp
    handler.refused.add("nobody@qh.example.cn")
    publish_rejections(runtime, "nobody@qh.example.cn")
    mailer = SmtpMailer("127.0.0.1", port, timeout=5)

    deliver_due(runtime, mailer)
    time.sleep(0.3)
    assert deliver_due(runtime, mailer) == 0
    [delivery] = deliveries(runtime)
    assert (delivery.state, delivery.attempts) == ("failed", 1)
    assert delivery.last_error.startswith("550") and "User unknown" in delivery.last_error
    assert handler.received == []


def test_the_same_event_recorded_twice_makes_one_delivery_and_one_mail(runtime, smtp):
    handler, port, _ = smtp
    [event] = publish_rejections(runtime, "twice@qh.example.cn")
    record(runtime, event)  # the broker redelivers it
    mailer = SmtpMailer("127.0.0.1", port, timeout=5)

    run_until_settled(runtime, mailer)
    record(runtime, event)  # ... even after it was sent
    deliver_due(runtime, mailer)
    [delivery] = deliveries(runtime)
    assert (delivery.state, delivery.attempts) == ("sent", 1)
    assert len(handler.received) == 1


def test_a_delivery_fails_after_the_last_allowed_temporary_failure(runtime, smtp):
    handler, port, _ = smtp
    handler.data_answers.extend(["451 4.3.0 Try again later"] * (POLICY.max_attempts + 2))
    publish_rejections(runtime, "busy@qh.example.cn")
    mailer = SmtpMailer("127.0.0.1", port, timeout=5)

    run_until_settled(runtime, mailer)
    [delivery] = deliveries(runtime)
    assert (delivery.state, delivery.attempts) == ("failed", POLICY.max_attempts)
    assert delivery.last_error.startswith("451")
    assert handler.received == []


# --- claims and leases: a worker that dies mid-attempt ------------------------------------------

LEASED = RetryPolicy(max_attempts=4, base_delay_seconds=0.05, max_delay_seconds=0.2, lease_seconds=0.3)


class WorkerDied(BaseException):
    """Stands for a SIGKILL: nothing after it runs, no transaction of the round commits."""


def test_a_worker_killed_after_the_server_accepted_leaves_a_mail_sent_again_with_the_same_message_id(
        runtime, smtp):
    handler, port, _ = smtp
    mailer = SmtpMailer("127.0.0.1", port, timeout=5)
    publish_rejections(runtime, "window@qh.example.cn")

    class DiesOnceAccepted:
        """The server takes the mail, then the worker dies before its `sent` mark commits."""

        @contextlib.contextmanager
        def session(self):
            with mailer.session() as send:
                def send_then_die(message):
                    send(message)
                    raise WorkerDied

                yield send_then_die

    with pytest.raises(WorkerDied):
        deliver_due(runtime, DiesOnceAccepted(), LEASED)
    [delivery] = deliveries(runtime)
    assert (delivery.state, delivery.attempts) == ("sending", 1)  # claimed; the `sent` mark rolled back
    assert deliver_due(runtime, mailer, LEASED) == 0  # leased still

    time.sleep(LEASED.lease_seconds + 0.05)
    run_until_settled(runtime, mailer)
    [delivery] = deliveries(runtime)
    assert (delivery.state, delivery.attempts) == ("sent", 2)
    assert "interrupted" in delivery.last_error  # why it went twice, for the operator
    ids = handler.message_ids()
    assert ids == [f"<{delivery.id}@patent-filing.platform>"] * 2  # the duplicate is recognisably the same mail


def test_a_worker_killed_before_the_server_accepted_loses_nothing_and_doubles_nothing(runtime, smtp):
    handler, port, _ = smtp
    mailer = SmtpMailer("127.0.0.1", port, timeout=5)
    publish_rejections(runtime, "early@qh.example.cn", "later@qh.example.cn")

    class DiesBeforeSending:
        @contextlib.contextmanager
        def session(self):
            def die(message):
                raise WorkerDied

            yield die

    with pytest.raises(WorkerDied):
        deliver_due(runtime, DiesBeforeSending(), LEASED)
    assert sorted(d.state for d in deliveries(runtime)) == ["pending", "sending"]  # one claimed, one untouched
    run_until_settled(runtime, mailer)  # the pending one at once, the claimed one when its lease ends
    assert [d.state for d in deliveries(runtime)] == ["sent", "sent"]
    ids = handler.message_ids()
    assert len(ids) == 2 and len(set(ids)) == 2


def test_a_claimed_delivery_is_left_alone_while_its_lease_lasts(runtime, smtp):
    handler, port, _ = smtp
    mailer = SmtpMailer("127.0.0.1", port, timeout=5)
    publish_rejections(runtime, "leased@qh.example.cn")
    with runtime.database.connection_context():
        Delivery.update(state="sending", attempts=1,
                        next_attempt_at=dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=5)
                        ).execute()
    assert deliver_due(runtime, mailer) == 0
    assert handler.received == []


def test_a_claim_interrupted_as_often_as_attempts_are_allowed_is_failed(runtime, smtp):
    handler, port, _ = smtp
    publish_rejections(runtime, "cursed@qh.example.cn")
    with runtime.database.connection_context():
        Delivery.update(state="sending", attempts=POLICY.max_attempts,
                        next_attempt_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)).execute()
    assert deliver_due(runtime, SmtpMailer("127.0.0.1", port)) == 1
    [delivery] = deliveries(runtime)
    assert delivery.state == "failed" and "interrupted" in delivery.last_error
    assert handler.received == []


def test_the_mails_of_a_round_share_one_connection(runtime):
    peers: list = []

    class Counting(ScriptedServer):
        async def handle_DATA(self, server, session, envelope) -> str:
            peers.append(session.peer)
            return await super().handle_DATA(server, session, envelope)

    handler, port = Counting(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        publish_rejections(runtime, "one@qh.example.cn", "two@qh.example.cn", "three@qh.example.cn")
        assert deliver_due(runtime, SmtpMailer("127.0.0.1", port)) == 3
    finally:
        controller.stop()
    assert len(handler.received) == 3 and len(set(peers)) == 1
    assert [d.state for d in deliveries(runtime)] == ["sent"] * 3
