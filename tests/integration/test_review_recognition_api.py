"""Recognition of patent-intensive products through the embedded platform's API: review keeps
its view of filed products from filing's events, a round's formal check and evaluation per field
(benchmarks worked out by hand), the public notice, objections, and finalisation, after which
filing marks the product recognised — with who may do what.

The platform is shared by the whole test session, so each round here uses a field and year no
other test files products in: 05 and 06 in 2031 (data of 2030), and 07 next year.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import uuid
from dataclasses import replace

import pytest

from platform_shared.patents.numbers import check_character, parse_patent_number
from tests.support.embedded import ApiClient, eventually
from tests.support.members import PDF, PNG, bearer, decide, staff_token, verified_member

API = "/api/v1/review"
FILING = "/api/v1/filing"
_serials = itertools.count(1000)


# --- seeding review the way filing tells it ----------------------------------------------------

def patent(kind_digit: str = "1", relation: str = "owner") -> dict:
    """A well-formed number of its kind (1 invention, 2 utility model, 3 design), as filing declares it."""
    digits = f"2030{kind_digit}{next(_serials):07d}"
    number = parse_patent_number(f"{digits}.{check_character(digits)}")
    return {"number": number.text, "kind": number.kind, "title": "", "holder": "", "relation": relation,
            "license_record_no": "X2030440000001" if relation == "licensee" else None}


def figures(year: int, revenue: str, ip: str | None, volume: int = 100) -> dict:
    return {"year": year, "sales_revenue": revenue, "sales_volume": volume, "export_revenue": None, "profit": None,
            "ip_investment": ip}


class Seeded:
    """A product review hears of only through filing's events (it does not exist in filing)."""

    def __init__(self, field: str, name: str):
        self.id = str(uuid.uuid4())
        self.identity = {"product_id": self.id, "organisation_id": str(uuid.uuid4()),
                         "organisation_name": f"{name}有限公司", "province_code": "440000", "name": name,
                         "brand": "测试", "model": f"M-{self.id[:8]}", "industry_code": field}
        self.filing_number = f"BA-2030-44-{next(_serials):06d}"

    def filed(self, economic_data: list[dict], patents: list[dict], filed_at: str = "2030-12-01T08:00:00+00:00"):
        return ("filing.product.filed", {
            **self.identity, "description": "", "launched_on": None, "variants": [], "economic_data": economic_data,
            "patents": patents, "materials": [], "filing_number": self.filing_number, "task_id": str(uuid.uuid4()),
            "filed_at": filed_at})

    def annual(self, data: dict):
        return ("filing.product.annual_data_updated", {**self.identity, "filing_number": self.filing_number,
                                                       "data": data, "updated_at": "2031-02-01T00:00:00+00:00"})

    def opted(self, year: int, opt_in: bool = True):
        return ("filing.product.recognition_opted_in", {
            **self.identity, "filing_number": self.filing_number, "year": year, "opt_in": opt_in,
            "decided_at": "2031-01-05T00:00:00+00:00"})

    def cancelled(self):
        return ("filing.product.cancelled", {**self.identity, "filing_number": self.filing_number,
                                             "reason": "产品已退市", "cancelled_at": "2031-01-10T00:00:00+00:00"})


def publish_as_filing(platform, product: Seeded, *events: tuple[str, dict, int]) -> list[str]:
    """Publish `(type, data, aggregate_version)` through filing's unit of work (its outbox)."""
    filing = platform.runtimes["filing"]
    ids = []
    with filing.database.connection_context():
        for event_type, data, version in events:
            with filing.unit_of_work("recognition-seed") as uow:
                ids.append(uow.publish(event_type, data, aggregate_id=product.id, aggregate_version=version).id)
    return ids


def wait_until_review_heard(platform, ids: list[str]) -> None:
    from review.adapters.orm import Inbox

    review = platform.runtimes["review"]

    def heard() -> bool:
        with review.database.connection_context():
            return Inbox.select().where(Inbox.event_id.in_(ids)).count() == len(ids)

    assert eventually(heard, timeout=20), "review did not handle filing's events"


