"""The mails of every step of a product's filing (filing's `filing.product.*` events), to the
organisation's contact and accounts that notify's local view knows, rendered in both languages."""

from __future__ import annotations

import pytest

from notify.adapters.templates import MailTemplates
from notify.domain.contacts import KnownOrganisation, NoContacts
from notify.domain.declaration_fields import field_label
from notify.domain.messages import messages_for
from notify.service import definition
from platform_shared.config import ServiceSettings
from platform_shared.events.contracts import build_event

pytestmark = pytest.mark.unit

ORG = "org-1"
FILING_NUMBER = "BA-2026-44-000001"
AT = "2026-05-08T06:30:00+00:00"  # 14:30 in Beijing


class Book(NoContacts):
    def __init__(self, *known: KnownOrganisation):
        self.known = {k.organisation_id: k for k in known}

    def organisation(self, organisation_id):
        return self.known.get(organisation_id)


BOOK = Book(KnownOrganisation(ORG, "华为技术有限公司", "张三", ("zhang@example.cn",),
                              ("admin@example.cn", "member@example.cn", "zhang@example.cn")))


def identity(**changes) -> dict:
    data = {"product_id": "prod-1", "organisation_id": ORG, "organisation_name": "华为技术有限公司",
            "province_code": "440000", "name": "智能手机", "brand": "华为", "model": "Mate 60 Pro",
            "industry_code": "01"}
    data.update(changes)
    return data


DECLARATION = {"variants": ["黑色", "12GB+512GB"], "description": "旗舰手机", "launched_on": "2025-09-01",
               "economic_data": [{"year": 2025, "sales_revenue": "123456789.50", "sales_volume": 1000}],
               "patents": [{"number": "ZL201710601862.3", "kind": "invention", "relation": "owner"}]}
REASONS = [{"field": "patents.1.number", "message": "专利号与证书不符"},
           {"field": "economic_data", "message": "缺少 2025 年销售数量的证明"},
           {"field": "launched_on", "message": "上市日期晚于销售记录"},
           {"field": "certificate.scan", "message": "扫描件 <模糊>"}]

PAYLOADS = {
    "filing.product.submitted": {**DECLARATION, "submission": 1, "submitted_at": AT},
    "filing.product.returned": {"task_id": "task-1", "reasons": REASONS, "returned_at": AT},
    "filing.product.filed": {**DECLARATION, "filing_number": FILING_NUMBER, "task_id": "task-2", "filed_at": AT},
    "filing.product.rejected": {"task_id": "task-3", "reasons": REASONS, "rejected_at": AT},
    "filing.product.recognised": {"filing_number": FILING_NUMBER, "year": 2026, "round_id": "round-1",
                                  "recognised_at": AT},
    "filing.product.revoked": {"filing_number": FILING_NUMBER, "reason": "专利权属发生纠纷，经核实撤销备案",
                               "revoked_by": "acc-operator", "revoked_at": AT},
    "filing.product.cancelled": {"filing_number": FILING_NUMBER, "reason": "产品已退市", "cancelled_at": AT},
    "filing.product.patent_problem_found": {
        "filing_number": FILING_NUMBER, "patent_number": "201710601862.3", "problem": "holder_changed",
        "register": {"status": "valid", "holders": ["别家科技有限公司"], "expires_on": None},
        "check": "monthly:2026-05", "found_at": AT, "deadline": "2026-08-06"},
    "filing.product.patent_expiring": {"filing_number": FILING_NUMBER, "patent_number": "201710601862.3",
                                       "expires_on": "2026-07-01", "noticed_at": AT},
    "filing.product.suspended": {"filing_number": FILING_NUMBER, "deadline": "2026-05-01",
                                 "lost_patents": ["201710601862.3"], "suspended_at": AT},
    "filing.product.patent_problems_cleared": {"filing_number": FILING_NUMBER, "suspension_lifted": True,
                                               "at_risk": False, "cleared_at": AT},
    # Amendments (变更) of the filed product.
    "filing.product.amendment_submitted": {
        **DECLARATION, "filing_number": FILING_NUMBER, "amendment_id": "am-1", "edition": 1,
        "changed": ["variants", "patents"], "before": {"variants": ["黑色"], "patents": []}, "submission": 1,
        "submitted_at": AT},
    "filing.product.amended": {**DECLARATION, "filing_number": FILING_NUMBER, "amendment_id": "am-1", "edition": 2,
                               "task_id": "task-4", "amended_at": AT},
    "filing.product.amendment_returned": {"filing_number": FILING_NUMBER, "amendment_id": "am-1",
                                          "task_id": "task-5", "reasons": REASONS, "returned_at": AT},
    "filing.product.amendment_rejected": {"filing_number": FILING_NUMBER, "amendment_id": "am-1",
                                          "task_id": "task-6", "reasons": REASONS, "rejected_at": AT},
}


