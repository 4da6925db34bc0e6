"""reporting's read-side queries with the fake unit of work: whose figures a caller reads (a
province admin their own, operators any or the nation), the summary from the counters, the
product list with revenue for operators only, its export with each product's figures of a year, the year-end
evaluation — and the audit entry of every read of products."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from platform_shared.errors import Forbidden
from platform_shared.events.contracts import build_event
from platform_shared.industries import classification
from platform_shared.pages import PageRequest
from platform_shared.principal import Principal
from reporting.adapters import report_files
from reporting.domain.commands import ReplaceTargetList
from reporting.domain.product_list import ProductFilter
from reporting.domain.queries import ExportProducts, ListProducts, ReadEvaluation, ReadSummary
from reporting.domain.targets import TargetEntry
from reporting.service_layer.evaluation import evaluation
from reporting.service_layer.product_list import export_products, products_page
from reporting.service_layer.projections import on_organisation_event, on_product_event
from reporting.service_layer.summary import summary
from reporting.service_layer.targets import handle_replace_target_list
from tests.support.fakes.reporting import (
    FUJIAN,
    FakeReportingUnitOfWork,
    organisation_events,
    product_change,
    product_events,
)

pytestmark = pytest.mark.unit

OPERATOR = Principal("operator-1", "operator")
FUJIAN_ADMIN = Principal("admin-1", "province_admin", province_code=FUJIAN)
BEIJING_ADMIN = Principal("admin-2", "province_admin", province_code="110000")
EVERYTHING = ProductFilter()


@pytest.fixture
def uow() -> FakeReportingUnitOfWork:
    """One organisation with three products: filed in March, filed in April and recognised,
    submitted only."""
    uow = FakeReportingUnitOfWork()
    organisation = organisation_events()
    march = product_events(organisation[0], revenue="1000.50", kinds=("invention", "invention"))
    april = product_events(organisation[0], industry="05", revenue="200.25",
                           filed_at="2021-04-02T08:00:00+00:00")
    recognised = product_change(april[1], "filing.product.recognised", 4, year=2021, round_id="r-2021",
                                recognised_at="2021-09-01T00:00:00+00:00")
    with uow:
        for event in organisation:
            on_organisation_event(event, uow)
        for event in (*march, *april, recognised, product_events(organisation[0])[0]):
            on_product_event(event, uow)
    return uow


def test_the_summary_of_a_province_comes_from_its_counters(uow):
    figures = summary(ReadSummary(FUJIAN_ADMIN, None), uow)
    assert figures["province"] == FUJIAN
    assert figures["organisations"] == {"total": 1, "by_status": {"verified": 1}, "by_kind": {"enterprise": 1},
                                        "by_city": {"350100": 1}, "by_province": {FUJIAN: 1}}
    assert figures["products"] == {
        "by_status": {"filed": 1, "recognised": 1, "submitted": 1}, "by_industry": {"04": 1, "05": 1},
        "by_kind": {"enterprise": 2}, "by_city": {"350100": 2}, "by_month": {"2021-03": 1, "2021-04": 1},
        "patents_by_kind": {"invention": 3}, "filed_total": 2, "recognised_total": 1, "suspended_total": 0,
            "patents_total": 3,
        "declared_revenue_by_year": {"2020": "1200.75"}}
    assert summary(ReadSummary(OPERATOR, None), uow)["province"] is None
    # Each read is audited with the scope it read, as every read of a province's data.
    assert [(e.action, e.subject_type, e.subject_id) for e in uow.audit_log][-1] == \
        ("summary.read", "province", "national")


@pytest.mark.parametrize(("principal", "province"), [(FUJIAN_ADMIN, "110000"), (BEIJING_ADMIN, FUJIAN),
                                                     (Principal("r-1", "reviewer"), FUJIAN)])
def test_no_one_reads_a_province_outside_their_scope(uow, principal, province):
    for query in (ReadSummary(principal, province), ListProducts(principal, province, EVERYTHING, PageRequest()),
                  ExportProducts(principal, province, EVERYTHING, "csv"), ReadEvaluation(principal, province, 2021)):
        with pytest.raises(Forbidden):
            {ReadSummary: summary, ListProducts: products_page, ReadEvaluation: evaluation,
             ExportProducts: lambda q, u: export_products(q, u, report_files, classification()),
             }[type(query)](query, uow)
    assert uow.audit_log == []


def test_only_operators_read_the_nation(uow):
    with pytest.raises(Forbidden, match="Only operators"):
        summary(ReadSummary(Principal("r-1", "reviewer"), None), uow)


def test_the_product_list_shows_revenue_to_operators_only_and_audits_each_read(uow):
    operator = products_page(ListProducts(OPERATOR, FUJIAN, EVERYTHING, PageRequest()), uow)
    admin = products_page(ListProducts(FUJIAN_ADMIN, None, EVERYTHING, PageRequest()), uow)
    assert operator.total == admin.total == 2
    assert [p["filed_on"].isoformat() for p in operator.items] == ["2021-04-02", "2021-03-05"]  # newest first
    assert [p["declared_revenue_by_year"] for p in operator.items] == [{"2020": "200.25"}, {"2020": "1000.50"}]
    assert [p["declared_revenue_by_year"] for p in admin.items] == [None, None]
    assert [p["status"] for p in admin.items] == ["recognised", "filed"] and admin.items[0]["recognised"]
    assert [(e.action, e.subject_id, e.detail["products"]) for e in uow.audit_log] == [
        ("products.list", FUJIAN, [p["product_id"] for p in operator.items]),
        ("products.list", FUJIAN, [p["product_id"] for p in admin.items])]


def test_the_product_list_filters_and_pages(uow):
    def listed(product_filter: ProductFilter, page: PageRequest | None = None) -> list[str]:
        found = products_page(ListProducts(OPERATOR, None, product_filter, page or PageRequest()), uow)
        return [p["industry_code"] for p in found.items]

    assert listed(ProductFilter(status="recognised")) == ["05"]
    assert listed(ProductFilter(industry_code="04")) == ["04"]
    assert listed(ProductFilter(city_code="350200")) == []
    assert listed(ProductFilter(text=" 福建甲 ")) == ["05", "04"]
    assert listed(EVERYTHING, PageRequest(page=2, per_page=1)) == ["04"]


def test_the_export_writes_every_listed_product_with_its_figures_of_the_last_full_year_and_is_audited(uow):
    # The March product gave its 2021 figures in the annual update (a loss, no exports declared).
    march = next(p for p in uow.products if p.facts.status == "filed")
    update = build_event("filing.product.annual_data_updated", {
        "product_id": march.product_id, "organisation_id": march.organisation_id,
        "organisation_name": march.organisation_name, "province_code": FUJIAN, "name": march.name,
        "brand": march.brand, "model": march.model, "industry_code": "04", "filing_number": march.filing_number,
        "data": {"year": 2021, "sales_revenue": "1234567.80", "sales_volume": 321, "export_revenue": None,
                 "profit": "-100.05", "ip_investment": "5000"}, "updated_at": "2022-02-01T00:00:00+00:00"},
        producer="filing", aggregate_id=march.product_id, aggregate_version=march.aggregate_version + 1)
    with uow:
        on_product_event(update, uow)

    as_csv = export_products(ExportProducts(FUJIAN_ADMIN, None, EVERYTHING, "csv"), uow, report_files,
                             classification(), today=dt.date(2022, 3, 1))
    assert as_csv.attachment and as_csv.name == f"products-{FUJIAN}.csv" and as_csv.media_type.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(as_csv.content).decode("utf-8-sig"))))
    assert rows[0][0] == "备案号" and len(rows) == 3 and [r[8] for r in rows[1:]] == ["2021-03-05", "2021-04-02"]
    assert rows[0][10:] == ["2021年销售收入（元）", "2021年销售数量", "2021年出口收入（元）", "2021年利润（元）",
                            "2021年知识产权投入（元）"]
    assert rows[1][10:] == ["1234567.80", "321", "", "-100.05", "5000.00"]
    assert rows[2][10:] == ["", "", "", "", ""]  # the April product declared no 2021 figures

    as_xlsx = export_products(ExportProducts(OPERATOR, None, EVERYTHING, "xlsx", year=2020), uow, report_files,
                              classification())
    assert as_xlsx.name == "products-national.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(as_xlsx.content))
    sheet = book["备案产品"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[0][10] == "2020年销售收入（元）"
    # Words, not codes; a date is a date; money a number in yuan, formatted as money.
    assert rows[1][5] == "04 新材料制造业" and rows[1][6] == "福建省" and rows[1][7] == "福州市"
    assert (rows[1][9], rows[2][9]) == ("已备案", "已认定")
    assert isinstance(rows[1][8], dt.datetime) and rows[1][8].date().isoformat() == "2021-03-05"
    assert rows[1][10:12] == (1000.5, 10) and rows[2][10] == 200.25
    assert sheet.cell(row=2, column=11).number_format == "#,##0.00"
    by_field = list(book["按产业领域汇总"].iter_rows(values_only=True))
    assert by_field == [("产业领域", "备案产品", "2020年销售收入（元）"), ("04 新材料制造业", 1, 1000.5),
                        ("05 医药医疗产业", 1, 200.25)]
    assert [(e.action, e.subject_id, e.detail) for e in uow.audit_log[-2:]] == [
        ("products.export", FUJIAN, {"format": "csv", "province": FUJIAN, "year": 2021, "products": 2,
                                     "figures": True}),
        ("products.export", "national", {"format": "xlsx", "province": "national", "year": 2020, "products": 2,
                                         "figures": True})]


def test_no_export_leaves_a_province_admins_scope_and_a_refusal_is_not_audited(uow):
    with pytest.raises(Forbidden):
        export_products(ExportProducts(BEIJING_ADMIN, FUJIAN, EVERYTHING, "xlsx"), uow, report_files,
                        classification())
    # A province admin of another province gets its own province: none of Fujian's products.
    own = export_products(ExportProducts(BEIJING_ADMIN, None, EVERYTHING, "csv"), uow, report_files,
                          classification())
    assert len(b"".join(own.content).decode("utf-8-sig").splitlines()) == 1
    assert [(e.subject_id, e.detail["products"]) for e in uow.audit_log] == [("110000", 0)]


def test_the_evaluation_gives_each_province_its_year_and_its_coverage(uow):
    [organisation] = uow.organisations
    handle_replace_target_list(ReplaceTargetList("advantage", "优势企业", (TargetEntry(organisation.uscc),), OPERATOR),
                               uow)
    national = evaluation(ReadEvaluation(OPERATOR, None, 2021), uow)
    assert len(national["provinces"]) == 32
    [fujian] = evaluation(ReadEvaluation(FUJIAN_ADMIN, None, 2021), uow)["provinces"]
    assert fujian == {"province_code": FUJIAN, "province_name": "福建省", "filings_in_year": 2, "filed_total": 2,
                      "recognised_total": 1, "coverage": [{"list": "advantage", "title": "优势企业",
                                                           "province_code": FUJIAN, "total": 1, "filed": 1,
                                                           "rate": 1.0}]}
    assert evaluation(ReadEvaluation(OPERATOR, FUJIAN, 2020), uow)["provinces"][0]["filings_in_year"] == 0
