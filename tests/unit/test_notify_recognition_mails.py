"""The mails of a recognition round (review's events): the public notice to each organisation
with a product listed or not proposed (with what fell short), an objection raised to the owner
without the objector, its decision to the objector and the owner, and the outcome to each
organisation — each in its recipient's language, with the link to the portal's page."""

from __future__ import annotations

import pytest

from notify.adapters.templates import MailTemplates
from notify.domain.contacts import AccountFact, KnownOrganisation, NoContacts
from notify.domain.messages import messages_for
from platform_shared.events.contracts import build_event

pytestmark = pytest.mark.unit

AT = "2026-05-08T06:30:00+00:00"  # 14:30 in Beijing
OWNER, SHORT, OBJECTOR = "org-owner", "org-short", "org-objector"
ROUND = "round-1"


class Book(NoContacts):
    known = {
        OWNER: KnownOrganisation(OWNER, "华为技术有限公司", "张三", ("zhang@example.cn",), ("admin@example.cn",)),
        SHORT: KnownOrganisation(SHORT, "中兴通讯股份有限公司", "李四", ("li@example.cn",), ()),
        OBJECTOR: KnownOrganisation(OBJECTOR, "异议方有限公司", "王五", ("wang@example.cn",), ("erin@example.cn",)),
    }

    def organisation(self, organisation_id):
        return self.known.get(organisation_id)

    def account(self, account_id):
        return AccountFact("acc-erin", "erin@example.cn", "enterprise", OBJECTOR) if account_id == "acc-erin" else None

    def language_of(self, email):
        return "en" if email in ("admin@example.cn", "erin@example.cn") else "zh"


def product(name: str, organisation_id: str, organisation_name: str) -> dict:
    return {"product_id": f"p-{name}", "name": name, "model": f"M-{name}", "organisation_id": organisation_id,
            "organisation_name": organisation_name}


PHONE = product("智能手机", OWNER, "华为技术有限公司")
PAD = product("平板电脑", SHORT, "中兴通讯股份有限公司")


def mails(event_type: str, data: dict) -> list[tuple[str, str, str, object]]:
    """(recipient, language, template, rendered mail) of each mail the event causes."""
    event = build_event(event_type, data, producer="review", aggregate_id=ROUND)
    return [(r.recipient, r.language, r.template, MailTemplates().render(r.template, r.language, r.values))
            for r in messages_for(event, Book(), "https://filing.example.cn")]


NOTICE = {"round_id": ROUND, "year": 2026, "notice_ends_on": "2026-06-01",
          "products": [{**PHONE, "industry_code": "01", "province_code": "440000"}],
          "not_proposed": [{**PAD, "industry_code": "01", "shortfalls": [
              {"check": None, "indicator": "economic_benefit", "indicator_name": "经济效益", "value": "1.00",
               "benchmark": "2.50", "note": "经济效益 1.00 is below the benchmark 2.50"}]}],
          "published_at": AT}


def test_the_notice_goes_to_each_listed_owner_and_to_the_not_proposed_with_the_indicator_short():
    sent = mails("review.recognition_round.published", NOTICE)
    assert [(to, language, template) for to, language, template, _ in sent] == [
        ("zhang@example.cn", "zh", "recognition_notice"), ("admin@example.cn", "en", "recognition_notice"),
        ("li@example.cn", "zh", "recognition_notice")]
    link = f"https://filing.example.cn/notices/{ROUND}"
    zh, en, short = (mail for *_, mail in sent)
    assert zh.subject == "【专利产品备案平台】2026年度专利密集型产品认定公示"
    assert en.subject == ("[Patent Product Filing Platform] Public notice of the 2026 recognition of "
                          "patent-intensive products")
    for mail in (zh, en, short):
        assert link in mail.text and f'href="{link}"' in mail.html and "2026-06-01" in mail.text
    assert "智能手机 M-智能手机" in zh.text and "平板电脑" not in zh.text and "未列入名单" not in zh.text
    assert "Products of 华为技术有限公司 on the proposed list" in en.text
    assert "平板电脑 M-平板电脑：经济效益 1.00，基准 2.50" in short.text and "智能手机" not in short.text


def test_an_older_notice_without_owners_mails_nobody():
    older = {**NOTICE, "products": [{k: v for k, v in NOTICE["products"][0].items() if k != "organisation_id"}]}
    older.pop("not_proposed")
    assert mails("review.recognition_round.published", older) == []


RAISED = {"objection_id": "o-1", "round_id": ROUND, "year": 2026, "notice_ends_on": "2026-06-01", "product": PHONE,
          "reasons": "专利权属 <存在争议>", "raised_at": AT}