def event(event_type: str, **changes):
    # Built through filing's contract: a payload (or a rule) using a wrong field name fails here.
    return build_event(event_type, {**identity(), **PAYLOADS[event_type], **changes}, producer="filing",
                       aggregate_id="prod-1")


def render(event_type: str, language: str, **changes):
    [request, *_] = messages_for(event(event_type, **changes), BOOK)
    return MailTemplates().render(request.template, language, request.values)


# (The annual update's and the opt-in's confirmations: test_notify_annual_update_mails.py.)
# What each mail must say beyond the product: (zh subject, en subject, in both bodies zh, en).
EXPECTED = {
    "filing.product.submitted": ("【专利产品备案平台】产品已提交审核：智能手机 Mate 60 Pro",
                                 "[Patent Product Filing Platform] Product submitted for review: 智能手机 Mate 60 Pro",
                                 ["提交审核", "华为"], ["submitted for review", "Brand: 华为"]),
    "filing.product.returned": ("【专利产品备案平台】产品备案被退回修改：智能手机 Mate 60 Pro",
                                "[Patent Product Filing Platform] Product filing returned for revision: "
                                "智能手机 Mate 60 Pro",
                                ["退回修改", "专利（第2项）· 专利号", "专利号与证书不符"],
                                ["returned for revision", "Patents (item 2) · patent number", "专利号与证书不符"]),
    "filing.product.filed": (f"【专利产品备案平台】产品备案成功：智能手机 Mate 60 Pro（{FILING_NUMBER}）",
                             f"[Patent Product Filing Platform] Product filed: 智能手机 Mate 60 Pro ({FILING_NUMBER})",
                             [FILING_NUMBER, f"http://127.0.0.1:8000/verify?number={FILING_NUMBER}",
                              "备案证明", "下载"],
                             [FILING_NUMBER, f"http://127.0.0.1:8000/verify?number={FILING_NUMBER}",
                              "certificate", "downloaded"]),
    "filing.product.rejected": ("【专利产品备案平台】产品备案未通过：智能手机 Mate 60 Pro",
                                "[Patent Product Filing Platform] Product filing not approved: 智能手机 Mate 60 Pro",
                                ["未通过", "经济数据", "缺少 2025 年销售数量的证明"],
                                ["not approved", "Economic data", "缺少 2025 年销售数量的证明"]),
    "filing.product.recognised": ("【专利产品备案平台】产品被认定为专利密集型产品：智能手机 Mate 60 Pro（2026年度）",
                                  "[Patent Product Filing Platform] Product recognised as a patent-intensive "
                                  "product: 智能手机 Mate 60 Pro (2026)",
                                  ["2026 年度", "专利密集型产品", FILING_NUMBER],
                                  ["of 2026", "patent-intensive product", FILING_NUMBER]),
    "filing.product.revoked": (f"【专利产品备案平台】产品备案已被撤销：智能手机 Mate 60 Pro（{FILING_NUMBER}）",
                               f"[Patent Product Filing Platform] Product filing revoked: 智能手机 Mate 60 Pro "
                               f"({FILING_NUMBER})",
                               ["撤销", "专利权属发生纠纷，经核实撤销备案"],
                               ["revoked", "专利权属发生纠纷，经核实撤销备案"]),
    "filing.product.cancelled": (f"【专利产品备案平台】产品备案已注销：智能手机 Mate 60 Pro（{FILING_NUMBER}）",
                                 f"[Patent Product Filing Platform] Product filing cancelled: 智能手机 Mate 60 Pro "
                                 f"({FILING_NUMBER})",
                                 ["根据贵单位的申请", "注销", "产品已退市"],
                                 ["As your organisation asked", "cancelled", "产品已退市"]),
    # The re-checks: what changed, which product, the deadline (and where to see it).
    "filing.product.patent_problem_found": (
        f"【专利产品备案平台】备案产品的专利出现问题，请于 2026-08-06 前处理：智能手机 Mate 60 Pro（{FILING_NUMBER}）",
        "[Patent Product Filing Platform] A patent of a filed product needs attention by 2026-08-06: "
        f"智能手机 Mate 60 Pro ({FILING_NUMBER})",
        ["201710601862.3", "专利权人已变更", "别家科技有限公司", "2026-08-06", FILING_NUMBER, "暂停",
         "http://127.0.0.1:8000/enterprise/products/prod-1"],
        ["201710601862.3", "changed holder", "别家科技有限公司", "2026-08-06", FILING_NUMBER, "suspended",
         "http://127.0.0.1:8000/enterprise/products/prod-1"]),
    "filing.product.patent_expiring": (
        f"【专利产品备案平台】备案产品的专利将于 2026-07-01 到期：智能手机 Mate 60 Pro（{FILING_NUMBER}）",
        f"[Patent Product Filing Platform] A patent of a filed product expires on 2026-07-01: 智能手机 Mate 60 Pro "
        f"({FILING_NUMBER})",
        ["201710601862.3", "2026-07-01", "宽限期"], ["201710601862.3", "2026-07-01", "grace period"]),
    "filing.product.suspended": (
        f"【专利产品备案平台】产品备案已暂停：智能手机 Mate 60 Pro（{FILING_NUMBER}）",
        f"[Patent Product Filing Platform] Product filing suspended: 智能手机 Mate 60 Pro ({FILING_NUMBER})",
        ["2026-05-01", "201710601862.3", "不出具备案证明"], ["2026-05-01", "201710601862.3", "no filing certificate"]),
    "filing.product.patent_problems_cleared": (
        f"【专利产品备案平台】产品备案已恢复有效：智能手机 Mate 60 Pro（{FILING_NUMBER}）",
        f"[Patent Product Filing Platform] Product filing valid again: 智能手机 Mate 60 Pro ({FILING_NUMBER})",
        ["暂停已解除"], ["suspension is lifted"]),
    # Amendments: what it changes, that the filing stands meanwhile; the new version, the same number.
    "filing.product.amendment_submitted": (
        f"【专利产品备案平台】备案变更已提交审核：智能手机 Mate 60 Pro（{FILING_NUMBER}）",
        f"[Patent Product Filing Platform] Amendment submitted for review: 智能手机 Mate 60 Pro ({FILING_NUMBER})",
        ["规格型号变体、专利", "保持备案"], ["Variants, Patents", "stays filed"]),
    "filing.product.amended": (
        f"【专利产品备案平台】备案变更已批准：智能手机 Mate 60 Pro（{FILING_NUMBER}，第2版）",
        f"[Patent Product Filing Platform] Amendment approved: 智能手机 Mate 60 Pro ({FILING_NUMBER}, version 2)",
        ["（不变）", "第2版", f"http://127.0.0.1:8000/verify?number={FILING_NUMBER}"],
        ["(unchanged)", "Version: 2", f"http://127.0.0.1:8000/verify?number={FILING_NUMBER}"]),
    "filing.product.amendment_returned": (
        f"【专利产品备案平台】备案变更被退回修改：智能手机 Mate 60 Pro（{FILING_NUMBER}）",
        f"[Patent Product Filing Platform] Amendment returned for revision: 智能手机 Mate 60 Pro ({FILING_NUMBER})",
        ["专利（第2项）· 专利号", "重新提交"], ["Patents (item 2) · patent number", "submit it again"]),
    "filing.product.amendment_rejected": (
        f"【专利产品备案平台】备案变更未获批准：智能手机 Mate 60 Pro（{FILING_NUMBER}）",
        f"[Patent Product Filing Platform] Amendment rejected: 智能手机 Mate 60 Pro ({FILING_NUMBER})",
        ["缺少 2025 年销售数量的证明", "备案号和备案证明不变"], ["缺少 2025 年销售数量的证明", "stays filed"]),
}


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("event_type", sorted(EXPECTED))
def test_each_step_is_mailed_with_the_product_and_what_happened_to_it(event_type, language):
    mail = render(event_type, language)
    subject_zh, subject_en, says_zh, says_en = EXPECTED[event_type]
    assert mail.subject == (subject_zh if language == "zh" else subject_en)
    for part in (mail.text, mail.html):
        assert "智能手机" in part and "Mate 60 Pro" in part and "华为技术有限公司" in part and "张三" in part
        assert "2026-05-08 14:30" in part  # when it happened, in Beijing time
        for words in (says_zh if language == "zh" else says_en):
            assert words in part, (words, part)


