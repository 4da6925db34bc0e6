"""Re-checks while filed, end to end: the embedded platform configured with a `file` patent
registry (a CSV the test rewrites under a filed product) and a real RabbitMQ vhost (memory:// is
one per process and the session's platform has it).

The product is filed on its own valid patent; the `recheck-patents` job (run as its CronJob
would, with `--at` moments) finds nothing; the register then says the patent lapsed: a rerun in
the same month changes nothing (the month was checked), the next month's finds the lapse — the
event, one mail to the organisation (subject, addressee, language), the product marked at risk
with its deadline, listed for operators and the province's admin but not another province's;
a run past the grace period suspends the filing — the public verification says so, the
certificate is refused with words for the portal, reporting counts it apart; the register
corrected, the next run lifts the suspension; an operator opening a recognition round has the
products re-checked again (by filing's worker) before the round's formal check; an approved
amendment that replaces the lost patent has that product re-checked at once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from tests.support.embedded import OPERATOR, ApiClient, eventually, sent_deliveries, sign_in, start_platform
from tests.support.members import Member, bearer, decide, staff_token, verified_member
from tests.support.servers import throwaway_vhost

API = "/api/v1/filing"
LAST_YEAR = dt.date.today().year - 1
OURS = "丙科技（广州）有限公司"
PATENT = "202011167667.2"
SECOND = "201710601862.3"  # the patent of a product filed later
PROBLEM = "filing.product.patent_problem_found"
START = dt.datetime.now(dt.UTC)


def write_register(path: Path, status: str, second: str = "valid") -> None:
    path.write_text("number,status,holder,holder_uscc,granted_on,expires_on,title\n"
                    f"{PATENT},{status},{OURS},,2021-02-09,2040-11-04,一种终端\n"
                    f"{SECOND},{second},{OURS},,2019-05-03,2037-07-20,一种通信方法\n", encoding="utf-8")
    # The registry re-reads the file when its modification time or size changes: make sure it does.
    later = path.stat().st_mtime + 10 * (1 + len(status) + 3 * len(second))
    os.utime(path, (later, later))


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("recheck-platform")
    register = folder / "patents.csv"
    write_register(register, "valid")
    with throwaway_vhost("recheck") as amqp_url:
        platform = start_platform(folder, AMQP_URL=amqp_url, FILING_PATENT_REGISTRY="file",
                                  FILING_PATENT_REGISTRY_FILE=str(register), FILING_PATENT_GRACE_DAYS="90",
                                  FILING_RECHECK_POLL_SECONDS="0.2")
        try:
            client = ApiClient(platform.wsgi)
            operator = sign_in(client, *OPERATOR)
            member = verified_member(platform, client, operator, OURS)
            yield {"platform": platform, "client": client, "member": member, "register": register,
                   "operator": bearer(operator), "product": filed_product(platform, client, member)}
        finally:
            platform.stop()


def filed_product(platform, client, member: Member, patent: str = PATENT) -> dict:
    body = {"name": "智能终端", "brand": "丙", "model": f"T-{uuid.uuid4().hex[:8]}", "industry_code": "01",
            "economic_data": [{"year": LAST_YEAR, "sales_revenue": "1000000.00", "sales_volume": 10}],
            "patents": [{"number": patent, "relation": "owner"}]}
    created = client.post(f"{API}/products", json=body, headers=member.auth)
    assert created.status_code == 201, created.get_json()
    product_id = created.get_json()["id"]
    submitted = client.post(f"{API}/products/{product_id}/submission", headers=member.auth)
    assert submitted.status_code == 202, submitted.get_json()
    decide(platform, str(uuid.uuid4()), product_id, "approve", kind="product")
    filed = eventually(lambda: (lambda p: p if p["status"] == "filed" else None)(read(client, member, product_id)))
    assert filed, read(client, member, product_id)
    return filed


def read(client, member: Member, product_id: str) -> dict:
    response = client.get(f"{API}/products/{product_id}", headers=member.auth)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def recheck(platform, at: dt.datetime) -> int:
    """`python -m filing recheck-patents --at <at>`, as the CronJob runs it, in this process."""
    from filing.entrypoints.scheduled import RECHECK_PATENTS

    runtime = platform.runtimes["filing"]
    with runtime.database.connection_context():
        return RECHECK_PATENTS.run(runtime, at)


def events(platform, product_id: str, event_type: str) -> list[dict]:
    from filing.adapters.orm import Outbox

    with platform.runtimes["filing"].database.connection_context():
        rows = list(Outbox.select().where(Outbox.type == event_type))
    return [e for e in (json.loads(r.body) for r in rows) if e["aggregate_id"] == product_id]


def mails(platform, member: Member, event_type: str, count: int = 1) -> list:
    sent = eventually(lambda: (lambda found: found if len(found) >= count else None)(
        sent_deliveries(platform, member.email, event_type)), timeout=20)
    assert sent, f"no {event_type} mail to {member.email}"
    folder = platform.runtimes["notify"].settings.data_dir / "mail"
    return [BytesParser(policy=policy.default).parsebytes((folder / f"{d.id}.eml").read_bytes()) for d in sent]


def month_later(months: int) -> dt.datetime:
    return START + dt.timedelta(days=31 * months)


def test_a_product_whose_patent_holds_is_left_as_it_is(world):
    platform, product = world["platform"], world["product"]
    assert recheck(platform, START) == 0
    assert events(platform, product["id"], PROBLEM) == []
    assert read(world["client"], world["member"], product["id"])["patent_risk"] is None


def test_a_lapse_is_found_by_the_next_months_run_mailed_once_and_marked(world):
    platform, client, member, product = world["platform"], world["client"], world["member"], world["product"]
    write_register(world["register"], "lapsed")
    assert recheck(platform, START) == 0  # this month was checked already: nothing asked, nothing said
    assert events(platform, product["id"], PROBLEM) == []

    found_at = month_later(1)
    assert recheck(platform, found_at) == 0
    assert recheck(platform, found_at + dt.timedelta(hours=1)) == 0  # a retried CronJob
    [event] = events(platform, product["id"], PROBLEM)
    deadline = (found_at.date() + dt.timedelta(days=90)).isoformat()
    assert event["data"]["problem"] == "lapsed" and event["data"]["deadline"] == deadline
    assert event["data"]["patent_number"] == PATENT and event["data"]["filing_number"] == product["filing_number"]

    [mail] = mails(platform, member, PROBLEM)
    assert mail["To"] == member.email
    # In Chinese: the account chose no language.
    assert str(mail["Subject"]) == (f"【专利产品备案平台】备案产品的专利出现问题，请于 {deadline} 前处理："
                                    f"智能终端 {product['model']}（{product['filing_number']}）")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert PATENT in text and "专利权已终止" in text and deadline in text and product["filing_number"] in text

    shown = read(client, member, product["id"])
    assert shown["status"] == "filed"
    assert shown["patent_risk"]["deadline"] == deadline and shown["patent_risk"]["suspended"] is False
    assert [(p["number"], p["problem"], p["status"]) for p in shown["lost_patents"]] == [(PATENT, "lapsed", "lapsed")]
    public = client.get(f"{API}/public/filings/{product['filing_number']}").get_json()
    assert public["valid"] is True and public["status"] == "filed"  # still valid within the grace period
    assert len(sent_deliveries(platform, member.email, PROBLEM)) == 1


def test_the_products_at_risk_are_listed_in_each_ones_scope(world):
    platform, client, product = world["platform"], world["client"], world["product"]

    def listed(headers, query=""):
        response = client.get(f"{API}/products-at-risk{query}", headers=headers)
        return response.status_code, [i["id"] for i in (response.get_json().get("items") or [])] \
            if response.status_code == 200 else response.get_json()["type"]

    assert listed(world["operator"]) == (200, [product["id"]])
    assert listed(world["operator"], "?province_code=110000") == (200, [])
    guangdong = bearer(staff_token(platform, client, "province_admin", "440000"))
    beijing = bearer(staff_token(platform, client, "province_admin", "110000"))
    assert listed(guangdong) == (200, [product["id"]])
    assert listed(beijing) == (200, [])
    status, _ = listed(beijing, "?province_code=440000")
    assert status == 403
    for headers in (world["member"].auth, bearer(staff_token(platform, client, "reviewer"))):
        assert listed(headers)[0] == 403
    assert client.get(f"{API}/products-at-risk").status_code == 401


def test_past_the_grace_period_the_filing_is_suspended_and_says_so(world):
    platform, client, member, product = world["platform"], world["client"], world["member"], world["product"]
    assert recheck(platform, month_later(4)) == 0
    [event] = events(platform, product["id"], "filing.product.suspended")
    assert event["data"]["lost_patents"] == [PATENT]
    [mail] = mails(platform, member, "filing.product.suspended")
    assert str(mail["Subject"]).startswith("【专利产品备案平台】产品备案已暂停：")

    public = client.get(f"{API}/public/filings/{product['filing_number']}").get_json()
    assert public["status"] == "suspended" and public["valid"] is False
    assert public["status_since"] == month_later(4).date().isoformat()
    refused = client.get(f"{API}/products/{product['id']}/certificate", headers=member.auth)
    assert refused.status_code == 409 and refused.get_json()["type"].endswith("/filing-suspended")
    assert "suspended" in refused.get_json()["detail"]

    def suspended_total():
        response = client.get("/api/v1/reporting/summary", headers=world["operator"])
        return response.get_json()["products"]["suspended_total"] == 1 and response.get_json()

    figures = eventually(suspended_total, timeout=20)
    assert figures, client.get("/api/v1/reporting/summary", headers=world["operator"]).get_json()
    assert figures["products"]["filed_total"] == 1


def test_the_register_corrected_the_next_run_lifts_the_suspension(world):
    platform, client, member, product = world["platform"], world["client"], world["member"], world["product"]
    write_register(world["register"], "valid")
    assert recheck(platform, month_later(5)) == 0
    [event] = events(platform, product["id"], "filing.product.patent_problems_cleared")
    assert event["data"]["suspension_lifted"] is True and event["data"]["at_risk"] is False
    public = client.get(f"{API}/public/filings/{product['filing_number']}").get_json()
    assert public["valid"] is True and public["status"] == "filed"
    assert read(client, member, product["id"])["patent_risk"] is None
    assert client.get(f"{API}/products/{product['id']}/certificate", headers=member.auth).status_code == 200
    assert eventually(lambda: client.get("/api/v1/reporting/summary", headers=world["operator"])
                      .get_json()["products"]["suspended_total"] == 0, timeout=20)


def test_a_recognition_round_opened_has_the_products_rechecked(world):
    # A product filed now, whose patent is then invalidated: its only check is the round's (the
    # first product's newest checks are the `--at` moments months ahead).
    platform, client = world["platform"], world["client"]
    product = filed_product(platform, client, world["member"], SECOND)
    write_register(world["register"], "valid", second="invalidated")
    opened = client.post("/api/v1/review/recognition-rounds", headers=world["operator"],
                         json={"year": START.year + 1, "cut_off": START.date().isoformat(), "fields": ["01"]})
    assert opened.status_code == 201, opened.get_json()
    round_id = opened.get_json()["id"]

    def found_by_the_round():
        return [e for e in events(platform, product["id"], PROBLEM) if e["data"]["check"] == f"round:{round_id}"]

    found = eventually(found_by_the_round, timeout=20)
    assert found and found[0]["data"]["problem"] == "invalidated", events(platform, product["id"], PROBLEM)
    world["at_risk"] = product


def test_an_approved_amendment_replacing_the_lost_patent_lifts_the_mark_at_once(world):
    # The product the round found at risk replaces its invalidated patent with a valid one (变更):
    # once the amendment is approved, filing's worker re-checks that product alone, and the mark
    # goes without waiting for next month's run.
    platform, client, member, product = world["platform"], world["client"], world["member"], world["at_risk"]
    assert read(client, member, product["id"])["patent_risk"] is not None
    url = f"{API}/products/{product['id']}/amendments"
    opened = client.post(url, json={"patents": [{"number": PATENT, "relation": "owner"}]}, headers=member.auth)
    assert opened.status_code == 201, opened.get_json()
    amendment_id = opened.get_json()["id"]
    submitted = client.post(f"{url}/{amendment_id}/submission", headers=member.auth)
    assert submitted.status_code == 202, submitted.get_json()
    decide(platform, str(uuid.uuid4()), amendment_id, "approve", kind="product_amendment")

    def cleared():
        return [e for e in events(platform, product["id"], "filing.product.patent_problems_cleared")
                if e["data"]["at_risk"] is False]

    [event] = eventually(cleared, timeout=20) or [None]
    assert event is not None, events(platform, product["id"], "filing.product.patent_problems_cleared")
    shown = read(client, member, product["id"])
    assert shown["patent_risk"] is None and shown["edition"] == 2, shown
    assert [p["number"] for p in shown["patents"]] == [PATENT]
