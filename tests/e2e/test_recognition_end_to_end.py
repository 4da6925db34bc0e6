"""Recognising a patent-intensive product, end to end: the gateway, the five service processes on
PostgreSQL and RabbitMQ, and a real SMTP server. Two verified organisations file a product each
(a reviewer confirms the patent the register could not verify and approves); the owner gives last
year's figures in the annual update (its IP investment was missing) and both opt in to this year's
recognition; an operator opens a round over their field, evaluates it with benchmarks given for
that field (the other organisation's product falls short of the dependence benchmark) and
publishes the notice, which anyone reads; the other organisation objects to the listed product
with an evidence file; the owner reads the objection without learning who raised it; the
operator dismisses it; the round is finalised; filing marks the product recognised, reporting
counts it, and every mail of the way arrives, in each addressee's language (the objector chose
English). Nothing is called in-process.

One step is not the API's: a notice must end after the day it is published and finalisation
waits until it has ended, so the end of the notice is moved to yesterday in review's PostgreSQL
database (as the integration test moves review's clock and the browser test edits its SQLite),
because nobody waits a day. The annual update window is open all year on this platform
(`ANNUAL_UPDATE_WINDOW=01-01/12-31` in tests/e2e/conftest.py), so the test runs on any date.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from decimal import Decimal

import psycopg2
import pytest

from platform_shared.patents.numbers import check_character
from tests.e2e.conftest import OPERATOR, ReceivedMail, RunningPlatform
from tests.e2e.test_filing_end_to_end import LAST_YEAR, Enterprise, Reviewer, bearer, product_body
from tests.support.members import PDF

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]
TODAY = dt.datetime.now(dt.UTC).date()
YEAR = TODAY.year  # judged on last year's figures, which the annual update gives
FIELD = "06"  # no other end-to-end test files a product in it
REVIEW = "/api/v1/review"
ZH, EN = "【专利产品备案平台】", "[Patent Product Filing Platform] "
# Given for the round's one field: every product reaches them but on dependence (IP investment
# over revenue), where 100,000 / 8,000,000 = 0.0125 falls short and 800,000 / 8,000,000 = 0.1 does not.
BENCHMARKS = {"economic_benefit": "1.00", "protection_strength": "1.0", "value_contribution": "1.00",
              "dependence": "0.05"}


def invention_patent() -> str:
    """A well-formed invention patent number of 2019 (the checksum register knows no holders)."""
    digits = f"20191{secrets.randbelow(10**7):07d}"
    return f"ZL{digits}.{check_character(digits)}"


def file_product(platform: RunningPlatform, enterprise: Enterprise, reviewer: Reviewer, name: str, model: str,
                 figures: dict) -> str:
    """A product of FIELD filed with last year's `figures` (the reviewer confirms its patent); its id."""
    body = {**product_body(model), "name": name, "industry_code": FIELD, "patents": [
        {"number": invention_patent(), "relation": "owner", "title": "一种检测方法"}],
        "economic_data": [{"year": LAST_YEAR, **figures}]}
    # filing learns of the verification from identity's event a moment after identity (403 until then).
    created = platform.wait_until(lambda: (lambda r: r if r.status_code == 201 else None)(enterprise.create(body)),
                                  f"a draft of {enterprise.id}")
    product_id = created.json()["id"]
    assert enterprise.submit(product_id).status_code == 202
    task = reviewer.task_of(product_id)
    assert reviewer.claim(task["id"]).status_code == 200
    reviewer.confirm_patent(task["id"], 0)
    reviewer.decide(task["id"], "approve")
    enterprise.wait_status(product_id, "filed")
    return product_id


def spaced(subject: str) -> str:
    """A subject with its runs of spaces as one: Python's email folds a long subject that mixes
    ASCII and Chinese before the first encoded word and keeps the space there, so it reads
    `dismissed:  智能…` once unfolded (the standard library's doing, not the template's)."""
    return " ".join(subject.split())


def mail(platform: RunningPlatform, address: str, subject: str) -> ReceivedMail:
    """The one mail to `address` with this subject, once it arrived, addressed to it alone."""
    found = platform.wait_until(lambda: [m for m in platform.mailbox.to(address) if spaced(m.subject) == subject],
                                f"the mail {subject!r} to {address}")
    assert len(found) == 1, platform.mailbox.describe()
    [received] = found
    assert received.recipients == (address,) and received.message["To"] == address
    return received


ZH_FOOTER, EN_FOOTER = "此邮件由系统自动发送，请勿回复。", "This message was sent automatically; please do not reply."


def in_chinese(received: ReceivedMail) -> ReceivedMail:
    assert received.subject.startswith(ZH) and "您好" in received.text, received.text
    assert ZH_FOOTER in received.text and ZH_FOOTER in received.html and EN_FOOTER not in received.text
    return received


def in_english(received: ReceivedMail) -> ReceivedMail:
    assert received.subject.startswith(EN) and "您好" not in received.text, received.text
    assert EN_FOOTER in received.text and EN_FOOTER in received.html and ZH_FOOTER not in received.text
    return received