@pytest.mark.parametrize("event_type", sorted(EXPECTED))
def test_each_step_is_mailed_once_to_the_contact_and_every_account(event_type):
    requests = messages_for(event(event_type), BOOK)
    assert [r.recipient for r in requests] == ["zhang@example.cn", "admin@example.cn", "member@example.cn"]
    assert all(r.template == f"product_{event_type.rsplit('.', 1)[1]}" and r.language == "zh" for r in requests)


@pytest.mark.parametrize("event_type", sorted(EXPECTED))
def test_a_product_of_an_organisation_the_view_does_not_know_gets_no_mail(event_type):
    assert messages_for(event(event_type, organisation_id="org-x"), BOOK) == []
    assert messages_for(event(event_type)) == []


@pytest.mark.parametrize("event_type", ["filing.product.returned", "filing.product.rejected",
                                        "filing.product.amendment_returned", "filing.product.amendment_rejected"])
@pytest.mark.parametrize(("language", "lines"), [
    ("zh", ["- 专利（第2项）· 专利号：专利号与证书不符", "- 经济数据：缺少 2025 年销售数量的证明",
            "- 上市日期：上市日期晚于销售记录", "- certificate.scan：扫描件 <模糊>"]),
    ("en", ["- Patents (item 2) · patent number: 专利号与证书不符", "- Economic data: 缺少 2025 年销售数量的证明",
            "- Launch date: 上市日期晚于销售记录", "- certificate.scan: 扫描件 <模糊>"]),
])
def test_every_reason_is_listed_with_its_field_named_readably(event_type, language, lines):
    mail = render(event_type, language)
    for line in lines:
        assert line in mail.text
    assert mail.html.count("<li>") == len(REASONS)
    assert "扫描件 &lt;模糊&gt;" in mail.html and "<模糊>" not in mail.html
    assert ("<strong>专利（第2项）· 专利号</strong>" if language == "zh"
            else "<strong>Patents (item 2) · patent number</strong>") in mail.html


