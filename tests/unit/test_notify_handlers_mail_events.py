"""An event arrives (`on_event`): what it tells about contacts and accounts is kept, and each mail
it causes is recorded as one pending delivery, in its recipient's language; with notify's fake
unit of work."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from notify.domain.contacts import AccountFact
from notify.domain.preferences import AccountPreferences, Preferences
from notify.service_layer.dependencies import NotifyDependencies
from notify.service_layer.mail_events import on_event
from platform_shared.events.contracts import build_event
from tests.support.fakes.notify import FakeMailer, FakeNotifyUnitOfWork, FakeTemplates

pytestmark = pytest.mark.unit

AT = "2026-05-08T06:30:00+00:00"
ORG = "org-1"
CONTACT, ACCOUNT = "zhang@example.cn", "admin@example.cn"


def dependencies(*broken: str) -> NotifyDependencies:
    return NotifyDependencies(templates=FakeTemplates(*broken), mailer=FakeMailer(), public_url="https://ba.example.cn")


def registered(organisation_id: str = ORG, account_id: str | None = "acc-1"):
    return build_event("identity.organisation.registered", {
        "organisation_id": organisation_id, "name": "华为技术有限公司", "uscc": "914403001922038216",
        "kind": "enterprise", "province_code": "440000",
        "contact": {"name": "张三", "phone": "13800138000", "email": "Zhang@Example.cn"},
        "account_email": "Admin@Example.cn", "account_id": account_id, "registered_at": AT},
        producer="identity", aggregate_id=organisation_id, correlation_id="req-1")


def member_invited(email: str = "Member@Example.cn"):
    return build_event("identity.account.invited", {
        "account_id": "acc-2", "email": email, "role": "enterprise", "organisation_id": ORG,
        "organisation_name": "华为技术有限公司", "province_code": None, "invited_by": "acc-1",
        "password_setup_url": "https://ba.example.cn/password-setup#t", "password_setup_expires_at": AT},
        producer="identity", aggregate_id="acc-2")


def product_filed(organisation_id: str = ORG):
    return build_event("filing.product.filed", {
        "product_id": "prod-1", "organisation_id": organisation_id, "organisation_name": "华为技术有限公司",
        "province_code": "440000", "name": "智能手机", "brand": "华为", "model": "Mate 60 Pro", "industry_code": "01",
        "filing_number": "BA-2026-44-000001", "task_id": "task-2", "filed_at": AT},
        producer="filing", aggregate_id="prod-1", correlation_id="req-9")


def test_a_registration_records_one_pending_mail_per_address_and_teaches_its_organisation_and_account():
    uow, event = FakeNotifyUnitOfWork(), registered()

    on_event(event, uow, dependencies())

    deliveries = sorted(uow.deliveries, key=lambda d: d.recipient)
    assert [(d.recipient, d.template, d.language, d.state, d.attempts) for d in deliveries] == [
        (ACCOUNT, "organisation_registered", "zh", "pending", 0),
        (CONTACT, "organisation_registered", "zh", "pending", 0)]
    assert all((d.event_id, d.event_type, d.correlation_id) == (event.id, event.type, "req-1") for d in deliveries)
    assert all(d.subject == "organisation_registered zh" and d.next_attempt_at == d.created_at for d in deliveries)
    known = uow.contacts.organisation(ORG)
    assert known is not None and (known.name, known.contact_name) == ("华为技术有限公司", "张三")
    assert (known.contact_emails, known.account_emails) == ((CONTACT,), (ACCOUNT,))
    assert uow.contacts.account("acc-1") == AccountFact("acc-1", ACCOUNT, "enterprise", organisation_id=ORG)
    assert uow.commits == 1 and uow.events == []


def test_an_event_handled_twice_records_each_mail_once():
    uow, event = FakeNotifyUnitOfWork(), registered()

    on_event(event, uow, dependencies())
    on_event(event, uow, dependencies())

    assert len(uow.deliveries) == 2
    known = uow.contacts.organisation(ORG)
    assert known is not None and (known.contact_emails, known.account_emails) == ((CONTACT,), (ACCOUNT,))


def test_each_mail_is_rendered_in_the_language_its_recipients_account_chose():
    uow = FakeNotifyUnitOfWork()
    on_event(registered(), uow, dependencies())
    uow.preferences.put(AccountPreferences("acc-1", Preferences("en"), dt.datetime(2026, 5, 1)))

    on_event(product_filed(), uow, dependencies())

    filed = {d.recipient: d for d in uow.deliveries if d.template == "product_filed"}
    assert {r: (d.language, d.subject) for r, d in filed.items()} == {
        ACCOUNT: ("en", "product_filed en"), CONTACT: ("zh", "product_filed zh")}
    assert all(d.correlation_id == "req-9" for d in filed.values())
    assert "verification_url" in filed[ACCOUNT].text_body  # the absolute link under the public address


def test_an_invited_member_is_an_address_of_its_organisation_but_does_not_rename_it():
    uow = FakeNotifyUnitOfWork()
    on_event(registered(), uow, dependencies())

    on_event(member_invited(), uow, dependencies())

    known = uow.contacts.organisation(ORG)
    assert known is not None and known.name == "华为技术有限公司"
    assert known.account_emails == (ACCOUNT, "member@example.cn")
    [invitation] = [d for d in uow.deliveries if d.template == "account_invited"]
    assert invitation.recipient == "member@example.cn"


def test_a_step_of_an_organisation_notify_does_not_know_records_nothing_and_says_so(caplog):
    uow = FakeNotifyUnitOfWork()

    with caplog.at_level(logging.WARNING, logger="notify.service_layer.mail_events"):
        on_event(product_filed("org-unknown"), uow, dependencies())

    assert len(uow.deliveries) == 0 and uow.commits == 1
    assert "no recipient known for organisation org-unknown" in caplog.text


def test_an_event_no_rule_mails_records_nothing():
    uow = FakeNotifyUnitOfWork()
    withdrawn = build_event("filing.product.withdrawn", {
        "product_id": "prod-1", "organisation_id": ORG, "organisation_name": "华为技术有限公司",
        "province_code": "440000", "name": "智能手机", "brand": "华为", "model": "Mate 60 Pro",
        "industry_code": "01", "withdrawn_at": AT}, producer="filing", aggregate_id="prod-1")

    on_event(withdrawn, uow, dependencies())

    assert len(uow.deliveries) == 0 and len(uow.contacts) == 0


def test_a_mail_that_cannot_be_rendered_leaves_nothing_half_written():
    uow = FakeNotifyUnitOfWork()

    with pytest.raises(KeyError, match="a value is missing"):
        on_event(registered(), uow, dependencies("organisation_registered"))

    # Neither the contacts it taught nor any delivery: the event is refused whole (and retried
    # or dead-lettered by the consumer).
    assert len(uow.deliveries) == 0 and len(uow.contacts) == 0
    assert uow.contacts.organisation(ORG) is None and uow.commits == 0
