"""Each mail in the language its recipient chose; new review tasks to the reviewers who asked for
them; a province's monthly report to its admins; absolute links under the public address
(notify.domain.messages, notify.domain.preferences). Every event here is built through its real
contract (`build_event`), every template rendered in both languages."""

from __future__ import annotations

import pytest

from notify.adapters.mail import compose
from notify.adapters.templates import MailTemplates
from notify.domain.contacts import AccountFact, KnownOrganisation, NoContacts, accounts_learned
from notify.domain.messages import DEFAULT_PUBLIC_URL, absolute, messages_for
from notify.domain.preferences import PreferenceRefused, Preferences, chosen
from platform_shared.events.contracts import build_event

pytestmark = pytest.mark.unit

AT = "2026-05-08T06:30:00+00:00"  # 14:30 in Beijing
PUBLIC = "https://ba.example.gov.cn"
ORG = "org-1"
CONTACT, ACCOUNT, MEMBER = "zhang@example.cn", "admin@example.cn", "member@example.cn"


class Book(NoContacts):
    """The local view as the rules see it: one organisation, reviewers, province admins, languages."""

    def __init__(self, languages: dict[str, str] | None = None, reviewers=(),
                 admins: dict[str, list[str]] | None = None):
        self.languages = languages or {}
        self.reviewers = list(reviewers)
        self.admins = admins or {}

    def organisation(self, organisation_id):
        if organisation_id != ORG:
            return None
        return KnownOrganisation(ORG, "华为技术有限公司", "张三", (CONTACT,), (ACCOUNT, MEMBER))

    def language_of(self, email):
        return self.languages.get(email, "zh")

    def reviewers_for_new_tasks(self):
        return self.reviewers

    def province_admins(self, province_code):
        return self.admins.get(province_code, [])


def task_created(**changes):
    data = {"task_id": "5b0c4f8e-0000-4000-8000-000000000001", "kind": "product", "subject_id": "prod-1",
            "title": "智能手机 Mate 60 Pro（华为技术有限公司）", "created_at": AT}
    data.update(changes)
    return build_event("review.task.created", data, producer="review", aggregate_id=data["task_id"])


def monthly_report(**changes):
    data = {"report_id": "rep-1", "month": "2026-10", "province_code": "440000", "province_name": "广东省",
            "figures": {"new_filings": 12, "filed_total": 345, "recognised_total": 67, "organisations_total": 89},
            "downloads": {f: f"/api/v1/reporting/monthly/2026-10?province=440000&format={f}"
                          for f in ("csv", "xlsx", "json")},
            "published_at": "2026-11-01T00:05:00+00:00"}
    data.update(changes)
    return build_event("reporting.monthly_report.published", data, producer="reporting", aggregate_id="rep-1")


def product_filed():
    return build_event("filing.product.filed", {
        "product_id": "prod-1", "organisation_id": ORG, "organisation_name": "华为技术有限公司",
        "province_code": "440000", "name": "智能手机", "brand": "华为", "model": "Mate 60 Pro", "industry_code": "01",
        "filing_number": "BA-2026-44-000001", "task_id": "task-2", "filed_at": AT}, producer="filing",
        aggregate_id="prod-1")


def rendered(request):
    return MailTemplates().render(request.template, request.language, request.values)


# --- the language each recipient chose ------------------------------------------------------------

def test_an_english_preferring_account_gets_the_english_product_mail_and_the_contact_chinese():
    requests = messages_for(product_filed(), Book(languages={ACCOUNT: "en"}), PUBLIC)
    assert [(r.recipient, r.language) for r in requests] == [(CONTACT, "zh"), (ACCOUNT, "en"), (MEMBER, "zh")]
    mails = {r.recipient: rendered(r) for r in requests}
    assert mails[ACCOUNT].subject.startswith("[Patent Product Filing Platform] Product filed: 智能手机 Mate 60 Pro")
    assert mails[CONTACT].subject.startswith("【专利产品备案平台】产品备案成功：智能手机 Mate 60 Pro")
    link = f"{PUBLIC}/verify?number=BA-2026-44-000001"
    for mail in mails.values():
        assert link in mail.text and f'<a href="{link}">' in mail.html


def test_without_a_book_or_a_preference_every_mail_is_chinese():
    [request] = messages_for(task_created(), Book(reviewers=["rev@example.cn"]))
    assert request.language == "zh"
    port = build_event("identity.province_port.rejected", {
        "application_id": "a-2", "province_code": "630000", "office_name": "青海省知识产权局",
        "contact": {"name": "王五", "phone": "13800138000", "email": "wang@qh.example.cn"},
        "reason": "申请表缺少单位盖章。", "rejected_at": AT}, producer="identity", aggregate_id="a-2")
    assert [r.language for r in messages_for(port)] == ["zh"]