def review_outbox(platform, event_type: str, aggregate_id: str) -> list[dict]:
    from review.adapters.orm import Outbox

    with platform.runtimes["review"].database.connection_context():
        rows = list(Outbox.select().where(Outbox.type == event_type))
    return [e["data"] for e in (json.loads(r.body) for r in rows) if e["aggregate_id"] == aggregate_id]


def open_round(client, token, year: int, fields: list[str], cut_off: str) -> dict:
    """A new round of `year`; as an operator would, closing first any round of the year still
    under way (another test, or the API's fuzzing, may have opened one)."""
    body = {"year": year, "cut_off": cut_off, "fields": fields}
    response = client.post(f"{API}/recognition-rounds", headers=bearer(token), json=body)
    if response.status_code == 409:
        assert response.get_json()["type"].endswith("/round-under-way"), response.get_json()
        for found in client.get(f"{API}/recognition-rounds?year={year}&per_page=100",
                                headers=bearer(token)).get_json()["items"]:
            if found["state"] in ("open", "evaluated", "published"):
                closed = client.post(f"{API}/recognition-rounds/{found['id']}/closure", headers=bearer(token),
                                     json={"reason": "a test needs the year"})
                assert closed.status_code == 200, closed.get_json()
        response = client.post(f"{API}/recognition-rounds", headers=bearer(token), json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


# --- the round of 2031 on fields 05 (derived) and 06 (one given) -------------------------------

def _seed_2031(platform, tmp_path):
    """Field 05 is the unit test's field (tests/unit/test_review_recognition_evaluation.py), its
    arithmetic in the comments there; field 06 is new, worked out in the test below."""
    products = {key: Seeded("05", f"产品{key}") for key in "ABCDEFG"}
    products.update({key: Seeded("06", f"产品{key}") for key in "HIJ"})
    p = {key: [] for key in products}
    p["A"] = [patent("1"), patent("2")]
    p["B"] = [patent("1")]
    p["C"] = [patent("1"), patent("1"), patent("3", "licensee")]
    p["D"] = [patent("1", "licensee"), patent("2"), patent("2")]
    p["E"] = [patent("1"), patent("2", "licensee")]
    p["F"] = [patent("1")]
    p["G"] = [patent("1")]  # lapsed, per the registry file below
    p["H"], p["I"], p["J"] = [patent("1")], [patent("1")], [patent("1")]
    year_2030 = {"B": figures(2030, "6000000.00", "600000.00"), "C": figures(2030, "20000000.00", "1600000.00"),
                 "D": figures(2030, "8000000.00", "400000.00"), "E": figures(2030, "12000000.00", "1200000.00"),
                 "F": figures(2030, "100000000.00", "90000000.00"), "G": figures(2030, "9000000.00", "450000.00"),
                 "H": figures(2030, "3000000.00", None), "I": figures(2030, "6000000.00", "600000.00"),
                 "J": figures(2030, "4999999.99", "500000.00")}
    ids = []
    for key, product in products.items():
        if key == "A":  # filed with 2029 only; its 2030 figures come with the annual update
            events = [(*product.filed([figures(2029, "1.00", "1.00")], p[key]), 3),
                      (*product.annual(figures(2030, "10000000.00", "1000000.00")), 4), (*product.opted(2031), 5)]
        elif key == "B":  # a late, older annual update must not overwrite the newer one
            events = [(*product.filed([year_2030[key]], p[key]), 3), (*product.opted(2031), 4),
                      (*product.annual(year_2030[key]), 6), (*product.annual(figures(2030, "60000000.00", "1.00")), 5)]
        elif key == "D":  # heard of first by its opt-in: the filing that came before arrives after
            events = [(*product.opted(2031), 4), (*product.filed([year_2030[key]], p[key]), 3)]
        elif key == "E":  # opted in, then out
            events = [(*product.filed([year_2030[key]], p[key]), 3), (*product.opted(2031), 4),
                      (*product.opted(2031, False), 5)]
        elif key == "F":  # opted in, then cancelled
            events = [(*product.filed([year_2030[key]], p[key]), 3), (*product.opted(2031), 4),
                      (*product.cancelled(), 5)]
        else:
            events = [(*product.filed([year_2030[key]], p[key]), 3), (*product.opted(2031), 4)]
        ids += publish_as_filing(platform, product, *events)
    wait_until_review_heard(platform, ids)
    registry = tmp_path / "patents.csv"
    registry.write_text("number,status\n" + "".join(
        f"{x['number']},{'lapsed' if key == 'G' else 'valid'}\n" for key, xs in p.items() for x in xs), "utf-8")
    return products, registry


def test_a_round_on_seeded_fields_gives_the_benchmarks_and_proposed_list_worked_out_by_hand(
        platform, client, operator_token, monkeypatch, tmp_path):
    from platform_shared.patents.registry import FileRegistry, HttpRegistry

    products, registry = _seed_2031(platform, tmp_path)
    review = platform.runtimes["review"]
    monkeypatch.setattr(review, "dependencies", replace(review.dependencies, patent_registry=FileRegistry(registry)))
    operator = bearer(operator_token)
    created = open_round(client, operator_token, 2031, ["05", "06"], "2031-03-31")
    assert (created["state"], created["data_year"], created["config_version"]) == ("open", 2030, None)
    url = f"{API}/recognition-rounds/{created['id']}"

    outside = client.post(f"{url}/evaluation", headers=operator,
                          json={"benchmarks": {"07": {"economic_benefit": "1.00"}}})
    assert outside.status_code == 422 and "benchmarks.07" in outside.get_json()["errors"]
    too_precise = client.post(f"{url}/evaluation", headers=operator,
                              json={"benchmarks": {"06": {"economic_benefit": "1.001"}}})
    assert too_precise.status_code == 422 and "benchmarks.06.economic_benefit" in too_precise.get_json()["errors"]

    # Field 06 (data of 2030), economic benefit given as 5,000,000.00; the rest derived over I, J, H:
    #   I  revenue 6,000,000.00  ip 600,000  one invention  strength 3.0  value 2,000,000.00  dependence 0.100000
    #   J  revenue 4,999,999.99  ip 500,000  one invention  strength 3.0  value 1,666,666.66  dependence 0.100000
    #   H  revenue 3,000,000.00  ip —        one invention  strength 3.0  value 1,000,000.00  dependence —
    #   strength 3 3 3 → P50 3.0 (of 3); value 1,000,000.00 1,666,666.66 2,000,000.00 → P50 1,666,666.66 (of 3);
    #   dependence 0.1 0.1 → P50 0.100000 (of 2: H has no IP investment).
    #   I reaches all four → PROPOSED; J falls short on economic benefit alone (one fen under);
    #   H fails the formal check (no IP investment for 2030).
    # With the default minimum (5 products with a value), field 06's three derived benchmarks
    # (of 3, 3 and 2 products) cannot be derived: the operator must give them.
    too_few = client.post(f"{url}/evaluation", headers=operator,
                          json={"benchmarks": {"06": {"economic_benefit": "5000000.00"}}})
    assert too_few.status_code == 422, too_few.get_json()
    assert set(too_few.get_json()["errors"]) == {"benchmarks.06.protection_strength",
                                                 "benchmarks.06.value_contribution", "benchmarks.06.dependence"}
    assert "only 2 product(s)" in too_few.get_json()["errors"]["benchmarks.06.dependence"][0]
    assert client.get(url, headers=operator).get_json()["state"] == "open"  # nothing written
    monkeypatch.setattr(review, "dependencies", replace(review.dependencies, benchmark_minimum_products=2))
    response = client.post(f"{url}/evaluation", headers=operator,
                           json={"benchmarks": {"06": {"economic_benefit": "5000000.00"}}})
    assert response.status_code == 200, response.get_json()
    evaluated = response.get_json()
    assert evaluated["state"] == "evaluated" and evaluated["config_version"] == "v1"
    benchmarks = {(b["industry_code"], b["indicator"]): (b["value"], b["source"], b["statistic"])
                  for b in evaluated["benchmarks"]}
    assert benchmarks == {
        ("05", "economic_benefit"): ("9500000.00", "derived", "P50 of 6 products"),
        ("05", "protection_strength"): ("3.5", "derived", "P50 of 6 products"),
        ("05", "value_contribution"): ("2500000.00", "derived", "P50 of 5 products"),
        ("05", "dependence"): ("0.090000", "derived", "P50 of 6 products"),
        ("06", "economic_benefit"): ("5000000.00", "given", "given by the operator"),
        ("06", "protection_strength"): ("3.0", "derived", "P50 of 3 products"),
        ("06", "value_contribution"): ("1666666.66", "derived", "P50 of 3 products"),
        ("06", "dependence"): ("0.100000", "derived", "P50 of 2 products"),
    }
    assert {b["config_version"] for b in evaluated["benchmarks"]} == {"v1"}
    results = {r["product_id"]: r for r in evaluated["results"]}
    name = {r["product_id"]: r["name"][-1] for r in evaluated["results"]}
    assert sorted(name.values()) == ["A", "B", "C", "D", "F", "G", "H", "I", "J"]  # E opted out
    assert sorted(name[p] for p, r in results.items() if r["proposed"]) == ["A", "I"]
    by_key = {name[p]: r for p, r in results.items()}
    assert [(c["check"]) for c in by_key["F"]["formal_check"]["reasons"]] == ["status"]
    assert by_key["F"]["indicators"] == []
    [lapsed] = by_key["G"]["formal_check"]["reasons"]
    assert lapsed["check"] == "patents" and "has lapsed" in lapsed["message"]
    assert by_key["H"]["formal_check"]["reasons"][0]["message"] == "the figures of 2030 lack ip_investment"
    assert by_key["J"]["reasons"] == ["经济效益 (economic_benefit) 4999999.99 is below the benchmark 5000000.00"]
    assert [i["code"] for i in by_key["C"]["indicators"] if not i["reached"]] == ["dependence"]
    a_values = {i["code"]: i["value"] for i in by_key["A"]["indicators"]}
    assert a_values == {"economic_benefit": "10000000.00", "protection_strength": "4.0",
                        "value_contribution": "2500000.00", "dependence": "0.100000"}
    assert by_key["A"]["reasons"] == ["every indicator reaches its field's benchmark"]
    # B's newer annual update stands against the older one that arrived after it.
    assert {i["code"]: i["value"] for i in by_key["B"]["indicators"]}["economic_benefit"] == "6000000.00"
    assert evaluated["counts"] == {"opted_in": 9, "failed_formal_check": 3, "proposed": 2, "on_list": 2,
                                   "recognised": 0, "pending_objections": 0}
    one = client.get(f"{url}/products/{products['A'].id}", headers=operator)
    assert one.status_code == 200 and one.get_json()["proposed"] is True
    assert client.get(f"{url}/products/{products['E'].id}", headers=operator).status_code == 404

    # Re-evaluation replaces the results: all four given for 06 now, J's revenue reaches 4,999,999.99.
    given = {"economic_benefit": "4999999.99", "protection_strength": "3.0", "value_contribution": "1.00",
             "dependence": "0.1"}
    again = client.post(f"{url}/evaluation", headers=operator, json={"benchmarks": {"06": given}}).get_json()
    assert sorted(r["name"][-1] for r in again["results"] if r["proposed"]) == ["A", "I", "J"]
    assert len(again["results"]) == 9 and len(again["benchmarks"]) == 8

    # A registry that cannot answer: 503, and the round is as it was.
    monkeypatch.setattr(review, "dependencies", replace(review.dependencies, patent_registry=HttpRegistry(
        "http://127.0.0.1:9", timeout=0.5)))
    unavailable = client.post(f"{url}/evaluation", headers=operator, json={})
    assert unavailable.status_code == 503 and unavailable.headers["Retry-After"]
    assert client.get(url, headers=operator).get_json() == again

    reviewer = bearer(staff_token(platform, client, "reviewer"))
    assert client.get(url, headers=reviewer).get_json() == again
    listed = client.get(f"{API}/recognition-rounds?year=2031&per_page=200", headers=reviewer).get_json()
    assert created["id"] in {r["id"] for r in listed["items"]}
    assert client.post(f"{url}/evaluation", headers=reviewer, json={}).status_code == 403


# --- the whole way: notice, objections, finalisation, filing marks it recognised ----------------

def _real_product(platform, client, operator_token, year: int) -> tuple:
    """A product filed through filing's API and opted in to `year`: review hears filing's own events."""
    member = verified_member(platform, client, operator_token, "认定测试科技有限公司")
    data_year = year - 1
    body = {"name": "高效污水处理设备", "brand": "清源", "model": f"QY-{uuid.uuid4().hex[:8]}", "industry_code": "07",
            "economic_data": [{"year": data_year - 1, "sales_revenue": "5000000.00", "sales_volume": 10},
                              {"year": data_year, "sales_revenue": "8000000.00", "sales_volume": 12,
                               "ip_investment": "800000.00"}],
            "patents": [{"number": "201710601862.3", "relation": "owner"}]}
    created = client.post(f"{FILING}/products", json=body, headers=member.auth)
    assert created.status_code == 201, created.get_json()
    product_id = created.get_json()["id"]
    assert client.post(f"{FILING}/products/{product_id}/submission", headers=member.auth).status_code == 202
    decide(platform, str(uuid.uuid4()), product_id, "approve", kind="product")
    assert eventually(lambda: client.get(f"{FILING}/products/{product_id}", headers=member.auth)
                      .get_json()["status"] == "filed")
    opt_in = client.put(f"{FILING}/products/{product_id}/recognition-opt-in", json={"year": year, "opt_in": True},
                        headers=member.auth)
    assert opt_in.status_code == 200, opt_in.get_json()

    from review.adapters.recognition_tables import FiledProductOptIn

    def heard() -> bool:
        with platform.runtimes["review"].database.connection_context():
            return FiledProductOptIn.select().where((FiledProductOptIn.product_id == product_id)
                                                    & (FiledProductOptIn.year == year)).exists()

    assert eventually(heard, timeout=20), "review never heard of the opt-in"
    return member, product_id


def test_publication_objections_and_finalisation_recognise_the_product_in_filing(
        platform, client, operator_token, monkeypatch):
    today = dt.datetime.now(dt.UTC).date()
    year = today.year + 1  # filing takes opt-ins for this year and the next
    member, real = _real_product(platform, client, operator_token, year)
    seeded = [Seeded("07", "异议产品"), Seeded("07", "保留产品")]
    ids = []
    for product in seeded:
        filed = product.filed([figures(year - 1, "9000000.00", "900000.00")], [patent("1")],
                              filed_at=f"{today.year - 1}-12-01T08:00:00+00:00")
        ids += publish_as_filing(platform, product, (*filed, 3), (*product.opted(year), 4))
    wait_until_review_heard(platform, ids)
    objected, kept = seeded
    operator = bearer(operator_token)
    created = open_round(client, operator_token, year, ["07"], (today + dt.timedelta(days=1)).isoformat())
    url = f"{API}/recognition-rounds/{created['id']}"
    public = f"{API}/public/recognition-rounds/{created['id']}"

    ends = today + dt.timedelta(days=10)
    assert client.post(f"{url}/publication", headers=operator, json={"notice_ends_on": ends.isoformat()}) \
        .status_code == 409  # not evaluated yet
    assert client.get(public).status_code == 404
    low = {"economic_benefit": "1.00", "protection_strength": "1.0", "value_contribution": "1.00",
           "dependence": "0.000001"}
    evaluated = client.post(f"{url}/evaluation", headers=operator, json={"benchmarks": {"07": low}})
    assert evaluated.status_code == 200, evaluated.get_json()
    on_list = {r["product_id"] for r in evaluated.get_json()["results"] if r["proposed"]}
    assert on_list == {real, objected.id, kept.id}, json.dumps(evaluated.get_json()["results"], ensure_ascii=False)
    assert client.get(public).status_code == 404  # before the notice
    assert client.post(f"{url}/objections", headers=member.auth,
                       json={"product_id": kept.id, "reasons": "早了"}).status_code == 409

    today_ends = client.post(f"{url}/publication", headers=operator, json={"notice_ends_on": today.isoformat()})
    assert today_ends.status_code == 422 and "notice_ends_on" in today_ends.get_json()["errors"]
    published = client.post(f"{url}/publication", headers=operator, json={"notice_ends_on": ends.isoformat()})
    assert published.status_code == 200 and published.get_json()["state"] == "published"
    [event] = review_outbox(platform, "review.recognition_round.published", created["id"])
    assert event["notice_ends_on"] == ends.isoformat() and event["year"] == year
    assert {p["product_id"] for p in event["products"]} == on_list
    assert client.post(f"{url}/evaluation", headers=operator, json={}).status_code == 409

    notice = client.get(public)  # no token
    assert notice.status_code == 200
    assert {p["product_id"] for p in notice.get_json()["products"]} == on_list
    listed = next(p for p in notice.get_json()["products"] if p["product_id"] == real)
    assert listed == {"product_id": real, "name": "高效污水处理设备", "brand": "清源", "model": listed["model"],
                      "organisation_name": "认定测试科技有限公司", "industry_code": "07",
                      "industry_name": listed["industry_name"]}
    assert "8000000" not in notice.get_data(as_text=True)  # no figures in public

    # Objections: by an enterprise user, to a product on the list only.
    not_listed = client.post(f"{url}/objections", headers=member.auth,
                             json={"product_id": str(uuid.uuid4()), "reasons": "不在名单上"})
    assert not_listed.status_code == 422 and "product_id" in not_listed.get_json()["errors"]
    first = client.post(f"{url}/objections", headers=member.auth,
                        json={"product_id": objected.id, "reasons": "该产品的专利权属存在争议"})
    assert first.status_code == 201, first.get_json()
    first = first.get_json()
    assert first["state"] == "pending" and first["raised_by_role"] == "enterprise"
    evidence_url = f"{url}/objections/{first['id']}/evidence"
    evidence = client.post(evidence_url, headers=member.auth,
                           data={"file": (io.BytesIO(PNG), "证据.png", "image/png")})
    assert evidence.status_code == 201, evidence.get_json()
    assert evidence.get_json()["media_type"] == "image/png"
    assert client.post(evidence_url, headers=member.auth, data={"file": (io.BytesIO(b"MZ\x90\x00"), "x.pdf",
                                                                          "application/pdf")}).status_code == 415
    assert client.post(evidence_url, headers=operator,
                       data={"file": (io.BytesIO(PDF), "x.pdf", "application/pdf")}).status_code == 403
    second = client.post(f"{url}/objections", headers=member.auth,
                         json={"product_id": kept.id, "reasons": "销售数据存疑"}).get_json()
    # Another organisation objects to the member's own product: the member follows it, unnamed.
    rival = verified_member(platform, client, operator_token, "异议方测试有限公司")
    third = client.post(f"{url}/objections", headers=rival.auth,
                        json={"product_id": real, "reasons": "型号与专利不符"}).get_json()
    [raised_event] = review_outbox(platform, "review.objection.raised", third["id"])
    assert raised_event["product"]["organisation_id"] == member.id
    assert rival.id not in json.dumps(raised_event) and third["raised_by"] not in json.dumps(raised_event)
    received = client.get(f"{API}/objections/received", headers=member.auth)
    assert received.status_code == 200
    [against] = received.get_json()["items"]
    assert (against["id"], against["state"], against["reasons"], against["product"]["product_id"]) == (
        third["id"], "pending", "型号与专利不符", real)
    assert "raised_by" not in against and rival.id not in received.get_data(as_text=True)
    assert client.get(f"{API}/objections/received", headers=operator).status_code == 403
    assert client.get(f"{API}/objections/received").status_code == 401
    assert [o["id"] for o in client.get(f"{API}/objections/raised", headers=rival.auth).get_json()["items"]] == [
        third["id"]]
    assert client.post(f"{url}/objections/{third['id']}/decision", headers=operator,
                       json={"upheld": False, "reason": "型号相符"}).status_code == 200
    assert [e["upheld"] for e in review_outbox(platform, "review.objection.decided", third["id"])] == [False]

    assert client.post(f"{url}/finalisation", headers=operator).status_code == 409  # the notice runs
    decision = f"{url}/objections/{first['id']}/decision"
    reviewer = bearer(staff_token(platform, client, "reviewer"))
    assert client.post(decision, headers=reviewer, json={"upheld": True, "reason": "x"}).status_code == 403
    upheld = client.post(decision, headers=operator, json={"upheld": True, "reason": "权属争议属实"})
    assert upheld.status_code == 200 and upheld.get_json()["decision"]["upheld"] is True
    assert client.post(decision, headers=operator, json={"upheld": False, "reason": "again"}).status_code == 409
    [decided_event] = review_outbox(platform, "review.objection.decided", first["id"])
    assert (decided_event["upheld"], decided_event["reason"], decided_event["raised_by_organisation_id"]) == (
        True, "权属争议属实", member.id)
    mine = client.get(f"{API}/objections/raised", headers=member.auth).get_json()["items"]
    assert [(o["id"], o["state"], (o["decision"] or {}).get("reason"), o["evidence_count"]) for o in mine] == [
        (second["id"], "pending", None, 0), (first["id"], "upheld", "权属争议属实", 1)]
    notices = client.get(f"{API}/public/recognition-rounds").get_json()["items"]
    assert any(n["id"] == created["id"] and n["state"] == "published" for n in notices)
    assert {p["product_id"] for p in client.get(public).get_json()["products"]} == {real, kept.id}
    round_now = client.get(url, headers=operator).get_json()
    assert [(o["product_id"], o["state"], len(o["evidence"])) for o in round_now["objections"]] == [
        (objected.id, "upheld", 1), (kept.id, "pending", 0), (real, "dismissed", 0)]
    removed = next(r for r in round_now["results"] if r["product_id"] == objected.id)
    assert removed["on_list"] is False and removed["removed_by_objection"] == first["id"]
    download = client.get(round_now["objections"][0]["evidence"][0]["url"], headers=operator)
    assert download.status_code == 200 and download.get_data() == PNG

    # The notice is over (the clock moves, nobody waits): no more objections; the undecided one blocks.
    review = platform.runtimes["review"]
    monkeypatch.setattr(review, "dependencies", replace(review.dependencies, today=lambda: ends + dt.timedelta(days=1)))
    assert client.post(f"{url}/objections", headers=member.auth,
                       json={"product_id": real, "reasons": "晚了"}).status_code == 409
    blocked = client.post(f"{url}/finalisation", headers=operator)
    assert blocked.status_code == 409 and "not decided" in blocked.get_json()["detail"]
    assert client.post(f"{url}/objections/{second['id']}/decision", headers=operator,
                       json={"upheld": False, "reason": "数据有发票佐证"}).status_code == 200
    final = client.post(f"{url}/finalisation", headers=operator)
    assert final.status_code == 200, final.get_json()
    assert final.get_json()["state"] == "finalised" and final.get_json()["counts"]["recognised"] == 2
    recognised = review_outbox(platform, "review.product.recognised", created["id"])
    assert sorted(e["product_id"] for e in recognised) == sorted([real, kept.id])
    [finalised] = review_outbox(platform, "review.recognition_round.finalised", created["id"])
    assert {o["product_id"]: (o["recognised"], o["why_not"]) for o in finalised["outcomes"]} == {
        real: (True, None), kept.id: (True, None), objected.id: (False, "objection_upheld")}
    assert {(e["year"], e["industry_code"]) for e in recognised} == {(year, "07")}
    assert {p["product_id"] for p in client.get(public).get_json()["products"]} == {real, kept.id}
    assert client.post(f"{url}/finalisation", headers=operator).status_code == 409

    def in_filing() -> dict | None:
        product = client.get(f"{FILING}/products/{real}", headers=member.auth).get_json()
        return product if product["status"] == "recognised" else None

    product = eventually(in_filing, timeout=20)
    assert product, "filing never applied the recognition"
    assert product["recognised_years"] == [year]

    def in_reporting() -> dict | None:  # and reporting counts it, from filing's event
        page = client.get(f"/api/v1/reporting/products?province=440000&q={product['filing_number']}",
                          headers=operator).get_json()
        return next((p for p in page["items"] if p["product_id"] == real and p["recognised"]), None)

    counted = eventually(in_reporting, timeout=20)
    assert counted and counted["status"] == "recognised"


# --- one round under way per year -----------------------------------------------------------------

def test_a_year_has_one_round_under_way_until_an_operator_closes_it(platform, client, operator_token):
    from review.adapters.orm import AuditLog

    operator = bearer(operator_token)
    body = {"year": 2088, "cut_off": "2088-03-31", "fields": ["02"]}
    first = open_round(client, operator_token, 2088, ["02"], "2088-03-31")
    second = client.post(f"{API}/recognition-rounds", headers=operator, json=body)
    assert second.status_code == 409 and second.get_json()["type"].endswith("/round-under-way")
    assert first["id"] in second.get_json()["detail"]

    url = f"{API}/recognition-rounds/{first['id']}/closure"
    reviewer = bearer(staff_token(platform, client, "reviewer"))
    assert client.post(url, headers=reviewer, json={"reason": "x"}).status_code == 403
    blank = client.post(url, headers=operator, json={"reason": "  "})
    assert blank.status_code == 422 and "reason" in blank.get_json()["errors"]
    closed = client.post(url, headers=operator, json={"reason": "领域选错"})
    assert closed.status_code == 200, closed.get_json()
    assert (closed.get_json()["state"], closed.get_json()["close_reason"]) == ("closed", "领域选错")
    assert closed.get_json()["closed_at"]
    assert client.post(url, headers=operator, json={"reason": "again"}).status_code == 409
    with platform.runtimes["review"].database.connection_context():
        assert AuditLog.select().where((AuditLog.action == "round.closed") & (AuditLog.subject_id == first["id"])) \
            .count() == 1

    again = client.post(f"{API}/recognition-rounds", headers=operator, json=body)
    assert again.status_code == 201 and again.get_json()["state"] == "open"


# --- who may do what, and bad input ------------------------------------------------------------

def test_only_operators_run_rounds_and_only_staff_read_them(platform, client, operator_token):

    member = verified_member(platform, ApiClient(platform.wsgi), operator_token, "角色测试科技有限公司")
    created = open_round(client, operator_token, 2099, ["01"], "2099-03-31")
    url = f"{API}/recognition-rounds/{created['id']}"
    body = {"year": 2099, "cut_off": "2099-03-31", "fields": ["01"]}
    assert client.post(f"{API}/recognition-rounds", json=body, headers=member.auth).status_code == 403
    assert client.post(f"{API}/recognition-rounds", json=body).status_code == 401
    reviewer = bearer(staff_token(platform, client, "reviewer"))
    assert client.post(f"{API}/recognition-rounds", json=body, headers=reviewer).status_code == 403
    assert client.post(f"{url}/evaluation", json={}, headers=reviewer).status_code == 403
    assert client.post(f"{url}/finalisation", headers=reviewer).status_code == 403
    admin = bearer(staff_token(platform, client, "province_admin", "440000"))
    for headers in (admin, member.auth):
        assert client.get(url, headers=headers).status_code == 403
        assert client.get(f"{API}/recognition-rounds", headers=headers).status_code == 403
    assert client.get(url).status_code == 401
    assert client.get(url, headers=reviewer).status_code == 200
    from review.adapters.orm import AuditLog

    with platform.runtimes["review"].database.connection_context():  # staff reads of figures are audited
        assert AuditLog.select().where((AuditLog.action == "round.read")
                                       & (AuditLog.subject_id == created["id"])).count() == 1
    assert client.get(f"{API}/recognition-rounds/{uuid.uuid4()}", headers=reviewer).status_code == 404
    assert client.get(f"{API}/public/recognition-rounds/{created['id']}").status_code == 404  # not published


@pytest.mark.parametrize(("body", "field"), [
    ({"year": 2099, "cut_off": "2099-03-31", "fields": ["99"]}, "fields.0"),
    ({"year": 2099, "cut_off": "2099-03-31", "fields": ["01", "01"]}, "fields"),
    ({"year": 2099, "cut_off": "2099-03-31", "fields": []}, "fields"),
    ({"year": 1999, "cut_off": "2099-03-31", "fields": ["01"]}, "year"),
    ({"year": 2099, "cut_off": "31.03.2099", "fields": ["01"]}, "cut_off"),
    ({"year": 2099, "fields": ["01"]}, "cut_off"),
    ({"year": 2099, "cut_off": "2099-03-31", "fields": ["01"], "extra": 1}, "extra"),
])
def test_a_bad_round_is_a_422_naming_the_field(client, operator_token, body, field):
    response = client.post(f"{API}/recognition-rounds", json=body, headers=bearer(operator_token))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"], response.get_json()
