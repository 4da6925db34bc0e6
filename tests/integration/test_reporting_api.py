"""reporting through the embedded platform: read models built only from events — duplicates and
reordering included — give exact figures, and `rebuild` from the archive gives the same; the
scope of each role; the product list; a month published, frozen, and downloaded as JSON, CSV and
an XLSX with its charts; target lists and their coverage; the year-end evaluation, live and
frozen once the year is closed.

The events of this module belong to 福建省 (350000), which no other test uses, so its figures
are exactly those these events make.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
import zipfile

import openpyxl
import pytest
from kombu import Producer
from stdnum.cn import uscc as stdnum_uscc

from platform_shared.errors import Conflict
from platform_shared.events.contracts import build_event
from platform_shared.messaging.topology import EVENTS_EXCHANGE
from reporting.domain.commands import PublishMonth, RebuildReadModels
from reporting.service_layer.monthly import handle_publish_month
from reporting.service_layer.rebuild import handle_rebuild
from tests.support.embedded import ApiClient, eventually
from tests.support.members import bearer, staff_token

API = "/api/v1/reporting"
FUJIAN = "350000"
MONTH = "2021-03"  # a month of this module's own filings


def uscc(region: str = "350100") -> str:
    body = "91" + region + "MA" + uuid.uuid4().hex[:7].upper().replace("I", "1").replace("O", "0") \
        .replace("S", "5").replace("V", "7").replace("Z", "2")
    return body + stdnum_uscc.calc_check_digit(body)


class Stream:
    """Events sent straight onto the platform's bus, as the producers' relays send them — so
    the same event can be sent twice, and events out of order."""

    def __init__(self, platform):
        self.platform = platform

    def send(self, *events) -> None:
        with self.platform.runtimes["identity"].connection() as connection:
            producer = Producer(connection.channel(), exchange=EVENTS_EXCHANGE)
            for event in events:
                producer.publish(event.to_json().encode("utf-8"), routing_key=event.type,
                                 content_type="application/json", content_encoding="binary", delivery_mode=2,
                                 declare=[])


def organisation_events(name: str, code: str, city: str = "350100", kind: str = "enterprise") -> list:
    organisation_id = str(uuid.uuid4())
    now = dt.datetime.now(dt.UTC).isoformat()
    return [
        build_event("identity.organisation.registered", {
            "organisation_id": organisation_id, "name": name, "uscc": code, "kind": kind, "province_code": FUJIAN,
            "city_code": city, "contact": {"name": "林", "phone": "13800138000", "email": "lin@example.cn"},
            "account_email": f"{uuid.uuid4().hex[:8]}@example.cn", "registered_at": now},
            producer="identity", aggregate_id=organisation_id, aggregate_version=1),
        build_event("identity.organisation.verification_requested", {
            "organisation_id": organisation_id, "name": name, "uscc": code, "kind": kind, "province_code": FUJIAN,
            "requested_at": now}, producer="identity", aggregate_id=organisation_id, aggregate_version=2),
        build_event("identity.organisation.verified", {
            "organisation_id": organisation_id, "name": name, "uscc": code, "kind": kind, "province_code": FUJIAN,
            "verified_at": now}, producer="identity", aggregate_id=organisation_id, aggregate_version=3),
    ]


def product_events(organisation, industry: str, revenue: str, filed_at: str, patents: list[str]) -> list:
    registered = organisation[0].data
    product_id = str(uuid.uuid4())
    identity = {"product_id": product_id, "organisation_id": registered["organisation_id"],
                "organisation_name": registered["name"], "province_code": FUJIAN, "name": "锂电池",
                "brand": "宁德", "model": f"M-{product_id[:6]}", "industry_code": industry}
    declaration = {**identity, "economic_data": [{"year": 2020, "sales_revenue": revenue, "sales_volume": 10}],
                   "patents": [{"number": n, "kind": k, "relation": "owner"} for n, k in patents]}
    return [
        build_event("filing.product.submitted", {**declaration, "submission": 1, "submitted_at": filed_at},
                    producer="filing", aggregate_id=product_id, aggregate_version=2),
        build_event("filing.product.filed", {**declaration, "filing_number": f"BA-2021-35-{product_id[:6]}",
                                             "task_id": str(uuid.uuid4()), "filed_at": filed_at},
                    producer="filing", aggregate_id=product_id, aggregate_version=3),
    ]


def publish_month(runtime, month: str, today: dt.date) -> list[str]:
    return handle_publish_month(PublishMonth(month, today), runtime.unit_of_work("test-publish"),
                                runtime.dependencies.industries)


def summary(client, auth, province=FUJIAN) -> dict:
    response = client.get(f"{API}/summary" + (f"?province={province}" if province else ""), headers=auth)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture(scope="module")
def fujian(platform, operator_token):
    """A scripted stream: three organisations, four products; sent with duplicates and out of order."""
    client = ApiClient(platform.wsgi)
    stream = Stream(platform)
    a = organisation_events("福建甲科技有限公司", uscc("350100"), "350100")
    b = organisation_events("福建乙大学", uscc("350200"), "350200", kind="university_institute")
    c = organisation_events("福建丙材料有限公司", uscc("350100"), "350100")
    p1 = product_events(a, "04", "1000.50", f"{MONTH}-05T08:00:00+00:00",
                        [("201710601862.3", "invention"), ("201911050262.8", "invention")])
    p2 = product_events(a, "04", "200.25", f"{MONTH}-20T08:00:00+00:00", [("202011167667.2", "invention")])
    p3 = product_events(b, "05", "3000.00", "2021-04-02T08:00:00+00:00", [("201310699744.2", "invention")])
    p4 = product_events(c, "04", "50.00", "2021-04-03T08:00:00+00:00", [("201510958772.0", "invention")])
    cancelled = build_event("filing.product.cancelled", {
        **{k: p4[1].data[k] for k in ("product_id", "organisation_id", "organisation_name", "province_code", "name",
                                      "brand", "model", "industry_code", "filing_number")},
        "reason": "退市", "cancelled_at": "2021-05-01T00:00:00+00:00"},
        producer="filing", aggregate_id=p4[1].aggregate_id, aggregate_version=4)
    recognised = build_event("filing.product.recognised", {
        **{k: p3[1].data[k] for k in ("product_id", "organisation_id", "organisation_name", "province_code", "name",
                                      "brand", "model", "industry_code", "filing_number")},
        "year": 2021, "round_id": "r-2021", "recognised_at": "2021-09-01T00:00:00+00:00"},
        producer="filing", aggregate_id=p3[1].aggregate_id, aggregate_version=4)
    # Organisation a: verified before registered (reordered); b: each event twice; c: in order.
    stream.send(a[2], a[0], a[1], *b, *b, *c)
    assert eventually(lambda: summary(client, bearer(operator_token))["organisations"]["total"] == 3, timeout=15)
    # Products: p1 filed before submitted; p2 twice; p4 cancelled; p3 recognised, the recognition sent twice.
    stream.send(p1[1], p1[0], *p2, *p2, *p3, *p4, cancelled, recognised, recognised)
    assert eventually(lambda: summary(client, bearer(operator_token))["products"]["by_status"] == {
        "cancelled": 1, "filed": 2, "recognised": 1}, timeout=15), summary(client, bearer(operator_token))
    return {"organisations": (a, b, c), "products": (p1, p2, p3, p4)}


EXPECTED_PRODUCTS = {
    "by_status": {"cancelled": 1, "filed": 2, "recognised": 1},
    "by_industry": {"04": 2, "05": 1},  # p4 was cancelled: no longer on record
    "by_kind": {"enterprise": 2, "university_institute": 1},
    "by_city": {"350100": 2, "350200": 1},
    "by_month": {"2021-03": 2, "2021-04": 2},  # filings made, cancelled or not
    "patents_by_kind": {"invention": 4},  # 2 + 1 + 1 on record
    "filed_total": 3, "recognised_total": 1, "suspended_total": 0, "patents_total": 4,
    "declared_revenue_by_year": {"2020": "4200.75"},  # 1000.50 + 200.25 + 3000.00
}


def test_a_scripted_stream_with_duplicates_and_reordering_gives_exact_figures(client, operator_token, fujian):
    figures = summary(client, bearer(operator_token))
    assert figures["organisations"] == {"total": 3, "by_status": {"verified": 3},
                                        "by_kind": {"enterprise": 2, "university_institute": 1},
                                        "by_city": {"350100": 2, "350200": 1}, "by_province": {FUJIAN: 3}}
    assert figures["products"] == EXPECTED_PRODUCTS
    national = summary(client, bearer(operator_token), province="")
    assert national["province"] is None
    assert national["organisations"]["by_province"][FUJIAN] == 3


def test_rebuild_from_the_archive_gives_the_same_figures(platform, client, operator_token, fujian):
    runtime = platform.runtimes["reporting"]
    before = {p: summary(client, bearer(operator_token), p) for p in (FUJIAN, "")}
    seen = []
    with runtime.database.connection_context():
        applied = handle_rebuild(RebuildReadModels(), runtime.unit_of_work(), seen.append)
    assert applied == sum(seen) > 0
    after = {p: summary(client, bearer(operator_token), p) for p in (FUJIAN, "")}
    assert after == before
    assert after[FUJIAN]["products"] == EXPECTED_PRODUCTS


def test_province_admins_see_their_province_only(platform, client, fujian):
    admin = bearer(staff_token(platform, client, "province_admin", FUJIAN))
    beijing = bearer(staff_token(platform, client, "province_admin", "110000"))
    assert client.get(f"{API}/summary", headers=admin).get_json()["province"] == FUJIAN
    for path in ("/summary", "/products", "/coverage", f"/monthly/{MONTH}", "/evaluation/2021"):
        assert client.get(f"{API}{path}?province=110000", headers=admin).status_code == 403, path
        assert client.get(f"{API}{path}?province={FUJIAN}", headers=beijing).status_code == 403, path
    own = client.get(f"{API}/summary", headers=beijing).get_json()
    assert own["province"] == "110000" and FUJIAN not in own["organisations"]["by_province"]
    listed = client.get(f"{API}/products?per_page=200", headers=beijing).get_json()
    assert all(p["province_code"] == "110000" for p in listed["items"])
    evaluation = client.get(f"{API}/evaluation/2021", headers=beijing).get_json()
    assert [p["province_code"] for p in evaluation["provinces"]] == ["110000"]


def test_enterprises_and_anonymous_callers_get_no_figures(client, platform, operator_token):
    from tests.support.members import Member

    member = Member(client)
    for path in ("/summary", "/products", "/coverage", "/evaluation/2021", f"/monthly/{MONTH}", "/monthly"):
        assert client.get(f"{API}{path}", headers=member.auth).status_code == 403, path
        assert client.get(f"{API}{path}").status_code == 401, path
    assert client.put(f"{API}/target-lists/x", json={"title": "x", "organisations": [{"uscc": uscc()}]},
                      headers=member.auth).status_code == 403


def test_the_product_list_shows_revenue_to_operators_only_and_audits_reads(platform, client, operator_token,
                                                                           fujian):
    from reporting.adapters.orm import AuditLog

    operator = client.get(f"{API}/products?province={FUJIAN}&per_page=200", headers=bearer(operator_token))
    items = operator.get_json()["items"]
    assert {p["status"] for p in items} == {"filed", "recognised"} and len(items) == 3
    assert all(p["declared_revenue_by_year"] for p in items)
    admin = bearer(staff_token(platform, client, "province_admin", FUJIAN))
    seen = client.get(f"{API}/products?per_page=200", headers=admin).get_json()["items"]
    assert {p["product_id"] for p in seen} == {p["product_id"] for p in items}
    assert all(p["declared_revenue_by_year"] is None for p in seen)
    assert {p["organisation_name"] for p in seen} == {"福建甲科技有限公司", "福建乙大学"}
    with platform.runtimes["reporting"].database.connection_context():
        assert AuditLog.select().where((AuditLog.action == "products.list") & (AuditLog.subject_id == FUJIAN)) \
            .count() >= 2


def test_a_published_month_is_frozen_and_downloads_as_json_csv_and_xlsx_with_charts(platform, client,
                                                                                  operator_token, fujian):
    runtime = platform.runtimes["reporting"]
    with runtime.database.connection_context():
        published = publish_month(runtime, MONTH, dt.date(2021, 4, 1))
        assert FUJIAN in published and "national" in published and len(published) == 33
        assert publish_month(runtime, MONTH, dt.date(2021, 4, 1)) == []
        with pytest.raises(Conflict, match="not ended"):
            publish_month(runtime, "2999-01", dt.date(2021, 4, 1))
    admin = bearer(staff_token(platform, client, "province_admin", FUJIAN))
    report = client.get(f"{API}/monthly/{MONTH}", headers=admin).get_json()
    assert report["figures"]["new_filings"] == 2 and report["scope"] == FUJIAN
    assert report["filings_by_month"][MONTH] == 2 and list(report["filings_by_month"])[-1] == MONTH
    assert len(report["new_products"]) == 2 and "sales_revenue" not in str(report["new_products"])

    # Later events do not change the published month.
    a = fujian["organisations"][0]
    Stream(platform).send(*product_events(a, "01", "1.00", f"{MONTH}-28T08:00:00+00:00",
                                          [("201811564288.X", "invention")]))
    assert eventually(lambda: summary(client, admin)["products"]["by_month"].get(MONTH) == 3)
    assert client.get(f"{API}/monthly/{MONTH}", headers=admin).get_json() == report

    text = client.get(f"{API}/monthly/{MONTH}?format=csv", headers=admin)
    assert text.status_code == 200 and text.get_data().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(text.get_data().decode("utf-8-sig"))))
    assert ["概况", "本月新增备案", "2"] in rows

    xlsx = client.get(f"{API}/monthly/{MONTH}?format=xlsx", headers=admin)
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx.mimetype
    book = openpyxl.load_workbook(io.BytesIO(xlsx.get_data()))
    months = book["按月备案"]
    assert [c.value for c in months["A"]][-1] == MONTH and [c.value for c in months["B"]][-1] == 2
    assert book["概况"]["B3"].value == 2
    with zipfile.ZipFile(io.BytesIO(xlsx.get_data())) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        assert "<c:barChart>" in archive.read(charts[0]).decode() + archive.read(charts[1]).decode()
    assert client.get(f"{API}/monthly/2021-02", headers=admin).status_code == 404
    assert client.get(f"{API}/monthly/2021-13", headers=admin).status_code == 404

    # Only the published months are listed, for the caller's own scope.
    listed = client.get(f"{API}/monthly", headers=admin).get_json()["items"]
    assert [(m["month"], m["scope"]) for m in listed] == [(MONTH, FUJIAN)]
    assert listed[0]["published_at"].endswith("+00:00")  # a time with its offset, as the contract says
    national = client.get(f"{API}/monthly", headers=bearer(operator_token)).get_json()["items"]
    assert [(m["month"], m["scope"]) for m in national] == [(MONTH, "national")]
    assert client.get(f"{API}/monthly?province=110000", headers=admin).status_code == 403


def test_target_lists_and_their_coverage(platform, client, operator_token, fujian):
    a, b, _c = fujian["organisations"]
    operator = bearer(operator_token)
    never = uscc("350100")
    body = {"title": "国家知识产权优势企业（福建）", "organisations": [
        {"uscc": a[0].data["uscc"], "name": "福建甲科技有限公司"}, {"uscc": b[0].data["uscc"]},
        {"uscc": never, "name": "从未备案公司"}, {"uscc": uscc("110108"), "name": "北京某公司"}]}
    stored = client.put(f"{API}/target-lists/advantage-fj", json=body, headers=operator)
    assert stored.status_code == 200 and stored.get_json()["organisations"] == 4
    bad = client.put(f"{API}/target-lists/bad", json={"title": "x", "organisations": [
        {"uscc": "91350100M0001TGQXM"}]}, headers=operator)
    assert bad.status_code == 422 and "organisations.0.uscc" in bad.get_json()["errors"]

    rows = client.get(f"{API}/coverage?list=advantage-fj", headers=operator).get_json()["items"]
    fj = next(r for r in rows if r["province_code"] == FUJIAN)
    assert (fj["total"], fj["filed"], fj["rate"]) == (3, 2, 0.6667)
    assert fj["not_filed"] == [{"uscc": never, "name": "从未备案公司"}]
    assert next(r for r in rows if r["province_code"] == "110000")["filed"] == 0
    admin = bearer(staff_token(platform, client, "province_admin", FUJIAN))
    assert {r["province_code"] for r in client.get(f"{API}/coverage", headers=admin).get_json()["items"]} == {FUJIAN}
    assert client.get(f"{API}/coverage?list=nope", headers=operator).status_code == 404

    evaluation = client.get(f"{API}/evaluation/2021?province={FUJIAN}", headers=operator).get_json()
    [province] = evaluation["provinces"]
    assert province["filings_in_year"] >= 4 and province["recognised_total"] == 1
    assert province["coverage"][0]["list"] == "advantage-fj" and province["coverage"][0]["filed"] == 2


def test_the_product_list_exports_with_figures_within_scope_and_each_export_is_audited(platform, client, fujian):
    from reporting.adapters.orm import AuditLog

    admin = bearer(staff_token(platform, client, "province_admin", FUJIAN))
    xlsx = client.get(f"{API}/products/export?year=2020", headers=admin)
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.get_data()))
    rows = list(book["备案产品"].iter_rows(values_only=True))
    assert rows[0][0] == "备案号" and len(rows) >= 4
    assert rows[0][10:] == ("2020年销售收入（元）", "2020年销售数量", "2020年出口收入（元）", "2020年利润（元）",
                            "2020年知识产权投入（元）")
    assert {row[6] for row in rows[1:]} == {"福建省"}  # the province by name
    assert all(isinstance(row[8], dt.datetime) for row in rows[1:])  # dates are date cells
    on_record = {events[1].data["filing_number"] for events in fujian["products"][:3]}  # p4 was cancelled
    ours = [row for row in rows[1:] if row[0] in on_record]
    assert sorted(row[10] for row in ours) == [200.25, 1000.5, 3000.0]  # money as numbers
    assert {row[11] for row in ours} == {10}
    # The chart of the year's sales revenue by field is a part of the workbook.
    with zipfile.ZipFile(io.BytesIO(xlsx.get_data())) as parts:
        assert any(name.startswith("xl/charts/chart") for name in parts.namelist())
    assert "按产业领域汇总" in book.sheetnames

    text = client.get(f"{API}/products/export?format=csv&year=2020", headers=admin).get_data().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][10] == "2020年销售收入（元）" and "福建甲科技有限公司" in text
    assert "1000.50" in {row[10] for row in table[1:]}
    assert client.get(f"{API}/products/export?province=110000", headers=admin).status_code == 403
    with platform.runtimes["reporting"].database.connection_context():
        exports = [(entry.subject_id, json.loads(entry.detail)) for entry in AuditLog.select().where(
            AuditLog.action == "products.export").order_by(AuditLog.id)]
    # What each export contained; the refused one (another province) is not among them.
    assert exports[-2:] == [
        (FUJIAN, {"figures": True, "format": "xlsx", "products": len(rows) - 1, "province": FUJIAN, "year": 2020}),
        (FUJIAN, {"figures": True, "format": "csv", "products": len(table) - 1, "province": FUJIAN, "year": 2020})]



def test_a_closed_year_is_read_as_frozen_with_its_date_and_the_live_view_stays(platform, client, operator_token,
                                                                                fujian):
    from platform_shared.regions import PROVINCES
    from reporting.entrypoints.scheduled import close_year

    runtime = platform.runtimes["reporting"]
    operator = bearer(operator_token)
    admin = bearer(staff_token(platform, client, "province_admin", FUJIAN))
    before = client.get(f"{API}/evaluation/2022?province={FUJIAN}", headers=operator).get_json()
    assert (before["state"], before["frozen_at"]) == ("live", None)
    at = dt.datetime(2023, 1, 1, 0, 30, tzinfo=dt.UTC)
    assert close_year(runtime, at) == 0  # the job, as scheduled: the year before its moment
    assert close_year(runtime, at, 2022) == 0  # again, by hand: nothing changes
    assert close_year(runtime, dt.datetime(2099, 6, 1, tzinfo=dt.UTC), 2099) == 2  # not over yet

    frozen = client.get(f"{API}/evaluation/2022?province={FUJIAN}", headers=operator).get_json()
    assert frozen["state"] == "frozen" and frozen["frozen_at"].endswith("+00:00")
    assert frozen["provinces"] == before["provinces"]
    # A filing of 2022 that reaches reporting after the year was closed: only the live view has it.
    a = fujian["organisations"][0]
    Stream(platform).send(*product_events(a, "04", "5.00", "2022-06-01T08:00:00+00:00",
                                          [("201811564288.X", "invention")]))
    live_url = f"{API}/evaluation/2022?province={FUJIAN}&live=true"
    assert eventually(lambda: client.get(live_url, headers=operator).get_json()["provinces"][0]["filings_in_year"] == 1)
    live = client.get(live_url, headers=operator).get_json()
    assert live["state"] == "live" and live["frozen_at"] == frozen["frozen_at"]
    assert client.get(f"{API}/evaluation/2022?province={FUJIAN}", headers=operator).get_json() == frozen
    own = client.get(f"{API}/evaluation/2022", headers=admin).get_json()
    assert own["state"] == "frozen" and [p["province_code"] for p in own["provinces"]] == [FUJIAN]
    assert client.get(f"{API}/evaluation/2022?province=110000", headers=admin).status_code == 403
    assert client.get(f"{API}/evaluation/2022?live=maybe", headers=operator).status_code == 422
    national = client.get(f"{API}/evaluation/2022", headers=operator).get_json()
    assert national["state"] == "frozen" and len(national["provinces"]) == len(PROVINCES)


def _upload(client, auth, name: str, content: bytes, filename: str, title: str = "专精特新中小企业（福建）"):
    return client.put(f"{API}/target-lists/{name}/file", headers=auth,
                      data={"title": title, "file": (io.BytesIO(content), filename, "application/octet-stream")})


def test_a_target_list_is_uploaded_as_csv_or_xlsx_and_bad_files_are_refused_naming_the_row(platform, client,
                                                                                          operator_token, fujian):
    a, _b, _c = fujian["organisations"]
    operator = bearer(operator_token)
    never = uscc("350100")
    text = f"统一社会信用代码,名称\n{a[0].data['uscc']},福建甲科技有限公司\n\n{never},从未备案公司\n"
    stored = _upload(client, operator, "srdi-fj", text.encode("utf-8-sig"), "list.csv")
    assert stored.status_code == 200, stored.get_json()
    assert stored.get_json()["organisations"] == 2 and stored.get_json()["title"] == "专精特新中小企业（福建）"
    rows = client.get(f"{API}/coverage?list=srdi-fj&province={FUJIAN}", headers=operator).get_json()["items"]
    assert (rows[0]["total"], rows[0]["filed"]) == (2, 1)
    assert rows[0]["not_filed"] == [{"uscc": never, "name": "从未备案公司"}]

    book = openpyxl.Workbook()
    book.active.append(["USCC", "name", "province"])
    book.active.append([never, "从未备案公司", FUJIAN])
    xlsx = io.BytesIO()
    book.save(xlsx)
    stored = _upload(client, operator, "srdi-fj", xlsx.getvalue(), "list.csv")  # named .csv: the bytes decide
    assert stored.status_code == 200 and stored.get_json()["organisations"] == 1

    pdf = _upload(client, operator, "srdi-fj", b"%PDF-1.7\n" + b"x" * 100, "list.xlsx")
    assert pdf.status_code == 415 and pdf.get_json()["type"].endswith("target-file-refused")
    bad = _upload(client, operator, "srdi-fj", f"{never}\n91350100M0001TGQXM,坏\n{never}\n".encode(), "l.csv")
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"rows.2.uscc", "rows.3.uscc"}
    province = _upload(client, operator, "srdi-fj", f"{never},x,999999\n".encode(), "l.csv")
    assert province.status_code == 422 and "rows.1.province_code" in province.get_json()["errors"]
    empty = _upload(client, operator, "srdi-fj", b"USCC\n", "l.csv")
    assert empty.status_code == 422 and "file" in empty.get_json()["errors"]
    # Nothing of the refused files was taken.
    rows = client.get(f"{API}/coverage?list=srdi-fj&province={FUJIAN}", headers=operator).get_json()["items"]
    assert rows[0]["total"] == 1

    from tests.support.members import Member

    assert _upload(client, Member(client).auth, "srdi-fj", text.encode(), "l.csv").status_code == 403
    assert _upload(client, {}, "srdi-fj", text.encode(), "l.csv").status_code == 401


def test_a_province_admin_uploads_the_provinces_own_lists_only(platform, client, operator_token, fujian):
    a, _b, _c = fujian["organisations"]
    admin = bearer(staff_token(platform, client, "province_admin", FUJIAN))
    beijing = bearer(staff_token(platform, client, "province_admin", "110000"))
    own = uscc("350100")
    text = f"{a[0].data['uscc']},福建甲科技有限公司\n{own},福建某专精特新公司\n".encode()
    stored = _upload(client, admin, "srdi-fj-own", text, "own.csv")
    assert stored.status_code == 200 and stored.get_json()["organisations"] == 2
    body = {"title": "地方优势企业", "organisations": [{"uscc": own}]}
    assert client.put(f"{API}/target-lists/local-fj", json=body, headers=admin).status_code == 200
    rows = client.get(f"{API}/coverage?list=srdi-fj-own", headers=admin).get_json()["items"]
    assert [(r["province_code"], r["total"], r["filed"]) for r in rows] == [(FUJIAN, 2, 1)]

    # Another province's organisation on the list: refused, and the list stays as it was.
    mixed = _upload(client, admin, "srdi-fj-own", text + f"{uscc('110108')},北京某公司\n".encode(), "own.csv")
    assert mixed.status_code == 403 and mixed.get_json()["type"].endswith("target-list-outside-province")
    named = client.put(f"{API}/target-lists/local-fj", headers=admin, json={"title": "x", "organisations": [
        {"uscc": own, "province_code": "110000"}]})
    assert named.status_code == 403
    # The wrong province's admin cannot replace Fujian's list, nor a province admin a national one.
    assert _upload(client, beijing, "srdi-fj-own", f"{uscc('110108')}\n".encode(), "l.csv").status_code == 403
    national = {"title": "全国", "organisations": [{"uscc": uscc("110108")}, {"uscc": uscc("350100")}]}
    assert client.put(f"{API}/target-lists/national-x", json=national,
                      headers=bearer(operator_token)).status_code == 200
    assert _upload(client, admin, "national-x", f"{own}\n".encode(), "l.csv").status_code == 403
    rows = client.get(f"{API}/coverage?list=srdi-fj-own", headers=admin).get_json()["items"]
    assert [(r["province_code"], r["total"]) for r in rows] == [(FUJIAN, 2)]
