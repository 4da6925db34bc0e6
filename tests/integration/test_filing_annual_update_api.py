"""The annual update around a product's own update: the window (public), the scheduled job
`annual-update-reminders` run at chosen moments (`--at`: the window's opening day, 14 days before
its close, a repeated run, a day outside it) with one reminder per organisation, product, year and
kind, the overdue list by role and province, and the mails that confirm an update and an opt-in
and carry a reminder (read from the mail sink: subject, addressee, language, link)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from dataclasses import replace
from email import policy
from email.parser import BytesParser

import pytest

from filing.domain.annual_update import AnnualUpdateWindow
from filing.entrypoints.scheduled import SCHEDULED
from tests.integration.test_filing_products_api import API, LAST_YEAR, filed_product, read
from tests.support.embedded import ApiClient, eventually, sent_deliveries
from tests.support.members import bearer, staff_token, verified_member

NEXT = dt.date.today().year + 1  # a year in which this product's figures of the year before are missing
JOB = SCHEDULED[0]
FIGURES = {"sales_revenue": "2000000.00", "sales_volume": 20, "export_revenue": "10.00", "profit": "5.00",
           "ip_investment": "7.00"}


@pytest.fixture(scope="module")
def member(platform, operator_token):
    return verified_member(platform, ApiClient(platform.wsgi), operator_token, "年度更新科技有限公司")


def reminders(platform, organisation_id: str) -> list[dict]:
    from filing.adapters.orm import Outbox

    with platform.runtimes["filing"].database.connection_context():
        rows = list(Outbox.select().where(Outbox.type == "filing.annual_update.reminder_due"))
    return [e["data"] for e in (json.loads(r.body) for r in rows) if e["aggregate_id"] == organisation_id]


def run_at(platform, moment: str) -> int:
    """The job as its CronJob runs it: `python -m filing annual-update-reminders --at <moment>`."""
    command = JOB.command()
    parser = argparse.ArgumentParser()
    command.arguments(parser)
    return command.run(platform.runtimes["filing"], parser.parse_args(["--at", moment]))


def mail_of(platform, recipient: str, event_type: str, contains: str):
    def found():
        for delivery in sent_deliveries(platform, recipient, event_type):
            eml = platform.runtimes["notify"].settings.data_dir / "mail" / f"{delivery.id}.eml"
            message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
            if contains in message.get_body(preferencelist=("plain",)).get_content():
                return message
        return None

    message = eventually(found, timeout=20)
    assert message, f"no {event_type} mail to {recipient} about {contains}"
    return message


def subject(message) -> str:
    """The subject as written (a long one is folded across lines in the message)."""
    return " ".join(str(message["Subject"]).split())


def test_the_window_is_public_with_its_dates(platform, client):
    body = client.get(f"{API}/annual-update").get_json()
    today = dt.date.today()
    assert body["year"] == today.year - 1
    assert (body["opens_on"], body["closes_on"]) == (f"{today.year}-01-01", f"{today.year}-03-31")
    assert body["reminder_on"] == f"{today.year}-03-17"
    assert body["state"] == ("open" if (today.month, today.day) <= (3, 31) else "closed")
    assert body["next_opens_on"] == (f"{today.year}-01-01" if body["state"] != "closed" else f"{today.year + 1}-01-01")


def test_reminders_when_the_window_opens_and_14_days_before_it_closes_once_each(platform, client, member):
    product = filed_product(platform, client, member)
    assert run_at(platform, f"{NEXT}-12-31T01:00:00+00:00") == 0  # outside the window: nothing
    assert reminders(platform, member.id) == []

    assert run_at(platform, f"{NEXT}-01-01T01:00:00+00:00") == 0
    [opening] = reminders(platform, member.id)
    assert (opening["kind"], opening["year"], opening["opens_on"], opening["closes_on"]) == \
        ("opening", NEXT - 1, f"{NEXT}-01-01", f"{NEXT}-03-31")
    assert [p["product_id"] for p in opening["products"]] == [product["id"]]
    assert opening["products"][0]["filing_number"] == product["filing_number"]

    assert run_at(platform, f"{NEXT}-01-01T09:00:00+00:00") == 0  # a repeated run
    assert run_at(platform, f"{NEXT}-02-01T01:00:00+00:00") == 0  # a later day, before the last call
    assert len(reminders(platform, member.id)) == 1

    assert run_at(platform, f"{NEXT}-03-17T01:00:00+00:00") == 0  # 14 days before 31 March
    assert [r["kind"] for r in reminders(platform, member.id)] == ["opening", "last_call"]
    assert run_at(platform, f"{NEXT}-03-18T01:00:00+00:00") == 0
    assert run_at(platform, f"{NEXT}-04-01T01:00:00+00:00") == 0  # closed
    assert len(reminders(platform, member.id)) == 2

    # The mails: to the organisation's account, in Chinese, with the product's page.
    link = f"/enterprise/products/{product['id']}"
    opening_mail = mail_of(platform, member.email, "filing.annual_update.reminder_due", "已于")
    assert subject(opening_mail) == f"【专利产品备案平台】年度更新已开始：请提交 {NEXT - 1} 年度经济数据"
    assert member.email in str(opening_mail["To"]) and link in opening_mail.get_body(("plain",)).get_content()
    last_call = mail_of(platform, member.email, "filing.annual_update.reminder_due", "距截止还有 14 天")
    assert f"{NEXT}-03-31 截止" in subject(last_call) and link in last_call.get_body(("html",)).get_content()


def test_an_updated_product_is_not_reminded(platform, client, member, monkeypatch):
    other = verified_member(platform, ApiClient(platform.wsgi), _operator(platform), "已更新科技有限公司")
    product = filed_product(platform, client, other)
    filing = platform.runtimes["filing"]
    today = dt.date.today()
    monkeypatch.setattr(filing, "dependencies", replace(filing.dependencies, annual_update_window=AnnualUpdateWindow(
        (today.month, today.day), (today.month, today.day))))
    url = f"{API}/products/{product['id']}/annual-data/{LAST_YEAR}"
    assert client.put(url, json=FIGURES, headers=other.auth).status_code == 200
    # At the window's opening of this year (whose figures of last year are now given): nothing due.
    assert run_at(platform, f"{today.year}-01-01T01:00:00+00:00") == 0
    assert reminders(platform, other.id) == []


def _operator(platform) -> str:
    from tests.support.embedded import OPERATOR, sign_in

    return sign_in(ApiClient(platform.wsgi), *OPERATOR)


def test_overdue_after_the_close_by_role_and_province(platform, client, member, operator_token, monkeypatch):
    product = filed_product(platform, client, member)
    filing = platform.runtimes["filing"]
    url = f"{API}/annual-update/overdue"
    # This year's window still ahead, or open: nothing is overdue yet.
    monkeypatch.setattr(filing, "dependencies", replace(filing.dependencies, today=lambda: dt.date(NEXT, 2, 1)))
    early = client.get(url, headers=bearer(operator_token)).get_json()
    assert early["window"]["state"] == "open" and early["items"] == []

    monkeypatch.setattr(filing, "dependencies", replace(filing.dependencies, today=lambda: dt.date(NEXT, 6, 1)))
    everything = client.get(url, headers=bearer(operator_token)).get_json()
    assert everything["window"]["state"] == "closed" and everything["window"]["year"] == NEXT - 1
    assert product["id"] in [i["product_id"] for i in everything["items"]]
    assert everything["total"] == len(everything["items"])

    guangdong = staff_token(platform, client, "province_admin", "440000")
    own = client.get(url, headers=bearer(guangdong)).get_json()
    assert own["province_code"] == "440000" and product["id"] in [i["product_id"] for i in own["items"]]
    assert {i["province_code"] for i in own["items"]} == {"440000"}
    assert client.get(url, query_string={"province_code": "110000"}, headers=bearer(guangdong)).status_code == 403
    beijing = client.get(url, query_string={"province_code": "110000"}, headers=bearer(operator_token)).get_json()
    assert product["id"] not in [i["product_id"] for i in beijing["items"]]
    assert client.get(url, headers=member.auth).status_code == 403
    assert client.get(url, headers=bearer(staff_token(platform, client, "reviewer"))).status_code == 403
    assert client.get(url).status_code == 401


def test_an_update_and_an_opt_in_are_confirmed_by_mail_in_the_accounts_language(platform, client, member,
                                                                                  monkeypatch):
    assert client.put("/api/v1/notify/preferences", json={"language": "en"}, headers=member.auth).status_code == 200
    product = filed_product(platform, client, member)
    filing = platform.runtimes["filing"]
    today = dt.date.today()
    monkeypatch.setattr(filing, "dependencies", replace(filing.dependencies, annual_update_window=AnnualUpdateWindow(
        (today.month, today.day), (today.month, today.day))))
    assert client.put(f"{API}/products/{product['id']}/annual-data/{LAST_YEAR}", json=FIGURES,
                      headers=member.auth).status_code == 200
    assert client.put(f"{API}/products/{product['id']}/recognition-opt-in", json={"year": today.year, "opt_in": True},
                      headers=member.auth).status_code == 200
    assert read(client, member, product["id"])["recognition_opt_ins"][0]["opt_in"] is True

    link = f"/enterprise/products/{product['id']}"
    updated = mail_of(platform, member.email, "filing.product.annual_data_updated", product["filing_number"])
    assert subject(updated) == (f"[Patent Product Filing Platform] Annual figures updated: 智能手机 "
                                       f"{product['model']} ({LAST_YEAR})")
    text = updated.get_body(("plain",)).get_content()
    assert member.email in str(updated["To"]) and link in text and "Sales revenue (yuan): 2000000.00" in text
    opted = mail_of(platform, member.email, "filing.product.recognition_opted_in", product["filing_number"])
    assert subject(opted) == (f"[Patent Product Filing Platform] Opted in to the recognition of {today.year}: "
                                     f"智能手机 {product['model']}")
    assert re.search(re.escape(link), opted.get_body(("html",)).get_content())


def test_the_overdue_page_shows_the_province_admin_its_own_provinces_products(platform, client, member, monkeypatch):
    from tests.integration.test_portal_review_confirmation import STAFF_PASSWORD, PortalVisitor, staff

    product = filed_product(platform, client, member)
    filing = platform.runtimes["filing"]
    monkeypatch.setattr(filing, "dependencies", replace(filing.dependencies, today=lambda: dt.date(NEXT, 6, 1)))
    token = staff_token(platform, client, "province_admin", "440000")
    email = client.get("/api/v1/identity/me", headers=bearer(token)).get_json()["email"]
    admin = PortalVisitor(platform, email, STAFF_PASSWORD)
    page = admin.browser.get("/province/annual-update-overdue").get_data(as_text=True)
    assert 'id="overdue-products"' in page and product["filing_number"] in page and "年度更新逾期" in page
    assert "广东省" in page
    dashboard = admin.browser.get("/province").get_data(as_text=True)
    assert 'href="/province/annual-update-overdue"' in dashboard and 'id="annual-update-counts"' in dashboard

    monkeypatch.setattr(filing, "dependencies", replace(filing.dependencies, today=lambda: dt.date(NEXT, 2, 1)))
    early = admin.browser.get("/province/annual-update-overdue").get_data(as_text=True)
    assert 'id="overdue-state"' in early and product["filing_number"] not in early
    _, reviewer_email = staff(platform, client, "reviewer")
    reviewer = PortalVisitor(platform, reviewer_email, STAFF_PASSWORD)
    assert reviewer.browser.get("/province/annual-update-overdue").status_code in (302, 403)


def test_reporting_counts_the_products_not_updated_and_overdue_by_scope(platform, client, member, operator_token,
                                                                       monkeypatch):
    product = filed_product(platform, client, member)
    reporting = platform.runtimes["reporting"]
    url = "/api/v1/reporting/annual-update"

    def known() -> bool:
        counts = client.get(url, query_string={"province": "440000"}, headers=bearer(operator_token)).get_json()
        return counts["filed"] >= 1

    assert eventually(known), "reporting never heard of the filed product"
    monkeypatch.setattr(reporting, "dependencies", replace(reporting.dependencies, today=lambda: dt.date(NEXT, 2, 1)))
    open_now = client.get(url, query_string={"province": "440000"}, headers=bearer(operator_token)).get_json()
    assert (open_now["year"], open_now["state"], open_now["overdue"]) == (NEXT - 1, "open", 0)
    assert open_now["not_updated"] >= 1 and open_now["filed"] == open_now["updated"] + open_now["not_updated"]

    monkeypatch.setattr(reporting, "dependencies", replace(reporting.dependencies, today=lambda: dt.date(NEXT, 6, 1)))
    guangdong = staff_token(platform, client, "province_admin", "440000")
    closed = client.get(url, headers=bearer(guangdong)).get_json()
    assert closed["province"] == "440000" and closed["state"] == "closed"
    assert closed["overdue"] == closed["not_updated"] >= 1
    national = client.get(url, headers=bearer(operator_token)).get_json()
    assert national["province"] is None and national["overdue"] >= closed["overdue"]
    assert client.get(url, query_string={"province": "110000"}, headers=bearer(guangdong)).status_code == 403
    assert client.get(url, headers=member.auth).status_code == 403

    # The product's figures of that year given (in that year's window): one fewer overdue.
    filing = platform.runtimes["filing"]
    monkeypatch.setattr(filing, "dependencies", replace(filing.dependencies, today=lambda: dt.date(NEXT, 2, 1)))
    assert client.put(f"{API}/products/{product['id']}/annual-data/{NEXT - 1}", json=FIGURES,
                      headers=member.auth).status_code == 200
    fewer = eventually(lambda: (lambda c: c if c["overdue"] == closed["overdue"] - 1 else None)(
        client.get(url, headers=bearer(guangdong)).get_json()))
    assert fewer and fewer["updated"] == closed["updated"] + 1
