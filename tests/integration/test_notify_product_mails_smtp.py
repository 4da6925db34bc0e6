"""Every step of a product's filing, mailed to its organisation: identity's and filing's events
published on a real RabbitMQ (a throwaway vhost), taken by notify's own consumer of its `mail`
subscription, recorded in notify's database (a throwaway PostgreSQL database) and sent by its
delivery round (`handle_deliver_due`) to a real SMTP server (aiosmtpd) started here.

As in test_notify_smtp_delivery.py: notify's models are bound through one module-level database
proxy, which the session's embedded platform (when another test started it) also uses; while a
test here points the proxy at its own database, the fixture pauses that platform's notify
delivery worker and notify outbox relay, and points the proxy back afterwards.
"""

from __future__ import annotations

import email
import email.policy
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import pytest
from aiosmtpd.controller import Controller
from kombu import Connection

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
from platform_shared.messaging.publisher import ConfirmedPublisher, OutgoingMessage
from platform_shared.messaging.topology import EVENTS_EXCHANGE
from platform_shared.runtime import ServiceRuntime
from tests.support.processes import free_port

SENDER = "专利产品备案平台 <no-reply@patent-filing.platform>"
POLICY = RetryPolicy(max_attempts=4, base_delay_seconds=0.05, max_delay_seconds=0.2)
AT = "2026-05-08T06:30:00+00:00"
NUMBER, OTHER_NUMBER = "BA-2026-44-000001", "BA-2026-44-000002"
CONTACT, ACCOUNT, MEMBER = "zhang.san@huawei.example.cn", "filing@huawei.example.cn", "li.si@huawei.example.cn"


@dataclass
class Mailbox:
    """aiosmtpd handler: every accepted mail, with the addresses it was delivered to."""

    received: list[tuple[str, email.message.EmailMessage]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.extend((recipient.lower(), message) for recipient in envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def subjects(self) -> list[tuple[str, str]]:
        with self.lock:
            return sorted((recipient, str(message["Subject"])) for recipient, message in self.received)


def _paused_for_notify(method):
    def paused(relay, *args, **kwargs):
        return 0 if relay._service == "notify" else method(relay, *args, **kwargs)

    return paused


@pytest.fixture
def notify_runtime(tmp_path, amqp_url, database_url, monkeypatch) -> Iterator[ServiceRuntime]:
    """notify on this test's database and vhost, its consumers running in threads."""
    monkeypatch.setattr(notify.entrypoints.delivery_worker, "deliver_round", lambda *args, **kwargs: 0)
    monkeypatch.setattr(OutboxRelay, "relay_once", _paused_for_notify(OutboxRelay.relay_once))
    monkeypatch.setattr(OutboxRelay, "oldest_pending_age", _paused_for_notify(OutboxRelay.oldest_pending_age))
    time.sleep(0.3)  # let a round already under way end
    previous = orm.database.obj
    settings = ServiceSettings.from_env("notify", {"DATA_DIR": str(tmp_path), "LOG_JSON": "false",
                                                   "DATABASE_URL": database_url, "AMQP_URL": amqp_url})
    runtime = ServiceRuntime(definition(), settings).open()
    stop = threading.Event()
    consumers = runtime.consumers()
    threads = [threading.Thread(target=c.run, args=(stop,), daemon=True) for c in consumers]
    try:
        runtime.declare_topology()
        for thread in threads:
            thread.start()
        for consumer in consumers:
            assert consumer.ready.wait(30), "notify's consumer did not start"
        yield runtime
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        runtime.close()
        if previous is not None:
            orm.database.initialize(previous)


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, SmtpMailer]]:
    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, SmtpMailer("127.0.0.1", port, timeout=5)
    finally:
        controller.stop()


def publish(amqp_url: str, *events) -> None:
    """As a producer's relay publishes: routing key = type, confirmed by the broker."""
    with Connection(amqp_url) as connection:
        publisher = ConfirmedPublisher(connection, EVENTS_EXCHANGE)
        try:
            publisher.publish_batch([OutgoingMessage(routing_key=e.type, body=e.to_json(), message_id=e.id,
                                                     type=e.type, correlation_id=e.correlation_id) for e in events])
        finally:
            publisher.close()


