"""The mails of identity's verification steps, to the people notify's local view of contacts
knows, rendered from their templates in both languages (notify.domain.messages)."""

from __future__ import annotations

import pytest

from notify.adapters.templates import MailTemplates
from notify.domain.contacts import KnownOrganisation, NoContacts, contacts_learned
from notify.domain.declaration_fields import organisation_field_label
from notify.domain.messages import messages_for
from platform_shared.events.contracts import build_event

pytestmark = pytest.mark.unit

ORG = "org-1"


class Book(NoContacts):
    def __init__(self, *known: KnownOrganisation):
        self.known = {k.organisation_id: k for k in known}

    def organisation(self, organisation_id):
        return self.known.get(organisation_id)


BOOK = Book(KnownOrganisation(ORG, "R&D <华为> 有限公司", "张三", ("zhang@example.cn",),
                              ("admin@example.cn", "member@example.cn", "zhang@example.cn")))


def _event(event_type: str, **changes):
    data = {
        "identity.organisation.verification_requested": {
            "organisation_id": ORG, "name": "R&D <华为> 有限公司", "uscc": "914403001922038216",
            "kind": "enterprise", "province_code": "440000", "requested_at": "2026-05-08T06:30:00+00:00"},
        "identity.organisation.verified": {
            "organisation_id": ORG, "name": "R&D <华为> 有限公司", "uscc": "914403001922038216",
            "kind": "enterprise", "province_code": "440000", "verified_at": "2026-05-08T06:30:00+00:00"},
        "identity.organisation.rejected": {
            "organisation_id": ORG, "province_code": "440000", "rejected_at": "2026-05-08T06:30:00+00:00",
            "reasons": [{"field": "documents.business_license", "message": "营业执照 <模糊> 不清"},
                        {"field": "address", "message": "地址与执照不符"}]},
    }[event_type]
    data.update(changes)
    return build_event(event_type, data, producer="identity", aggregate_id=ORG)


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("event_type", ["identity.organisation.verification_requested",
                                        "identity.organisation.verified", "identity.organisation.rejected"])
def test_each_verification_template_renders_in_both_languages(event_type, language):
    templates = MailTemplates()
    [request, *_] = messages_for(_event(event_type), BOOK)
    mail = templates.render(request.template, language, request.values)
    assert "R&D <华为> 有限公司" in mail.subject and "R&D <华为> 有限公司" in mail.text
    assert "R&amp;D &lt;华为&gt; 有限公司" in mail.html and "<华为>" not in mail.html
    assert "2026-05-08 14:30" in mail.text  # Beijing time
    assert "张三" in mail.text and "张三" in mail.html
    if language == "en":
        assert "Patent Product Filing Platform" in mail.subject
    else:
        assert "专利产品备案平台" in mail.subject


def test_a_verification_request_is_mailed_to_the_contact_only():
    requests = messages_for(_event("identity.organisation.verification_requested"), BOOK)
    assert [r.recipient for r in requests] == ["zhang@example.cn"]
    mail = MailTemplates().render(requests[0].template, "zh", requests[0].values)
    assert "审核" in mail.subject and "914403001922038216" in mail.text


def test_a_verification_is_mailed_once_to_the_contact_and_every_account():
    requests = messages_for(_event("identity.organisation.verified"), BOOK)
    assert [r.recipient for r in requests] == ["zhang@example.cn", "admin@example.cn", "member@example.cn"]
    mail = MailTemplates().render(requests[0].template, "zh", requests[0].values)
    assert "可以备案" in mail.subject and "提交专利产品备案" in mail.text


def test_a_rejection_lists_each_reason_with_its_field_in_words():
    requests = messages_for(_event("identity.organisation.rejected"), BOOK)
    assert {r.recipient for r in requests} == {"zhang@example.cn", "admin@example.cn", "member@example.cn"}
    mail = MailTemplates().render(requests[0].template, "zh", requests[0].values)
    assert "未通过" in mail.subject
    assert "- 证明材料 · 营业执照：营业执照 <模糊> 不清" in mail.text
    assert "- 地址：地址与执照不符" in mail.text
    assert "<strong>证明材料 · 营业执照</strong>：营业执照 &lt;模糊&gt; 不清" in mail.html
    assert "business_license" not in mail.text + mail.html and "address" not in mail.text
    english = MailTemplates().render(requests[0].template, "en", requests[0].values)
    assert "- Documents · business licence: 营业执照 <模糊> 不清" in english.text
    assert "- Address: 地址与执照不符" in english.text


@pytest.mark.parametrize(("path", "zh", "en"), [
    ("legal_representative.name", "法定代表人 · 姓名", "Legal representative · name"),
    ("contact.phone", "联系人 · 电话", "Contact · phone"),
    ("kind", "单位类型", "Kind of organisation"),
    ("", "整体意见", "General"),
    ("something.new", "something · new", "something · new"),  # unknown: shown as given
])
def test_an_organisations_fields_are_named_in_both_languages(path, zh, en):
    assert (organisation_field_label(path, "zh"), organisation_field_label(path, "en")) == (zh, en)


def test_an_organisation_the_view_does_not_know_gets_no_mail():
    assert messages_for(_event("identity.organisation.verified", organisation_id="org-x"), BOOK) == []
    assert messages_for(_event("identity.organisation.verified")) == []


def test_the_view_learns_contact_account_and_invited_members():
    registered = build_event("identity.organisation.registered", {
        "organisation_id": ORG, "name": "华为技术有限公司", "uscc": "914403001922038216", "kind": "enterprise",
        "province_code": "440000", "city_code": None,
        "contact": {"name": "张三", "phone": "13800138000", "email": "Zhang@Example.cn"},
        "account_email": "admin@example.cn", "registered_at": "2026-05-08T06:30:00+00:00"},
        producer="identity", aggregate_id=ORG)
    facts = contacts_learned(registered)
    assert [(f.email, f.source, f.organisation_name) for f in facts] == [
        ("zhang@example.cn", "contact", "华为技术有限公司"), ("admin@example.cn", "account", "华为技术有限公司")]
    invited = build_event("identity.account.invited", {
        "account_id": "acc-2", "email": "New@example.cn", "role": "enterprise", "organisation_id": ORG,
        "organisation_name": "华为技术有限公司", "province_code": None, "invited_by": "acc-1",
        "password_setup_url": "http://x/setup#t", "password_setup_expires_at": "2026-05-08T06:30:00+00:00"},
        producer="identity", aggregate_id="acc-2")
    [fact] = contacts_learned(invited)
    assert (fact.organisation_id, fact.email, fact.source) == (ORG, "new@example.cn", "member")
    staff = build_event("identity.account.invited", {
        "account_id": "acc-3", "email": "rev@example.cn", "role": "reviewer", "organisation_id": None,
        "organisation_name": None, "province_code": None, "invited_by": "acc-1",
        "password_setup_url": "http://x/setup#t", "password_setup_expires_at": "2026-05-08T06:30:00+00:00"},
        producer="identity", aggregate_id="acc-3")
    assert contacts_learned(staff) == []
