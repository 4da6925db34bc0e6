"""Every kind of mail notify sends says words, not codes: each event notify mails on is rendered
in Chinese and English, and no code a machine uses (kinds, statuses, roles, documents, patents,
region codes) is left in what the reader reads — the subject, the text and the HTML's visible
text; links (for machines too) are taken out first. The words for the codes are there instead."""

from __future__ import annotations

import html
import re

import pytest

from notify.adapters.templates import MailTemplates
from notify.domain.contacts import KnownOrganisation, NoContacts
from notify.domain.messages import SUBSCRIBED_TYPES, messages_for
from platform_shared.events.contracts import build_event

pytestmark = pytest.mark.unit

AT = "2026-05-08T06:30:00+00:00"
ORG = "org-1"
LINK = "http://127.0.0.1:8000/password-setup#token"
# Codes a Chinese mail must never show as a word.
CODES_ZH = re.compile(r"\b(enterprise|university_institute|rd_institution|social_organisation|business_license|"
                      r"integrity_commitment|authorization_letter|owner|licensee|invention|utility_model|design|"
                      r"draft|filed|submitted|returned|rejected|registered|verified|pending_review|recognised|"
                      r"cancelled|revoked|withdrawn|reviewer|province_admin|operator|organisation|product|"
                      r"documents|legal_representative|sales_revenue|economic_data|patents)\b"
                      r"|(?<![\w-])\d{6}(?![\w-])")  # a region code (not the sequence of a filing number)
# An English mail may say "filed" or "reviewer" as English does: no code with an underscore, no
# dotted field path, no region code.
CODES_EN = re.compile(r"\b(?:[a-z]+_[a-z_]+|[a-z_]+\.\d+(?:\.[a-z_]+)?)\b|(?<![\w-])\d{6}(?![\w-])")
URL = re.compile(r"https?://\S+")


class Book(NoContacts):
    def organisation(self, organisation_id):
        return KnownOrganisation(ORG, "华为技术有限公司", "张三", ("zhang@example.cn",), ())

    def reviewers_for_new_tasks(self):
        return ["rev@example.cn"]

    def province_admins(self, province_code):
        return ["admin@gd.example.cn"]


PRODUCT = {"product_id": "prod-1", "organisation_id": ORG, "organisation_name": "华为技术有限公司",
           "province_code": "440000", "name": "智能手机", "brand": "华为", "model": "Mate 60 Pro",
           "industry_code": "01"}
DECLARATION = {**PRODUCT, "economic_data": [{"year": 2025, "sales_revenue": "100.00", "sales_volume": 1}],
               "patents": [{"number": "ZL201710601862.3", "kind": "invention", "relation": "owner"}]}
REASONS = [{"field": "patents.0.relation", "message": "权利关系与证书不符"},
           {"field": "economic_data.0.sales_revenue", "message": "缺少证明"}]
CONTACT = {"name": "张三", "phone": "13800138000", "email": "zhang@example.cn"}

