"""The annual update's mails, rendered from filing's events through their contracts: the
confirmation of an update and of an opt-in, and the reminders (opening, last call) — each to the
organisation's contact and accounts, in both languages, with the product's page linked."""

from __future__ import annotations

import pytest

from notify.adapters.templates import MailTemplates
from notify.domain.messages import messages_for
from platform_shared.events.contracts import build_event
from tests.unit.test_notify_product_mails import AT, BOOK, FILING_NUMBER, identity

pytestmark = pytest.mark.unit
PAGE = "http://127.0.0.1:8000/enterprise/products/prod-1"
FIGURES = {"year": 2025, "sales_revenue": "2000000.00", "sales_volume": 20, "export_revenue": None,
           "profit": "-5.00", "ip_investment": "7.00"}


def reminder(kind: str):
    return build_event("filing.annual_update.reminder_due", {
        "organisation_id": "org-1", "organisation_name": "华为技术有限公司", "province_code": "440000",
        "year": 2025, "kind": kind, "opens_on": "2026-01-01", "closes_on": "2026-03-31",
        "products": [{"product_id": "prod-1", "name": "智能手机", "brand": "华为", "model": "Mate 60 Pro",
                      "filing_number": FILING_NUMBER}]}, producer="filing", aggregate_id="org-1")


EVENTS = {
    "updated": build_event("filing.product.annual_data_updated", {
        **identity(), "filing_number": FILING_NUMBER, "data": FIGURES, "updated_at": AT},
        producer="filing", aggregate_id="prod-1"),
    "opted_in": build_event("filing.product.recognition_opted_in", {
        **identity(), "filing_number": FILING_NUMBER, "year": 2026, "opt_in": True, "decided_at": AT},
        producer="filing", aggregate_id="prod-1"),
    "opted_out": build_event("filing.product.recognition_opted_in", {
        **identity(), "filing_number": FILING_NUMBER, "year": 2026, "opt_in": False, "decided_at": AT},
        producer="filing", aggregate_id="prod-1"),
    "opening": reminder("opening"),
    "last_call": reminder("last_call"),
}
EXPECTED = {
    "updated": ("【专利产品备案平台】年度数据已更新：智能手机 Mate 60 Pro（2025年度）",
                "[Patent Product Filing Platform] Annual figures updated: 智能手机 Mate 60 Pro (2025)",
                ["2026-05-08 14:30", "2000000.00", "-5.00", FILING_NUMBER],
                ["2026-05-08 14:30", "Sales revenue (yuan): 2000000.00", FILING_NUMBER]),
    "opted_in": ("【专利产品备案平台】已申请参加 2026 年度专利密集型产品认定：智能手机 Mate 60 Pro",
                 "[Patent Product Filing Platform] Opted in to the recognition of 2026: 智能手机 Mate 60 Pro",
                 ["申请参加", FILING_NUMBER], ["opted in to", FILING_NUMBER]),
    "opted_out": ("【专利产品备案平台】已选择不参加 2026 年度专利密集型产品认定：智能手机 Mate 60 Pro",
                  "[Patent Product Filing Platform] Opted out of the recognition of 2026: 智能手机 Mate 60 Pro",
                  ["不参加"], ["does not take part"]),
    "opening": ("【专利产品备案平台】年度更新已开始：请提交 2025 年度经济数据",
                "[Patent Product Filing Platform] The annual update is open: give the figures of 2025",
                ["2026-01-01", "2026-03-31", FILING_NUMBER], ["opened on 2026-01-01", FILING_NUMBER]),
    "last_call": ("【专利产品备案平台】年度更新将于 2026-03-31 截止：请尽快提交 2025 年度经济数据",
                  "[Patent Product Filing Platform] The annual update closes on 2026-03-31: give the figures of 2025",
                  ["14 天"], ["in 14 days"]),
}


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_mail_says_what_happened_and_links_the_products_page(name, language):
    [request, *_] = messages_for(EVENTS[name], BOOK)
    mail = MailTemplates().render(request.template, language, request.values)
    subject_zh, subject_en, says_zh, says_en = EXPECTED[name]
    assert mail.subject == (subject_zh if language == "zh" else subject_en)
    for part in (mail.text, mail.html):
        assert PAGE in part and "张三" in part and "Mate 60 Pro" in part
        for words in (says_zh if language == "zh" else says_en):
            assert words in part, (words, part)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_goes_to_the_contact_and_every_account(name):
    requests = messages_for(EVENTS[name], BOOK)
    assert [r.recipient for r in requests] == ["zhang@example.cn", "admin@example.cn", "member@example.cn"]
    assert messages_for(EVENTS[name]) == []  # an organisation the view does not know: no mail


# --- identity's steps that had no mail -------------------------------------------------------------
IDENTITY_EVENTS = {
    "bootstrapped": build_event("identity.account.bootstrapped", {
        "account_id": "acc-1", "email": "Ops@Example.cn", "role": "operator", "created_at": AT},
        producer="identity", aggregate_id="acc-1"),
    "applied": build_event("identity.province_port.applied", {
        "application_id": "app-1", "province_code": "540000", "office_name": "西藏自治区知识产权局",
        "contact": {"name": "次仁多吉", "phone": "0891-6833333", "email": "Office@ipa.example.cn"},
        "submitted_at": AT}, producer="identity", aggregate_id="app-1"),
}
IDENTITY_EXPECTED = {
    "bootstrapped": ("ops@example.cn", "【专利产品备案平台】平台首个运营账号已创建",
                     "[Patent Product Filing Platform] The platform's first operator account was created",
                     "http://127.0.0.1:8000/login"),
    "applied": ("office@ipa.example.cn", "【专利产品备案平台】已收到西藏自治区省级管理端口开通申请",
                "[Patent Product Filing Platform] Application for the port of 西藏自治区 received",
                "http://127.0.0.1:8000/manual/province-admin"),
}


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("name", sorted(IDENTITY_EXPECTED))
def test_identity_steps_are_mailed_to_whom_they_concern(name, language):
    [request] = messages_for(IDENTITY_EVENTS[name])
    recipient, subject_zh, subject_en, link = IDENTITY_EXPECTED[name]
    assert request.recipient == recipient
    mail = MailTemplates().render(request.template, language, request.values)
    assert mail.subject == (subject_zh if language == "zh" else subject_en)
    for part in (mail.text, mail.html):
        assert link in part and "2026-05-08 14:30" in part