@pytest.mark.parametrize(("language", "says"),
                         [("zh", ["第2次提交", "第 2 次提交"]), ("en", ["submission 2", "number 2"])])
def test_a_resubmission_says_which_submission_it_is(language, says):
    first, again = render("filing.product.submitted", language), render("filing.product.submitted", language,
                                                                         submission=2)
    assert says[0] in again.subject and says[0] not in first.subject
    assert says[1] in again.text and says[1] in again.html
    assert says[1] not in first.text


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("event_type", sorted(EXPECTED))
def test_user_text_is_escaped_in_the_html_part_only(event_type, language):
    mail = render(event_type, language, name="<script>x</script>", model="M&M <1>")
    assert "<script>x</script>" in mail.subject and "<script>x</script>" in mail.text
    assert "&lt;script&gt;x&lt;/script&gt;" in mail.html and "<script>" not in mail.html
    assert "M&amp;M &lt;1&gt;" in mail.html


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_revocation_reason_and_the_cancellation_reason_are_escaped_in_html(language):
    revoked = render("filing.product.revoked", language, reason="专利 <纠纷> & 争议")
    assert "专利 <纠纷> & 争议" in revoked.text
    assert "<blockquote>专利 &lt;纠纷&gt; &amp; 争议</blockquote>" in revoked.html
    cancelled = render("filing.product.cancelled", language, reason="<b>退市</b>")
    assert "<b>退市</b>" in cancelled.text and "&lt;b&gt;退市&lt;/b&gt;" in cancelled.html