# One event of each type notify mails on, with the codes its mail could show.
PAYLOADS = {
    "identity.organisation.registered": {
        "organisation_id": ORG, "name": "华为技术有限公司", "uscc": "914403001922038216", "kind": "enterprise",
        "province_code": "440000", "city_code": "440300", "contact": CONTACT, "account_email": "admin@example.cn",
        "registered_at": AT},
    "identity.province_port.approved": {
        "application_id": "a-1", "province_code": "440000", "office_name": "广东省知识产权局", "account_id": "acc-1",
        "contact": CONTACT, "password_setup_url": LINK, "password_setup_expires_at": AT, "approved_at": AT},
    "identity.province_port.rejected": {
        "application_id": "a-2", "province_code": "440000", "office_name": "广东省知识产权局", "contact": CONTACT,
        "reason": "缺少盖章", "rejected_at": AT},
    "identity.account.invited": {
        "account_id": "acc-2", "email": "new@example.cn", "role": "province_admin", "organisation_id": None,
        "organisation_name": None, "province_code": "440000", "invited_by": "acc-1", "password_setup_url": LINK,
        "password_setup_expires_at": AT},
    "identity.account.password_reset_requested": {
        "account_id": "acc-3", "email": "holder@example.cn", "password_setup_url": LINK,
        "password_setup_expires_at": AT},
    "identity.account.password_changed": {
        "account_id": "acc-3", "email": "holder@example.cn", "how": "reset", "changed_at": AT},
    "identity.account.deactivated": {
        "account_id": "acc-4", "email": "left@example.cn", "role": "enterprise", "organisation_id": ORG,
        "by": "acc-1", "reason": "已离职", "deactivated_at": AT},
    "identity.account.reactivated": {
        "account_id": "acc-4", "email": "left@example.cn", "role": "enterprise", "organisation_id": ORG,
        "by": "acc-1", "reason": "重新入职", "reactivated_at": AT},
    "identity.account.registration_attempted": {
        "account_id": "acc-3", "email": "holder@example.cn", "attempted_at": AT},
    "identity.organisation.hold_ending": {
        "organisation_id": ORG, "name": "华为技术有限公司", "uscc": "914403001922038216", "registered_at": AT,
        "lapses_at": AT},
    "identity.organisation.lapsed": {
        "organisation_id": ORG, "name": "华为技术有限公司", "uscc": "914403001922038216", "registered_at": AT,
        "kind": "enterprise", "province_code": "440000",
        "lapsed_at": AT},
    "identity.organisation.suspended": {
        "organisation_id": ORG, "name": "华为技术有限公司", "uscc": "914403001922038216", "kind": "enterprise",
        "province_code": "440000", "previous_status": "verified", "reason": "营业执照显示该代码属于另一家公司",
        "suspended_by": "op-1", "suspended_at": AT},
    "identity.organisation.contact_changed": {
        "organisation_id": ORG, "name": "华为技术有限公司", "uscc": "914403001922038216", "kind": "enterprise",
        "province_code": "440000", "city_code": "440400", "address": "珠海市香洲区", "contact": CONTACT,
        "previous_contact_email": "old@example.cn", "changed_by": "acc-1", "changed_at": AT,
        "changes": [{"field": "city_code", "before": "440300", "after": "440400"},
                    {"field": "contact.email", "before": "old@example.cn", "after": "zhang@example.cn"}]},
    "identity.organisation.changed": {
        "organisation_id": ORG, "request_id": "r-1", "name": "华为终端有限公司", "previous_name": "华为技术有限公司",
        "uscc": "914403001922038216", "kind": "enterprise", "province_code": "440000", "changed_at": AT,
        "changes": [{"field": "name", "before": "华为技术有限公司", "after": "华为终端有限公司"}]},
    "identity.organisation.change_requested": {
        "request_id": "r-1", "organisation_id": ORG, "name": "华为技术有限公司", "uscc": "914403001922038216",
        "kind": "enterprise", "province_code": "440000", "documents": [], "requested_at": AT,
        "changes": [{"field": "legal_representative.name", "before": "赵明路", "after": "钱六"}]},
    "identity.organisation.change_rejected": {
        "organisation_id": ORG, "request_id": "r-1", "name": "华为技术有限公司", "uscc": "914403001922038216",
        "province_code": "440000", "rejected_at": AT,
        "changes": [{"field": "legal_representative.name", "before": "赵明路", "after": "钱六"}],
        "reasons": [{"field": "documents.business_license", "message": "营业执照上的法定代表人不符"}]},
    "identity.organisation.reinstated": {
        "organisation_id": ORG, "name": "华为技术有限公司", "uscc": "914403001922038216", "kind": "enterprise",
        "province_code": "440000", "status": "registered", "reason": "核实后争议不成立",
        "reinstated_by": "op-1", "reinstated_at": AT},
    "identity.province_port.dismissed": {
        "application_id": "a-1", "province_code": "440000", "office_name": "广东省知识产权局", "contact": CONTACT,
        "reason": "十四天内未能核实申请单位", "dismissed_at": AT},
    "identity.organisation.verification_requested": {
        "organisation_id": ORG, "name": "华为技术有限公司", "uscc": "914403001922038216", "kind": "enterprise",
        "province_code": "440000", "requested_at": AT},
    "identity.organisation.verified": {
        "organisation_id": ORG, "name": "华为技术有限公司", "uscc": "914403001922038216", "kind": "enterprise",
        "province_code": "440000", "verified_at": AT},
    "identity.organisation.rejected": {
        "organisation_id": ORG, "province_code": "440000", "rejected_at": AT,
        "reasons": [{"field": "documents.business_license", "message": "模糊"},
                    {"field": "legal_representative.id_number", "message": "与执照不符"}]},
    "filing.product.submitted": {**DECLARATION, "submission": 2, "submitted_at": AT},
    "filing.product.returned": {**PRODUCT, "task_id": "t-1", "reasons": REASONS, "returned_at": AT},
    "filing.product.filed": {**DECLARATION, "filing_number": "BA-2026-44-000001", "task_id": "t-2", "filed_at": AT},
    "filing.product.rejected": {**PRODUCT, "task_id": "t-3", "reasons": REASONS, "rejected_at": AT},
    "filing.product.recognised": {**PRODUCT, "filing_number": "BA-2026-44-000001", "year": 2026,
                                  "round_id": "r-1", "recognised_at": AT},
    "filing.product.revoked": {**PRODUCT, "filing_number": "BA-2026-44-000001", "reason": "权属纠纷",
                               "revoked_by": "acc-op", "revoked_at": AT},
    "filing.product.cancelled": {**PRODUCT, "filing_number": "BA-2026-44-000001", "reason": "退市",
                                 "cancelled_at": AT},
    "filing.product.annual_data_updated": {
        **PRODUCT, "filing_number": "BA-2026-44-000001", "updated_at": AT,
        "data": {"year": 2025, "sales_revenue": "100.00", "sales_volume": 1, "export_revenue": None,
                 "profit": "-1.00", "ip_investment": None}},
    "filing.product.recognition_opted_in": {**PRODUCT, "filing_number": "BA-2026-44-000001", "year": 2026,
                                            "opt_in": True, "decided_at": AT},
    "filing.annual_update.reminder_due": {
        "organisation_id": ORG, "organisation_name": "华为技术有限公司", "province_code": "440000", "year": 2025,
        "kind": "last_call", "opens_on": "2026-01-01", "closes_on": "2026-03-31",
        "products": [{"product_id": "prod-1", "name": "智能手机", "brand": "华为", "model": "Mate 60 Pro",
                      "filing_number": "BA-2026-44-000001"}]},
    "identity.province_port.applied": {
        "application_id": "a-3", "province_code": "440000", "office_name": "广东省知识产权局", "contact": CONTACT,
        "submitted_at": AT},
    "identity.account.bootstrapped": {"account_id": "acc-0", "email": "ops@example.cn", "role": "operator",
                                      "created_at": AT},
    "filing.product.patent_problem_found": {
        **PRODUCT, "filing_number": "BA-2026-44-000001", "patent_number": "201710601862.3", "problem": "licence_ended",
        "register": {"status": "valid", "holders": ["甲公司"], "expires_on": None}, "check": "monthly:2026-05",
        "found_at": AT, "deadline": "2026-08-06"},
    "filing.product.patent_expiring": {**PRODUCT, "filing_number": "BA-2026-44-000001",
                                       "patent_number": "201710601862.3", "expires_on": "2026-07-01",
                                       "noticed_at": AT},
    "filing.product.suspended": {**PRODUCT, "filing_number": "BA-2026-44-000001", "deadline": "2026-05-01",
                                 "lost_patents": ["201710601862.3"], "suspended_at": AT},
    "filing.product.patent_problems_cleared": {**PRODUCT, "filing_number": "BA-2026-44-000001",
                                               "suspension_lifted": False, "at_risk": True, "cleared_at": AT},
    "filing.product.amendment_submitted": {
        **DECLARATION, "variants": ["黑色"], "filing_number": "BA-2026-44-000001", "amendment_id": "am-1", "edition": 1,
        "changed": ["variants", "patents"], "before": {"variants": []}, "submission": 2, "submitted_at": AT},
    "filing.product.amended": {**DECLARATION, "filing_number": "BA-2026-44-000001", "amendment_id": "am-1",
                               "edition": 2, "task_id": "t-7", "amended_at": AT},
    "filing.product.amendment_returned": {**PRODUCT, "filing_number": "BA-2026-44-000001", "amendment_id": "am-1",
                                          "task_id": "t-8", "reasons": REASONS, "returned_at": AT},
    "filing.product.amendment_rejected": {**PRODUCT, "filing_number": "BA-2026-44-000001", "amendment_id": "am-1",
                                          "task_id": "t-8", "reasons": REASONS, "rejected_at": AT},
    "review.task.created": {"task_id": "t-9", "kind": "organisation", "subject_id": ORG,
                            "title": "实名认证审核：华为技术有限公司（914403001922038216）", "created_at": AT},
    "reporting.monthly_report.published": {
        "report_id": "rep-1", "month": "2026-10", "province_code": "440000", "province_name": "广东省",
        "figures": {"new_filings": 1, "filed_total": 2, "recognised_total": 3, "organisations_total": 4},
        "downloads": {"xlsx": "/api/v1/reporting/monthly/2026-10?province=440000&format=xlsx"},
        "published_at": AT},
    "review.recognition_round.published": {
        "round_id": "r-1", "year": 2026, "notice_ends_on": "2026-06-01",
        "products": [{"product_id": "prod-1", "name": "智能手机", "model": "Mate 60 Pro", "organisation_id": ORG,
                      "organisation_name": "华为技术有限公司", "industry_code": "01", "province_code": "440000"}],
        "not_proposed": [{"product_id": "prod-2", "name": "平板", "model": "MatePad", "organisation_id": ORG,
                          "organisation_name": "华为技术有限公司", "industry_code": "01", "shortfalls": [
                              {"check": "figures", "indicator": None, "indicator_name": None, "value": None,
                               "benchmark": None, "note": "the figures of 2025 lack sales_volume"}]}],
        "published_at": AT},
    "review.objection.raised": {
        "objection_id": "o-1", "round_id": "r-1", "year": 2026, "notice_ends_on": "2026-06-01",
        "product": {"product_id": "prod-1", "name": "智能手机", "model": "Mate 60 Pro", "organisation_id": ORG,
                    "organisation_name": "华为技术有限公司"},
        "reasons": "专利权属存在争议", "raised_at": AT},
    "review.objection.decided": {
        "objection_id": "o-1", "round_id": "r-1", "year": 2026, "upheld": True, "reason": "属实",
        "product": {"product_id": "prod-1", "name": "智能手机", "model": "Mate 60 Pro", "organisation_id": ORG,
                    "organisation_name": "华为技术有限公司"},
        "raised_by": "acc-9", "raised_by_organisation_id": ORG, "decided_at": AT},
    "review.recognition_round.finalised": {
        "round_id": "r-1", "year": 2026, "finalised_at": AT, "outcomes": [
            {"product_id": "prod-1", "name": "智能手机", "model": "Mate 60 Pro", "organisation_id": ORG,
             "organisation_name": "华为技术有限公司", "industry_code": "01", "recognised": False,
             "why_not": "objection_upheld"}]},
}
# What the Chinese mail says instead of its codes.
WORDS_ZH = {
    "identity.organisation.change_requested": ["法定代表人：赵明路 → 钱六", "仍为已认证状态"],
    "identity.account.deactivated": ["已离职", "14:30"],
    "identity.account.reactivated": ["重新入职"],
    "identity.account.invited": ["省级管理员", "广东省"],
    "identity.organisation.rejected": ["证明材料 · 营业执照", "法定代表人 · 身份证号码"],
    "filing.product.returned": ["专利（第1项）· 权利关系", "经济数据（第1项）· 销售收入"],
    "filing.product.rejected": ["专利（第1项）· 权利关系"],
    "filing.product.amendment_submitted": ["规格型号变体、专利"],
    "filing.product.amendment_returned": ["专利（第1项）· 权利关系", "经济数据（第1项）· 销售收入"],
    "review.task.created": ["单位实名认证"],
    "filing.product.patent_problem_found": ["备案的专利实施许可已终止"],
    "identity.province_port.approved": ["广东省"],
    "identity.province_port.applied": ["广东省"],
    "reporting.monthly_report.published": ["广东省"],
    "review.recognition_round.published": ["缺少数据年度的经济数据"],
    "review.recognition_round.finalised": ["公示期间的异议经核实成立"],
}
WORDS_EN = {
    "identity.organisation.change_requested": ["Legal representative: 赵明路 → 钱六"],
    "identity.account.invited": ["province administrator"],
    "identity.organisation.rejected": ["Documents · business licence", "Legal representative · ID number"],
    "identity.organisation.contact_changed": ["City: 深圳市 → 珠海市", "Contact's e-mail: old@example.cn"],
    "identity.organisation.change_rejected": ["Business licence: 营业执照上的法定代表人不符"],
    "filing.product.returned": ["Patents (item 1) · relation", "Economic data (item 1) · sales revenue"],
    "filing.product.amendment_submitted": ["Variants, Patents"],
    "review.task.created": ["organisation verification"],
    "review.recognition_round.published": ["the data year's figures are missing"],
    "review.recognition_round.finalised": ["an objection during the public notice was upheld"],
}