def test_filing_opt_in_round_notice_objection_decision_finalisation_and_the_mails(e2e_platform):
    platform, http = e2e_platform, e2e_platform.session
    operator = bearer(platform.sign_in(*OPERATOR))

    def recognised_total() -> int:
        summary = http.get(platform.url("/api/v1/reporting/summary"), headers=operator, timeout=10)
        assert summary.status_code == 200, summary.text
        return int(summary.json()["products"]["recognised_total"])

    counted_before = recognised_total()
    reviewer = Reviewer(platform, operator)
    tag = uuid.uuid4().hex[:4].upper()
    owner = Enterprise(platform, f"认定{tag}环保科技有限公司", reviewer)
    objector_name = f"异议方{tag}环保科技有限公司"
    objector = Enterprise(platform, objector_name, reviewer)
    chosen = http.put(platform.url("/api/v1/notify/preferences"), headers=objector.headers, timeout=10,
                      json={"language": "en"})
    assert chosen.status_code == 200 and chosen.json()["language"] == "en", chosen.text

    # --- each files a product; the owner's lacks last year's IP investment, the objector's invests too little
    name, model = "智能巡检机器人", f"RC-{tag}{uuid.uuid4().hex[:4]}"
    short_name, short_model = "管道检测仪", f"SF-{tag}{uuid.uuid4().hex[:4]}"
    product_id = file_product(platform, owner, reviewer, name, model,
                              {"sales_revenue": "8000000.00", "sales_volume": 120})
    short_id = file_product(platform, objector, reviewer, short_name, short_model,
                            {"sales_revenue": "8000000.00", "sales_volume": 120, "ip_investment": "100000.00"})

    # --- the annual update is open: the owner gives last year's figures in full; both opt in to this year
    window = http.get(owner.url("/annual-update"), timeout=10).json()
    assert (window["state"], window["year"]) == ("open", LAST_YEAR), window
    updated = http.put(owner.url(f"/products/{product_id}/annual-data/{LAST_YEAR}"), headers=owner.headers,
                       timeout=15, json={"sales_revenue": "8000000.00", "sales_volume": 120,
                                         "ip_investment": "800000.00"})
    assert updated.status_code == 200 and updated.json()["ip_investment"] == "800000.00", updated.text
    for enterprise, product in ((owner, product_id), (objector, short_id)):
        opted = http.put(enterprise.url(f"/products/{product}/recognition-opt-in"), headers=enterprise.headers,
                         timeout=15, json={"year": YEAR, "opt_in": True})
        assert opted.status_code == 200 and opted.json()["opt_in"] is True, opted.text
    in_chinese(mail(platform, owner.email, f"{ZH}年度数据已更新：{name} {model}（{LAST_YEAR}年度）"))
    in_chinese(mail(platform, owner.email, f"{ZH}已申请参加 {YEAR} 年度专利密集型产品认定：{name} {model}"))
    in_english(mail(platform, objector.email,
                    f"{EN}Opted in to the recognition of {YEAR}: {short_name} {short_model}"))

    # --- an operator opens a round over the field and evaluates it with the field's benchmarks given
    opened = http.post(platform.url(f"{REVIEW}/recognition-rounds"), headers=operator, timeout=15, json={
        "year": YEAR, "cut_off": (TODAY + dt.timedelta(days=1)).isoformat(), "fields": [FIELD]})
    assert opened.status_code == 201, opened.text
    round_id = opened.json()["id"]
    url = platform.url(f"{REVIEW}/recognition-rounds/{round_id}")

    def evaluated() -> dict | None:
        # review hears of the annual update and the opt-ins from filing's events: evaluated again
        # until it has (each evaluation replaces the results).
        answer = http.post(f"{url}/evaluation", headers=operator, timeout=30,
                           json={"benchmarks": {FIELD: BENCHMARKS}})
        assert answer.status_code == 200, answer.text
        results = {r["product_id"]: r for r in answer.json()["results"]}
        heard = product_id in results and short_id in results and results[product_id]["proposed"]
        return answer.json() if heard else None

    round_now = platform.wait_until(evaluated, "review evaluating both opted-in products")
    assert round_now["state"] == "evaluated"
    assert {b["indicator"]: (Decimal(b["value"]), b["source"]) for b in round_now["benchmarks"]} == {
        indicator: (Decimal(value), "given") for indicator, value in BENCHMARKS.items()}
    results = {r["product_id"]: r for r in round_now["results"]}
    assert results[short_id]["proposed"] is False
    assert [i["code"] for i in results[short_id]["indicators"] if not i["reached"]] == ["dependence"]
    assert round_now["counts"]["proposed"] == 1

    # --- and publishes the notice, which anyone reads ------------------------------------------------------
    ends = TODAY + dt.timedelta(days=7)
    published = http.post(f"{url}/publication", headers=operator, timeout=15,
                          json={"notice_ends_on": ends.isoformat()})
    assert published.status_code == 200 and published.json()["state"] == "published", published.text
    notice = http.get(platform.url(f"{REVIEW}/public/recognition-rounds/{round_id}"), timeout=10)
    assert notice.status_code == 200, notice.text
    assert [(p["product_id"], p["model"], p["organisation_name"]) for p in notice.json()["products"]] == [
        (product_id, model, owner.organisation()["name"])]
    assert "8000000" not in notice.text and short_model not in notice.text  # no figures, no one not proposed
    notice_url = f"{platform.gateway}/notices/{round_id}"
    listed = in_chinese(mail(platform, owner.email, f"{ZH}{YEAR}年度专利密集型产品认定公示"))
    assert f"{name} {model}" in listed.text and ends.isoformat() in listed.text and notice_url in listed.text
    not_proposed = in_english(mail(platform, objector.email,
                                   f"{EN}Public notice of the {YEAR} recognition of patent-intensive products"))
    assert f"{short_name} {short_model}: " in not_proposed.text and ", benchmark 0.05" in not_proposed.text
    assert model not in not_proposed.text and notice_url in not_proposed.text

    # --- the other organisation objects to the listed product, with an evidence file ------------------------
    reasons = "该产品的核心专利已转让他人，权属存在争议"
    raised = http.post(f"{url}/objections", headers=objector.headers, timeout=15,
                       json={"product_id": product_id, "reasons": reasons})
    assert raised.status_code == 201 and raised.json()["state"] == "pending", raised.text
    objection_id = raised.json()["id"]
    evidence = http.post(f"{url}/objections/{objection_id}/evidence", headers=objector.headers, timeout=15,
                         files={"file": ("转让合同.pdf", PDF, "application/pdf")})
    assert evidence.status_code == 201 and evidence.json()["media_type"] == "application/pdf", evidence.text

    # --- the owner reads it, without who raised it -------------------------------------------------------------
    received = http.get(platform.url(f"{REVIEW}/objections/received"), headers=owner.headers, timeout=10)
    assert received.status_code == 200, received.text
    [against] = received.json()["items"]
    assert (against["id"], against["state"], against["reasons"], against["product"]["product_id"]) == (
        objection_id, "pending", reasons, product_id)
    assert "raised_by" not in against
    for trace in (objector.id, objector_name, objector.email, raised.json()["raised_by"]):
        assert trace not in received.text
    told = in_chinese(mail(platform, owner.email, f"{ZH}公示产品收到异议：{name} {model}"))
    assert reasons in told.text and f"{platform.gateway}/objections" in told.text
    assert objector_name not in told.text + told.html and objector.email not in told.text + told.html

    # --- the operator dismisses it: the objector and the owner hear of the decision -----------------------------
    decided = http.post(f"{url}/objections/{objection_id}/decision", headers=operator, timeout=15,
                        json={"upheld": False, "reason": "经核实，专利权属清楚"})
    assert decided.status_code == 200 and decided.json()["state"] == "dismissed", decided.text
    to_objector = in_english(mail(platform, objector.email,
                                  f"{EN}Your objection was dismissed: {name} {model}"))
    assert "经核实，专利权属清楚" in to_objector.text
    to_owner = in_chinese(mail(platform, owner.email, f"{ZH}公示产品的异议处理结果：{name} {model}"))
    assert "经核实，专利权属清楚" in to_owner.text and objector_name not in to_owner.text

    # --- finalisation waits for the notice to end (moved to yesterday, see above); then the round is final -----
    waiting = http.post(f"{url}/finalisation", headers=operator, timeout=15)
    assert waiting.status_code == 409 and ends.isoformat() in waiting.json()["detail"], waiting.text
    connection = psycopg2.connect(platform.databases["review"])
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute("UPDATE recognition_round SET notice_ends_on = %s WHERE id = %s",
                           (TODAY - dt.timedelta(days=1), round_id))
            assert cursor.rowcount == 1
    finally:
        connection.close()
    final = http.post(f"{url}/finalisation", headers=operator, timeout=30)
    assert final.status_code == 200, final.text
    assert final.json()["state"] == "finalised" and final.json()["counts"]["recognised"] == 1

    # --- filing marks the product recognised, reporting counts it ------------------------------------------------
    recognised = owner.wait_status(product_id, "recognised")
    assert recognised["recognised_years"] == [YEAR]
    assert objector.product(short_id)["status"] == "filed"
    platform.wait_until(lambda: recognised_total() == counted_before + 1, "reporting counting the recognition")

    # --- and the outcome is mailed: the round's to both organisations, the recognition to the owner --------------
    outcome = in_chinese(mail(platform, owner.email, f"{ZH}{YEAR}年度专利密集型产品认定结果"))
    assert f"{name} {model}" in outcome.text and notice_url in outcome.text
    not_recognised = in_english(mail(platform, objector.email,
                                     f"{EN}Outcome of the {YEAR} recognition of patent-intensive products"))
    assert f"{short_name} {short_model}" in not_recognised.text
    assert "an indicator fell short of its field's benchmark" in not_recognised.text
    in_chinese(mail(platform, owner.email, f"{ZH}产品被认定为专利密集型产品：{name} {model}（{YEAR}年度）"))
