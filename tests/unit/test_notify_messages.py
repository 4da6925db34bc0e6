"""Which mails notify makes of identity's events, rendered from their templates (notify.domain.messages)."""

from __future__ import annotations

import pytest

from notify.adapters.templates import MailTemplates
from notify.domain.deliveries import Delivery
from notify.domain.messages import SETUP_LINK_PLACEHOLDER, beijing_time, messages_for
from platform_shared.events.contracts import build_event
from platform_shared.moments import utcnow

pytestmark = pytest.mark.unit

LINK = "http://127.0.0.1:8000/password-setup#Zk3x_token-Value"
EXPIRES = "2026-05-08T06:30:00+00:00"


def _event(event_type: str, data: dict):
    # Built as a producer builds it: a payload that breaks its contract fails here, not in notify.
    return build_event(event_type, data, producer="identity", aggregate_id="a-1")


def _mails(event) -> list[tuple[str, object]]:
    """Each mail as it goes out: rendered and kept (with placeholders), its secrets put in."""
    templates = MailTemplates()
    sent = []
    for request in messages_for(event):
        kept = Delivery.of(request, templates.render(request.template, request.language, request.values),
                           event_id="e-1", event_type=event.type, correlation_id=None, now=utcnow())
        sent.append((request.recipient, kept.mail_from("platform@example.cn", request.secrets)))
    return sent


@pytest.mark.parametrize("event_type", ["identity.province_port.approved", "identity.account.invited"])
def test_a_one_time_link_is_never_in_the_mail_as_kept_only_in_the_mail_as_sent(event_type):
    event = _event(event_type, port_approved() if event_type.endswith("approved") else invited())
    [request] = messages_for(event)
    kept = MailTemplates().render(request.template, request.language, request.values)
    assert LINK not in kept.subject + kept.text + kept.html
    assert SETUP_LINK_PLACEHOLDER in kept.text and request.secrets == {SETUP_LINK_PLACEHOLDER: LINK}


def port_approved(**changes) -> dict:
    data = {
        "application_id": "a-1", "province_code": "540000", "office_name": "西藏自治区知识产权局",
        "account_id": "acc-1", "contact": {"name": "次仁", "phone": "0891-6833333", "email": "CiRen@xz.example.cn"},
        "password_setup_url": LINK, "password_setup_expires_at": EXPIRES,
        "approved_at": "2026-05-05T06:30:00+00:00",
    }
    data.update(changes)
    return data


def test_an_approved_port_mails_its_contact_the_one_time_link_and_its_expiry():
    [(recipient, mail)] = _mails(_event("identity.province_port.approved", port_approved()))
    assert recipient == "ciren@xz.example.cn"
    assert mail.subject == "【专利产品备案平台】西藏自治区省级管理端口开通申请已通过"
    for part in (mail.text, mail.html):
        assert LINK in part
        assert "西藏自治区知识产权局" in part and "次仁" in part
        assert "2026-05-08 14:30" in part  # the expiry, in Beijing time
    assert f'<a href="{LINK}">' in mail.html


def test_the_xpcc_is_named_in_its_port_mail():
    [(_, mail)] = _mails(_event("identity.province_port.approved",
                                port_approved(province_code="660000", office_name="新疆生产建设兵团知识产权局")))
    assert "新疆生产建设兵团" in mail.subject


def test_names_are_escaped_in_the_html_part_only():
    [(_, mail)] = _mails(_event("identity.province_port.approved", port_approved(office_name="R&D <局>")))
    assert "R&D <局>" in mail.text
    assert "R&amp;D &lt;局&gt;" in mail.html and "<局>" not in mail.html