def test_an_objection_raised_goes_to_the_owner_without_the_objector():
    sent = mails("review.objection.raised", RAISED)
    assert [(to, language) for to, language, *_ in sent] == [("zhang@example.cn", "zh"), ("admin@example.cn", "en")]
    (_, _, template, zh), (*_, en) = sent
    assert template == "objection_raised"
    assert zh.subject == "【专利产品备案平台】公示产品收到异议：智能手机 M-智能手机"
    assert en.subject == ("[Patent Product Filing Platform] Objection to a product under public notice: "
                          "智能手机 M-智能手机")
    for mail in (zh, en):
        assert "https://filing.example.cn/objections" in mail.text and "2026-05-08 14:30" in mail.text
        assert "专利权属 <存在争议>" in mail.text and "专利权属 &lt;存在争议&gt;" in mail.html
        assert "异议方" not in mail.text + mail.html and "erin" not in mail.text + mail.html


DECIDED = {"objection_id": "o-1", "round_id": ROUND, "year": 2026, "product": PHONE, "upheld": True,
           "reason": "权属争议属实", "raised_by": "acc-erin", "raised_by_organisation_id": OBJECTOR, "decided_at": AT}


def test_a_decision_goes_to_the_objector_and_to_the_owner():
    sent = mails("review.objection.decided", DECIDED)
    assert [(to, language, template) for to, language, template, _ in sent] == [
        ("erin@example.cn", "en", "objection_decided_objector"),
        ("zhang@example.cn", "zh", "objection_decided_owner"), ("admin@example.cn", "en", "objection_decided_owner")]
    objector, owner_zh, owner_en = (mail for *_, mail in sent)
    assert objector.subject == "[Patent Product Filing Platform] Your objection was upheld: 智能手机 M-智能手机"
    assert "Organisation: 华为技术有限公司" in objector.text and "taken off the proposed list" in objector.text
    assert owner_zh.subject == "【专利产品备案平台】公示产品的异议处理结果：智能手机 M-智能手机"
    assert "异议成立，该产品已移出拟认定名单" in owner_zh.text and "权属争议属实" in owner_zh.text
    assert owner_en.subject == "[Patent Product Filing Platform] Objection to your product decided: 智能手机 M-智能手机"
    for mail in (objector, owner_zh, owner_en):
        assert "https://filing.example.cn/objections" in mail.text and "2026-05-08 14:30" in mail.text
    assert "异议方" not in owner_zh.text + owner_en.text


def test_a_dismissal_to_an_objector_notify_does_not_know_goes_to_its_organisation():
    sent = mails("review.objection.decided", {**DECIDED, "upheld": False, "raised_by": "acc-unknown"})
    to_objector = [(to, mail) for to, _, template, mail in sent if template == "objection_decided_objector"]
    assert [to for to, _ in to_objector] == ["wang@example.cn", "erin@example.cn"]
    assert to_objector[0][1].subject == "【专利产品备案平台】您提出的异议不成立：智能手机 M-智能手机"
    assert "异议不成立，该产品保留在拟认定名单中" in to_objector[0][1].text


def test_the_outcome_goes_to_each_organisation_recognised_or_not_and_why():
    data = {"round_id": ROUND, "year": 2026, "finalised_at": AT, "outcomes": [
        {**PHONE, "industry_code": "01", "recognised": True, "why_not": None},
        {**PAD, "industry_code": "01", "recognised": False, "why_not": "not_proposed"}]}
    sent = mails("review.recognition_round.finalised", data)
    assert [(to, language, template) for to, language, template, _ in sent] == [
        ("zhang@example.cn", "zh", "recognition_final"), ("admin@example.cn", "en", "recognition_final"),
        ("li@example.cn", "zh", "recognition_final")]
    recognised_zh, recognised_en, not_recognised = (mail for *_, mail in sent)
    assert recognised_zh.subject == "【专利产品备案平台】2026年度专利密集型产品认定结果"
    assert recognised_en.subject == ("[Patent Product Filing Platform] Outcome of the 2026 recognition of "
                                     "patent-intensive products")
    assert "被认定为专利密集型产品的产品" in recognised_zh.text and "智能手机 M-智能手机" in recognised_zh.text
    assert "recognised as patent-intensive products" in recognised_en.text
    assert "平板电脑 M-平板电脑：指标未达到所在产业领域的评价基准" in not_recognised.text
    assert "智能手机" not in not_recognised.text
    for _, _, _, mail in sent:
        assert f"https://filing.example.cn/notices/{ROUND}" in mail.text and "2026-05-08 14:30" in mail.text