def test_the_account_id_of_the_revoking_operator_is_not_mailed():
    mail = render("filing.product.revoked", "zh")
    assert "acc-operator" not in mail.text and "acc-operator" not in mail.html


def test_an_event_without_the_organisations_name_is_mailed_with_the_name_the_view_knows():
    mail = render("filing.product.filed", "zh", organisation_name="")
    assert "华为技术有限公司提交的产品备案" in mail.text


@pytest.mark.parametrize(("path", "zh", "en"), [
    ("name", "产品名称", "Product name"),
    ("brand", "品牌", "Brand"),
    ("model", "型号", "Model"),
    ("industry_code", "产业领域", "Industry field"),
    ("economic_data", "经济数据", "Economic data"),
    ("patents", "专利", "Patents"),
    ("materials", "证明材料", "Proof materials"),
    ("variants", "规格型号变体", "Variants"),
    ("description", "产品简介", "Description"),
    ("launched_on", "上市日期", "Launch date"),
    ("patents.1.number", "专利（第2项）· 专利号", "Patents (item 2) · patent number"),
    ("patents.0", "专利（第1项）", "Patents (item 1)"),
    ("economic_data.0.sales_revenue", "经济数据（第1项）· 销售收入", "Economic data (item 1) · sales revenue"),
    ("variants.2", "规格型号变体（第3项）", "Variants (item 3)"),
    ("patents.0.unheard_of", "专利（第1项）· unheard_of", "Patents (item 1) · unheard_of"),
    ("materials.business_license", "证明材料 · business_license", "Proof materials · business_license"),
    ("organisation.address", "organisation.address", "organisation.address"),
    ("", "整体意见", "General"),
])
def test_field_paths_are_named_for_readers(path, zh, en):
    assert (field_label(path, "zh"), field_label(path, "en")) == (zh, en)


@pytest.mark.parametrize(("event_type", "data"), [
    ("filing.product.withdrawn", {"withdrawn_at": AT}),
    ("filing.product.amendment_withdrawn", {"filing_number": FILING_NUMBER, "amendment_id": "am-1",
                                            "withdrawn_at": AT}),
])
def test_a_product_event_without_a_rule_makes_no_mail(event_type, data):
    quiet = build_event(event_type, {**identity(), **data}, producer="filing", aggregate_id="prod-1")
    assert messages_for(quiet, BOOK) == []


def _topic_matches(pattern: list[str], key: list[str]) -> bool:
    """AMQP topic semantics: `*` is one word, `#` zero or more."""
    if not pattern:
        return not key
    head, rest = pattern[0], pattern[1:]
    if head == "#":
        return any(_topic_matches(rest, key[i:]) for i in range(len(key) + 1))
    return bool(key) and head in ("*", key[0]) and _topic_matches(rest, key[1:])


@pytest.mark.parametrize("event_type", sorted(EXPECTED))
def test_notifys_mail_subscription_is_bound_to_every_step_it_mails(event_type):
    [mail] = [c for c in definition().consumes if c.name == "mail"]
    assert any(_topic_matches(p.split("."), event_type.split(".")) for p in mail.patterns), mail.patterns


def test_a_type_without_a_rule_that_reaches_the_subscription_is_acknowledged_without_effect():
    [mail] = [c for c in definition().consumes if c.name == "mail"]

    class NoTransactions:
        name = "notify"
        settings = ServiceSettings.from_env("notify", {})

        def unit_of_work_for(self, event):
            raise AssertionError(f"{event.type} was handled")

    dispatch = mail.handler(NoTransactions())
    dispatch(build_event("filing.product.withdrawn", {**identity(), "withdrawn_at": AT}, producer="filing",
                         aggregate_id="prod-1"))  # returns: acknowledged, nothing written
    with pytest.raises(AssertionError, match="was handled"):
        dispatch(event("filing.product.filed"))