def test_a_rejected_port_mails_its_contact_the_reason():
    data = {"application_id": "a-2", "province_code": "630000", "office_name": "青海省知识产权局",
            "contact": {"name": "王五", "phone": "13800138000", "email": "wang@qh.example.cn"},
            "reason": "申请表缺少单位盖章。", "rejected_at": "2026-05-05T06:30:00+00:00"}
    [(recipient, mail)] = _mails(_event("identity.province_port.rejected", data))
    assert recipient == "wang@qh.example.cn"
    assert "未通过" in mail.subject and "青海省" in mail.subject
    assert "申请表缺少单位盖章。" in mail.text and "申请表缺少单位盖章。" in mail.html


def invited(**changes) -> dict:
    data = {"account_id": "acc-2", "email": "New.Member@example.cn", "role": "enterprise",
            "organisation_id": "org-1", "organisation_name": "华为技术有限公司", "province_code": None,
            "invited_by": "acc-1", "password_setup_url": LINK, "password_setup_expires_at": EXPIRES}
    data.update(changes)
    return data


@pytest.mark.parametrize(("changes", "role_name", "bound_to"), [
    ({}, "企业用户", "华为技术有限公司"),
    ({"role": "province_admin", "organisation_id": None, "organisation_name": None, "province_code": "650000"},
     "省级管理员", "新疆维吾尔自治区"),
    ({"role": "reviewer", "organisation_id": None, "organisation_name": None}, "审核员", None),
    ({"role": "operator", "organisation_id": None, "organisation_name": None}, "平台运营人员", None),
])
def test_an_invited_account_is_mailed_its_role_what_it_is_bound_to_and_the_link(changes, role_name, bound_to):
    [(recipient, mail)] = _mails(_event("identity.account.invited", invited(**changes)))
    assert recipient == "new.member@example.cn"
    assert role_name in mail.subject
    for part in (mail.text, mail.html):
        assert LINK in part and role_name in part and "2026-05-08 14:30" in part
        if bound_to:
            assert bound_to in part
    assert f'<a href="{LINK}">' in mail.html


def test_the_english_template_is_used_when_asked_for():
    mail = MailTemplates().render("account_invited", "en", {
        "email": "a@example.cn", "role": "reviewer", "role_name": {"zh": "审核员", "en": "reviewer"},
        "organisation_name": None, "province_name": None,
        "link": LINK, "expires_at": "2026-05-08 14:30"})
    assert mail.subject.endswith("You are invited to a reviewer account")
    assert LINK in mail.text and LINK in mail.html


def test_expiry_times_are_shown_in_beijing_time():
    assert beijing_time("2026-12-31T20:00:00+00:00") == "2027-01-01 04:00"



@pytest.mark.parametrize(("language", "words"), [("zh", "下载（已预填单位信息），由法定代表人签字并加盖公章后上传"),
                                                 ("en", "The commitment letter can be downloaded prefilled")])
def test_the_welcome_mail_says_where_the_commitment_letter_and_the_manual_are(language, words):
    event = _event("identity.organisation.registered", {
        "organisation_id": "o-1", "name": "华为技术有限公司", "uscc": "914403001922038216", "kind": "enterprise",
        "province_code": "440000", "contact": {"name": "张三", "phone": "13800138000", "email": "z@example.cn"},
        "account_email": "z@example.cn", "account_id": "acc-1", "registered_at": EXPIRES})
    [request] = messages_for(event, public_url="https://ba.example.cn/")
    mail = MailTemplates().render(request.template, language, request.values)

    for part in (mail.text, mail.html):
        assert words in part
        assert "https://ba.example.cn/enterprise" in part and "https://ba.example.cn/manual/enterprise" in part
    assert '<a href="https://ba.example.cn/manual/enterprise">' in mail.html


@pytest.mark.parametrize("language", ["zh", "en"])
def test_an_approved_port_mail_links_the_manual_for_provincial_offices(language):
    [request] = messages_for(_event("identity.province_port.approved", port_approved()),
                             public_url="https://ba.example.cn")
    mail = MailTemplates().render(request.template, language, request.values)

    for part in (mail.text, mail.html):
        assert "https://ba.example.cn/manual/province-admin" in part