def queue_depth(amqp_url: str, queue: str) -> int:
    with Connection(amqp_url) as connection:
        return connection.channel().queue_declare(queue, passive=True)[1]


def deliveries(runtime: ServiceRuntime) -> list[Delivery]:
    with runtime.database.connection_context():
        return list(Delivery.select().order_by(Delivery.created_at))


def recorded_for(runtime: ServiceRuntime, *events, timeout: float = 30) -> list[Delivery]:
    """Wait until notify's consumer recorded the deliveries of every one of `events`."""
    wanted = {e.id for e in events}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        recorded = deliveries(runtime)
        if wanted <= {d.event_id for d in recorded}:
            return recorded
        time.sleep(0.05)
    raise AssertionError(f"not recorded: {wanted - {d.event_id for d in deliveries(runtime)}}")


def deliver_due(runtime: ServiceRuntime, mailer: SmtpMailer) -> int:
    """One round of the delivery worker, with this mail server."""
    dependencies = replace(notify_dependencies(runtime.dependencies), mailer=mailer, sender=SENDER, policy=POLICY)
    with runtime.database.connection_context():
        return handle_deliver_due(DeliverDue(), lambda correlation_id: notify_unit_of_work(
            runtime.unit_of_work(correlation_id)), dependencies)


def send_all(runtime: ServiceRuntime, mailer: SmtpMailer, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        deliver_due(runtime, mailer)
        if all(d.state == "sent" for d in deliveries(runtime)):
            return
        time.sleep(0.02)
    raise AssertionError(f"not sent: {[(d.recipient, d.template, d.state, d.last_error) for d in deliveries(runtime)]}")


def registered(organisation_id: str, contact: str, account: str, name: str = "华为技术有限公司",
               account_id: str | None = None):
    return build_event("identity.organisation.registered", {
        "organisation_id": organisation_id, "name": name, "uscc": "914403001922038216", "kind": "enterprise",
        "province_code": "440000", "city_code": "440300",
        "contact": {"name": "张三", "phone": "13800138000", "email": contact},
        "account_email": account, "account_id": account_id, "registered_at": AT},
        producer="identity", aggregate_id=organisation_id)


def invited(organisation_id: str, member: str):
    return build_event("identity.account.invited", {
        "account_id": str(uuid.uuid4()), "email": member, "role": "enterprise", "organisation_id": organisation_id,
        "organisation_name": "华为技术有限公司", "province_code": None, "invited_by": "acc-1",
        "password_setup_url": "http://127.0.0.1:8000/password-setup#t", "password_setup_expires_at": AT},
        producer="identity", aggregate_id=organisation_id)


def product_event(event_type: str, organisation_id: str, product: tuple[str, str, str], version: int, **data):
    product_id, name, model = product
    payload = {"product_id": product_id, "organisation_id": organisation_id, "organisation_name": "华为技术有限公司",
               "province_code": "440000", "name": name, "brand": "华为", "model": model, "industry_code": "01", **data}
    return build_event(event_type, payload, producer="filing", aggregate_id=product_id, aggregate_version=version)


def test_every_step_of_a_products_filing_reaches_the_organisations_addresses_once(notify_runtime, smtp, amqp_url):
    mailbox, mailer = smtp
    organisation = str(uuid.uuid4())
    # identity's events first: notify learns the contact, the first account and a member.
    identity_events = [registered(organisation, CONTACT, ACCOUNT), invited(organisation, MEMBER)]
    publish(amqp_url, *identity_events)
    welcome = {(d.recipient, d.template) for d in recorded_for(notify_runtime, *identity_events)}
    assert welcome == {(CONTACT, "organisation_registered"), (ACCOUNT, "organisation_registered"),
                       (MEMBER, "account_invited")}

    phone = (str(uuid.uuid4()), "智能手机", "Mate 60 Pro")
    tablet = (str(uuid.uuid4()), "平板电脑", "MatePad Pro 13.2")
    watch = (str(uuid.uuid4()), "智能手表", "Watch GT 5")
    reasons = [{"field": "patents.0.number", "message": "专利号与证书不符"}]
    steps = [
        product_event("filing.product.submitted", organisation, phone, 2, submission=1, submitted_at=AT),
        product_event("filing.product.returned", organisation, phone, 3, task_id="t-1", reasons=reasons,
                      returned_at=AT),
        product_event("filing.product.submitted", organisation, phone, 5, submission=2, submitted_at=AT),
        product_event("filing.product.filed", organisation, phone, 6, filing_number=NUMBER, task_id="t-2",
                      filed_at=AT),
        product_event("filing.product.recognised", organisation, phone, 7, filing_number=NUMBER, year=2026,
                      round_id="r-1", recognised_at=AT),
        product_event("filing.product.revoked", organisation, phone, 8, filing_number=NUMBER,
                      reason="专利权属发生纠纷", revoked_by="acc-operator", revoked_at=AT),
        product_event("filing.product.submitted", organisation, tablet, 2, submission=1, submitted_at=AT),
        product_event("filing.product.rejected", organisation, tablet, 3, task_id="t-3", reasons=reasons,
                      rejected_at=AT),
        product_event("filing.product.filed", organisation, watch, 3, filing_number=OTHER_NUMBER, task_id="t-4",
                      filed_at=AT),
        product_event("filing.product.cancelled", organisation, watch, 4, filing_number=OTHER_NUMBER,
                      reason="产品已退市", cancelled_at=AT),
        # The owner's opt-in to a year's recognition is confirmed by mail.
        product_event("filing.product.recognition_opted_in", organisation, watch, 5, filing_number=OTHER_NUMBER,
                      year=2026, opt_in=True, decided_at=AT),
    ]
    # Steps no mail is made for, and a product of an organisation notify knows nothing of.
    quiet = [
        product_event("filing.product.withdrawn", organisation, tablet, 4, withdrawn_at=AT),
        product_event("filing.product.filed", str(uuid.uuid4()), phone, 6, filing_number="BA-2026-44-000009",
                      task_id="t-9", filed_at=AT),
    ]
    # Once a marker published after them is recorded, the consumer has handled all before it.
    marker = registered(str(uuid.uuid4()), "marker@example.cn", "marker-admin@example.cn", name="标记有限公司")
    publish(amqp_url, *steps, *quiet, marker)
    recorded_for(notify_runtime, *steps, marker)
    send_all(notify_runtime, mailer)

    expected_subjects = [
        "【专利产品备案平台】产品已提交审核：智能手机 Mate 60 Pro",
        "【专利产品备案平台】产品备案被退回修改：智能手机 Mate 60 Pro",
        "【专利产品备案平台】产品已提交审核（第2次提交）：智能手机 Mate 60 Pro",
        f"【专利产品备案平台】产品备案成功：智能手机 Mate 60 Pro（{NUMBER}）",
        "【专利产品备案平台】产品被认定为专利密集型产品：智能手机 Mate 60 Pro（2026年度）",
        f"【专利产品备案平台】产品备案已被撤销：智能手机 Mate 60 Pro（{NUMBER}）",
        "【专利产品备案平台】产品已提交审核：平板电脑 MatePad Pro 13.2",
        "【专利产品备案平台】产品备案未通过：平板电脑 MatePad Pro 13.2",
        f"【专利产品备案平台】产品备案成功：智能手表 Watch GT 5（{OTHER_NUMBER}）",
        f"【专利产品备案平台】产品备案已注销：智能手表 Watch GT 5（{OTHER_NUMBER}）",
        "【专利产品备案平台】已申请参加 2026 年度专利密集型产品认定：智能手表 Watch GT 5",
    ]
    product_mails = [(r, s) for r, s in mailbox.subjects() if "注册成功" not in s and "受邀" not in s]
    assert product_mails == sorted((r, s) for r in (CONTACT, ACCOUNT, MEMBER) for s in expected_subjects)
    # Each mail's own headers name its one recipient; the bodies say the event's content.
    with mailbox.lock:
        mails = {(r, str(m["Subject"])): m for r, m in mailbox.received}
    for recipient in (CONTACT, ACCOUNT, MEMBER):
        filed = mails[(recipient, expected_subjects[3])]
        assert str(filed["To"]) == recipient
        text = filed.get_body(preferencelist=("plain",)).get_content()
        assert f"http://127.0.0.1:8000/verify?number={NUMBER}" in text and "备案证明" in text
        returned = mails[(recipient, expected_subjects[1])].get_body(preferencelist=("plain",)).get_content()
        assert "- 专利（第1项）· 专利号：专利号与证书不符" in returned
    # Nothing of the quiet events was recorded, nothing is left in the queue or dead-lettered;
    # the unknown organisation's product was received and acknowledged (it is in the inbox).
    assert not {d.event_id for d in deliveries(notify_runtime)} & {e.id for e in quiet}
    with notify_runtime.database.connection_context():
        assert orm.Inbox.select().where(orm.Inbox.event_id == quiet[-1].id).exists()
    assert queue_depth(amqp_url, "notify.mail") == 0
    assert queue_depth(amqp_url, "notify.mail.dead-letter") == 0


def test_a_filing_event_delivered_twice_mails_each_recipient_once(notify_runtime, smtp, amqp_url):
    mailbox, mailer = smtp
    organisation = str(uuid.uuid4())
    identity_events = [registered(organisation, CONTACT, ACCOUNT)]
    publish(amqp_url, *identity_events)
    recorded_for(notify_runtime, *identity_events)
    filed = product_event("filing.product.filed", organisation, (str(uuid.uuid4()), "智能手机", "Mate 60 Pro"), 2,
                          filing_number=NUMBER, task_id="t-1", filed_at=AT)

    publish(amqp_url, filed, filed)  # the relay published it twice (a lost confirm)
    recorded_for(notify_runtime, filed)
    send_all(notify_runtime, mailer)
    # ... and once more after the mails went out, followed by a marker: once the marker's mails
    # are recorded, the consumer has handled the repeat before it.
    marker = registered(str(uuid.uuid4()), "marker@example.cn", "marker-admin@example.cn", name="标记有限公司")
    publish(amqp_url, filed, marker)
    recorded_for(notify_runtime, marker)
    with notify_runtime.database.connection_context(), notify_runtime.unit_of_work(filed.correlation_id) as uow:
        # past the inbox: the delivery key holds too
        on_event(filed, notify_unit_of_work(uow), notify_dependencies(notify_runtime.dependencies))
    send_all(notify_runtime, mailer)

    subject = f"【专利产品备案平台】产品备案成功：智能手机 Mate 60 Pro（{NUMBER}）"
    assert [r for r, s in mailbox.subjects() if s == subject] == sorted([ACCOUNT, CONTACT])
    assert sorted(d.recipient for d in deliveries(notify_runtime) if d.event_id == filed.id) == sorted([ACCOUNT,
                                                                                                         CONTACT])
    assert queue_depth(amqp_url, "notify.mail.dead-letter") == 0


def staff_invited(account_id: str, email_address: str, role: str, province_code: str | None = None):
    return build_event("identity.account.invited", {
        "account_id": account_id, "email": email_address, "role": role, "province_code": province_code,
        "invited_by": "acc-operator", "password_setup_url": "http://127.0.0.1:8000/password-setup#t",
        "password_setup_expires_at": AT}, producer="identity", aggregate_id=account_id)


def port_approved(account_id: str, email_address: str, province_code: str):
    application = str(uuid.uuid4())
    return build_event("identity.province_port.approved", {
        "application_id": application, "province_code": province_code, "office_name": "广东省知识产权局",
        "account_id": account_id, "contact": {"name": "王五", "phone": "020-12345678", "email": email_address},
        "password_setup_url": "http://127.0.0.1:8000/password-setup#p", "password_setup_expires_at": AT,
        "approved_at": AT}, producer="identity", aggregate_id=application, aggregate_version=2)


def test_mails_go_in_each_accounts_language_and_to_the_staff_who_should_hear(notify_runtime, smtp, amqp_url):
    """On PostgreSQL: whose address is whose (from identity's events), the preferences, and who hears
    of a new task and of a province's report, as the SMTP server receives the mails."""
    from notify.domain.commands import ChoosePreferences
    from notify.service_layer.preferences import handle_choose_preferences
    from platform_shared.principal import Principal

    def set_preferences(account_id: str, role: str, language: str, new_review_tasks: bool) -> None:
        handle_choose_preferences(ChoosePreferences(Principal(account_id, role), language, new_review_tasks),
                                  notify_unit_of_work(notify_runtime.unit_of_work()))

    mailbox, mailer = smtp
    organisation, account_id = str(uuid.uuid4()), str(uuid.uuid4())
    reviewer, quiet_reviewer, admin, other_admin = (str(uuid.uuid4()) for _ in range(4))
    addresses = {reviewer: "rev.en@review.example.cn", quiet_reviewer: "rev.quiet@review.example.cn",
                 admin: "admin@gd.example.cn", other_admin: "admin@gx.example.cn"}
    identity_events = [registered(organisation, CONTACT, ACCOUNT, account_id=account_id),
                       staff_invited(reviewer, addresses[reviewer], "reviewer"),
                       staff_invited(quiet_reviewer, addresses[quiet_reviewer], "reviewer"),
                       port_approved(admin, addresses[admin], "440000"),
                       staff_invited(other_admin, addresses[other_admin], "province_admin", "450000")]
    publish(amqp_url, *identity_events)
    recorded_for(notify_runtime, *identity_events)
    with notify_runtime.database.connection_context():
        set_preferences(account_id, "enterprise", "en", False)
        set_preferences(reviewer, "reviewer", "en", True)
        set_preferences(quiet_reviewer, "reviewer", "zh", False)
    send_all(notify_runtime, mailer)
    with mailbox.lock:
        mailbox.received.clear()

    filed = product_event("filing.product.filed", organisation, (str(uuid.uuid4()), "智能手机", "Mate 60 Pro"), 2,
                          filing_number=NUMBER, task_id="t-1", filed_at=AT)
    task_id = str(uuid.uuid4())
    task = build_event("review.task.created", {"task_id": task_id, "kind": "product", "subject_id": "p-1",
                                               "title": "智能手机 Mate 60 Pro", "created_at": AT},
                       producer="review", aggregate_id=task_id)
    report = build_event("reporting.monthly_report.published", {
        "report_id": "r-1", "month": "2026-10", "province_code": "440000", "province_name": "广东省",
        "figures": {"new_filings": 1, "filed_total": 2, "recognised_total": 0, "organisations_total": 3},
        "downloads": {"csv": "/api/v1/reporting/monthly/2026-10?province=440000&format=csv"},
        "published_at": AT}, producer="reporting", aggregate_id="r-1")
    publish(amqp_url, filed, task, report)
    recorded_for(notify_runtime, filed, task, report)
    send_all(notify_runtime, mailer)

    assert mailbox.subjects() == sorted([
        (ACCOUNT, f"[Patent Product Filing Platform] Product filed: 智能手机 Mate 60 Pro ({NUMBER})"),
        (CONTACT, f"【专利产品备案平台】产品备案成功：智能手机 Mate 60 Pro（{NUMBER}）"),
        (addresses[reviewer], "[Patent Product Filing Platform] New review task: 智能手机 Mate 60 Pro"),
        (addresses[admin], "【专利产品备案平台】广东省 2026年10月月度报告已发布"),
    ])
    with mailbox.lock:
        bodies = {r: m.get_body(preferencelist=("plain",)).get_content() for r, m in mailbox.received}
    assert f"http://127.0.0.1:8000/api/v1/review/tasks/{task_id}" in bodies[addresses[reviewer]]
    assert "http://127.0.0.1:8000/api/v1/reporting/monthly/2026-10?province=440000&format=csv" in bodies[
        addresses[admin]]
    assert queue_depth(amqp_url, "notify.mail.dead-letter") == 0