def test_every_mail_notify_sends_is_covered():
    assert sorted(PAYLOADS) == sorted(SUBSCRIBED_TYPES)


def read(part: str, is_html: bool = False) -> str:
    """What the reader reads of a part: the HTML's text without its tags, no links."""
    if is_html:
        part = html.unescape(re.sub(r"<[^>]+>", " ", part))
    return URL.sub(" ", part)


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("event_type", sorted(PAYLOADS))
def test_a_mail_shows_words_not_codes(event_type, language):
    producer = event_type.split(".")[0]
    event = build_event(event_type, PAYLOADS[event_type], producer=producer, aggregate_id="a-1")
    requests = messages_for(event, Book())
    assert requests, event_type
    mail = MailTemplates().render(requests[0].template, language, requests[0].values)
    shown = " ".join((read(mail.subject), read(mail.text), read(mail.html, is_html=True)))
    codes = CODES_ZH if language == "zh" else CODES_EN
    assert not codes.findall(shown), (codes.findall(shown), shown)
    for words in (WORDS_ZH if language == "zh" else WORDS_EN).get(event_type, []):
        assert words in mail.text and words in read(mail.html, is_html=True), (words, mail.text)


@pytest.mark.parametrize(("role", "zh", "en"), [("enterprise", "企业用户", "enterprise user"),
                                                ("reviewer", "审核员", "reviewer"),
                                                ("operator", "平台运营人员", "platform operator")])
def test_an_invitation_names_every_role_in_words(role, zh, en):
    data = {**PAYLOADS["identity.account.invited"], "role": role, "province_code": None}
    [request] = messages_for(build_event("identity.account.invited", data, producer="identity",
                                         aggregate_id="a-1"), Book())
    chinese = MailTemplates().render(request.template, "zh", request.values)
    english = MailTemplates().render(request.template, "en", request.values)
    assert zh in chinese.subject and not CODES_ZH.findall(read(chinese.text))
    assert en in english.subject and role not in english.subject.replace(en, "")
