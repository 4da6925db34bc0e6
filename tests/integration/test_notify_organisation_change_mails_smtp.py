"""A verified organisation's changes, mailed through a real RabbitMQ, notify's own consumer and
database and a real SMTP server (aiosmtpd), as test_notify_product_mails_smtp.py does: a contact
change reaches the previous and the new contact address (and the account), and from then on the
organisation's mails — a change of name approved — go to the new contact, not the old one."""

from __future__ import annotations

import uuid

import pytest

from platform_shared.events.contracts import build_event
from tests.integration.test_notify_product_mails_smtp import (  # noqa: F401 - the fixtures
    ACCOUNT,
    AT,
    CONTACT,
    notify_runtime,
    publish,
    recorded_for,
    registered,
    send_all,
    smtp,
)

pytestmark = pytest.mark.integration
NEW_CONTACT = "wang.wu@huawei.example.cn"
COMMON = {"name": "华为技术有限公司", "uscc": "914403001922038216", "kind": "enterprise", "province_code": "440000"}


def test_a_contact_change_reaches_the_old_and_the_new_address_and_later_mails_only_the_new(
        notify_runtime, smtp, amqp_url):  # noqa: F811
    mailbox, mailer = smtp
    organisation = str(uuid.uuid4())
    first = registered(organisation, CONTACT, ACCOUNT)
    publish(amqp_url, first)
    recorded_for(notify_runtime, first)
    send_all(notify_runtime, mailer)
    mailbox.received.clear()

    changed = build_event("identity.organisation.contact_changed", {
        "organisation_id": organisation, **COMMON, "city_code": "440300", "address": "深圳市南山区",
        "contact": {"name": "王五", "phone": "13900139000", "email": NEW_CONTACT},
        "previous_contact_email": CONTACT, "changed_by": "acc-1", "changed_at": AT,
        "changes": [{"field": "contact.email", "before": CONTACT, "after": NEW_CONTACT}]},
        producer="identity", aggregate_id=organisation, aggregate_version=4)
    publish(amqp_url, changed)
    recorded_for(notify_runtime, changed)
    send_all(notify_runtime, mailer)
    told = mailbox.subjects()
    assert {recipient for recipient, _ in told} == {CONTACT, NEW_CONTACT, ACCOUNT}, told
    assert all("联系信息已变更" in subject for _, subject in told), told
    [(_, message)] = [(r, m) for r, m in mailbox.received if r == CONTACT]
    text = message.get_body(("plain",)).get_content()
    assert CONTACT in text and NEW_CONTACT in text and "王五" in text
    mailbox.received.clear()

    renamed = build_event("identity.organisation.changed", {
        "organisation_id": organisation, **COMMON, "name": "华为终端有限公司", "previous_name": COMMON["name"],
        "request_id": "r-1", "changed_at": AT,
        "changes": [{"field": "name", "before": COMMON["name"], "after": "华为终端有限公司"}]},
        producer="identity", aggregate_id=organisation, aggregate_version=5)
    publish(amqp_url, renamed)
    recorded_for(notify_runtime, renamed)
    send_all(notify_runtime, mailer)
    assert {recipient for recipient, _ in mailbox.subjects()} == {NEW_CONTACT, ACCOUNT}, mailbox.subjects()