@pytest.mark.parametrize(("language", "subject"), [
    ("zh", "【专利产品备案平台】华为技术有限公司 注册成功"),
    ("en", "[Patent Product Filing Platform] 华为技术有限公司 is registered"),
])
def test_the_registration_mail_renders_in_both_languages(language, subject):
    registered = build_event("identity.organisation.registered", {
        "organisation_id": ORG, "name": "华为技术有限公司", "uscc": "914403001922038216", "kind": "enterprise",
        "province_code": "440000", "city_code": None,
        "contact": {"name": "张三", "phone": "13800138000", "email": CONTACT},
        "account_email": ACCOUNT, "account_id": "acc-1", "registered_at": AT}, producer="identity", aggregate_id=ORG)
    [contact, account] = messages_for(registered, Book(languages={ACCOUNT: language}))
    assert contact.language == "zh" and account.language == language
    mail = rendered(account)
    assert mail.subject == subject
    assert "914403001922038216" in mail.text and ACCOUNT in mail.text and "张三" in mail.html


# --- who is who: accounts learnt from identity's events -------------------------------------------

def test_accounts_are_learnt_from_registration_invitation_and_an_approved_port():
    registered = build_event("identity.organisation.registered", {
        "organisation_id": ORG, "name": "华为技术有限公司", "uscc": "914403001922038216", "kind": "enterprise",
        "province_code": "440000", "contact": {"name": "张三", "phone": "13800138000", "email": CONTACT},
        "account_email": "Admin@Example.cn", "account_id": "acc-1", "registered_at": AT},
        producer="identity", aggregate_id=ORG)
    assert accounts_learned(registered) == [AccountFact("acc-1", ACCOUNT, "enterprise", organisation_id=ORG)]
    invited = build_event("identity.account.invited", {
        "account_id": "acc-3", "email": "Rev@example.cn", "role": "reviewer", "invited_by": "acc-0",
        "password_setup_url": "http://x/setup#t", "password_setup_expires_at": AT},
        producer="identity", aggregate_id="acc-3")
    assert accounts_learned(invited) == [AccountFact("acc-3", "rev@example.cn", "reviewer")]
    admin = build_event("identity.account.invited", {
        "account_id": "acc-4", "email": "gd@example.cn", "role": "province_admin", "province_code": "440000",
        "invited_by": "acc-0", "password_setup_url": "http://x/setup#t", "password_setup_expires_at": AT},
        producer="identity", aggregate_id="acc-4")
    assert accounts_learned(admin) == [AccountFact("acc-4", "gd@example.cn", "province_admin", province_code="440000")]
    approved = build_event("identity.province_port.approved", {
        "application_id": "app-1", "province_code": "540000", "office_name": "西藏自治区知识产权局",
        "account_id": "acc-5", "contact": {"name": "次仁", "phone": "0891-6833333", "email": "CiRen@xz.example.cn"},
        "password_setup_url": "http://x/setup#t", "password_setup_expires_at": AT, "approved_at": AT},
        producer="identity", aggregate_id="app-1")
    assert accounts_learned(approved) == [AccountFact("acc-5", "ciren@xz.example.cn", "province_admin",
                                                      province_code="540000")]


def test_a_registration_published_before_account_id_existed_teaches_no_account():
    older = build_event("identity.organisation.registered", {
        "organisation_id": ORG, "name": "华为技术有限公司", "uscc": "914403001922038216", "kind": "enterprise",
        "province_code": "440000", "contact": {"name": "张三", "phone": "13800138000", "email": CONTACT},
        "account_email": ACCOUNT, "registered_at": AT}, producer="identity", aggregate_id=ORG)
    assert older.data["account_id"] is None
    assert accounts_learned(older) == []


# --- a new review task, to the reviewers who asked for it ------------------------------------------

@pytest.mark.parametrize(("language", "subject", "says"), [
    ("zh", "【专利产品备案平台】新的审核任务：智能手机 Mate 60 Pro（华为技术有限公司）",
     ["产品备案", "2026-05-08 14:30", "领取"]),
    ("en", "[Patent Product Filing Platform] New review task: 智能手机 Mate 60 Pro（华为技术有限公司）",
     ["product filing", "2026-05-08 14:30", "claim"]),
])
def test_a_new_task_is_mailed_with_its_title_and_an_absolute_link(language, subject, says):
    [request] = messages_for(task_created(), Book(reviewers=["rev@example.cn"], languages={"rev@example.cn": language}),
                             PUBLIC)
    assert (request.template, request.recipient, request.language) == ("review_task_created", "rev@example.cn",
                                                                       language)
    mail = rendered(request)
    assert mail.subject == subject
    link = f"{PUBLIC}/api/v1/review/tasks/5b0c4f8e-0000-4000-8000-000000000001"
    assert f"{PUBLIC}/api/v1/notify/preferences" in mail.text  # where to turn these mails off
    for part in (mail.text, mail.html):
        assert link in part
        for words in says:
            assert words in part, (words, part)
    assert f'<a href="{link}">' in mail.html


@pytest.mark.parametrize(("language", "kind_name"), [("zh", "单位实名认证"), ("en", "organisation verification")])
def test_an_organisation_task_is_named_as_such(language, kind_name):
    [request] = messages_for(task_created(kind="organisation", title="华为技术有限公司"), Book(reviewers=["r@x.cn"]))
    assert kind_name in MailTemplates().render(request.template, language, request.values).text


def test_a_new_task_goes_to_every_reviewer_who_asked_once_and_to_nobody_else():
    book = Book(reviewers=["a@example.cn", "b@example.cn", "a@example.cn"], languages={"b@example.cn": "en"})
    requests = messages_for(task_created(), book)
    assert [(r.recipient, r.language) for r in requests] == [("a@example.cn", "zh"), ("b@example.cn", "en")]
    assert messages_for(task_created(), Book()) == []


def test_the_task_title_is_escaped_in_the_html_part_only():
    [request] = messages_for(task_created(title="R&D <产品>"), Book(reviewers=["r@x.cn"]))
    mail = rendered(request)
    assert "R&D <产品>" in mail.subject and "R&D <产品>" in mail.text
    assert "R&amp;D &lt;产品&gt;" in mail.html and "<产品>" not in mail.html


# --- a province's monthly report, to its admins --------------------------------------------------

@pytest.mark.parametrize(("language", "subject", "says"), [
    ("zh", "【专利产品备案平台】广东省 2026年10月月度报告已发布",
     ["本月新增备案产品：12", "累计备案产品：345", "专利密集型产品：67", "注册单位总数：89", "2026-11-01 08:05"]),
    ("en", "[Patent Product Filing Platform] Monthly report of 广东省 for October 2026 published",
     ["this month: 12", "in total: 345", "in total: 67", "Registered organisations: 89", "2026-11-01 08:05"]),
])
def test_a_monthly_report_is_mailed_with_its_figures_and_absolute_download_links(language, subject, says):
    book = Book(admins={"440000": ["gd@example.cn"], "450000": ["gx@example.cn"]},
                languages={"gd@example.cn": language})
    [request] = messages_for(monthly_report(), book, PUBLIC + "/")
    assert (request.template, request.recipient, request.language) == ("monthly_report_published", "gd@example.cn",
                                                                        language)
    mail = rendered(request)
    assert mail.subject == subject
    for words in says:
        assert words in mail.text, (words, mail.text)
    for fmt in ("xlsx", "csv", "json"):
        url = f"{PUBLIC}/api/v1/reporting/monthly/2026-10?province=440000&format={fmt}"
        assert f"- {fmt.upper()}" in mail.text and url in mail.text
        assert f'<a href="{url.replace("&", "&amp;")}">{fmt.upper()}</a>' in mail.html
    assert mail.html.count("<li>") == 4 + 3


def test_a_monthly_report_goes_to_that_provinces_admins_only():
    book = Book(admins={"440000": ["a@gd.example.cn", "b@gd.example.cn"], "450000": ["gx@example.cn"]})
    assert [r.recipient for r in messages_for(monthly_report(), book)] == ["a@gd.example.cn", "b@gd.example.cn"]
    assert messages_for(monthly_report(province_code="110000", province_name="北京市"), book) == []


def test_a_report_with_fewer_downloads_lists_those_it_has():
    [request] = messages_for(monthly_report(downloads={"csv": "/r.csv"}), Book(admins={"440000": ["a@x.cn"]}))
    assert request.values["downloads"] == [{"format": "csv", "url": f"{DEFAULT_PUBLIC_URL}/r.csv"}]


# --- links and Message-IDs ------------------------------------------------------------------------

@pytest.mark.parametrize(("base", "path", "url"), [
    ("http://127.0.0.1:8000", "/api/v1/x", "http://127.0.0.1:8000/api/v1/x"),
    ("https://ba.example.cn/", "/api/v1/x?a=1&b=2", "https://ba.example.cn/api/v1/x?a=1&b=2"),
    ("https://ba.example.cn/platform", "api/v1/x", "https://ba.example.cn/platform/api/v1/x"),
    ("https://ba.example.cn", "https://cdn.example.cn/r.csv", "https://cdn.example.cn/r.csv"),
])
def test_paths_become_links_under_the_public_address(base, path, url):
    assert absolute(base, path) == url


def test_the_message_id_is_the_deliverys_own_so_a_resend_is_the_same_mail():
    first = compose("no-reply@x.cn", "a@x.cn", "s", "t", "<p>h</p>", "5b0c4f8e-0000-4000-8000-00000000000a")
    again = compose("no-reply@x.cn", "a@x.cn", "s", "t", "<p>h</p>", "5b0c4f8e-0000-4000-8000-00000000000a")
    assert first["Message-ID"] == again["Message-ID"] == "<5b0c4f8e-0000-4000-8000-00000000000a@patent-filing.platform>"


# --- what an account may choose ------------------------------------------------------------------

@pytest.mark.parametrize("role", ["enterprise", "reviewer", "province_admin", "operator"])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_account_chooses_its_language(role, language):
    assert chosen(role, language, False) == Preferences(language=language, new_review_tasks=False)


def test_only_reviewers_ask_for_new_task_mail():
    assert chosen("reviewer", "en", True) == Preferences("en", True)
    for role in ("enterprise", "province_admin", "operator"):
        with pytest.raises(PreferenceRefused) as refused:
            chosen(role, "zh", True)
        assert refused.value.field == "new_review_tasks"


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(PreferenceRefused) as refused:
        chosen("reviewer", "fr", False)
    assert refused.value.field == "language"
