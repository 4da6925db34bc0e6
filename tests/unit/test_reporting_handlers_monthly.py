"""Publishing a month with the fake unit of work: every province's and the national report
frozen at once with an event per province, once only, never before the month has ended, and
nothing written when any of it fails; and reading a published report back as a file."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from platform_shared.errors import Conflict, DuplicateRecord, Forbidden, NotFound, RuleBroken
from platform_shared.industries import classification
from platform_shared.principal import Principal
from platform_shared.regions import PROVINCES
from reporting.adapters import report_files
from reporting.domain.commands import PublishMonth
from reporting.domain.queries import ListMonthlyReports, ReadMonthlyReport
from reporting.domain.reports import MonthlyReport
from reporting.service_layer.monthly import handle_publish_month, monthly_report_file, published_reports
from reporting.service_layer.projections import on_organisation_event, on_product_event
from tests.support.fakes.reporting import (
    FUJIAN,
    FakeReportingUnitOfWork,
    organisation_events,
    product_change,
    product_events,
)

pytestmark = pytest.mark.unit

MARCH = PublishMonth("2021-03", dt.date(2021, 4, 1))
OPERATOR = Principal("operator-1", "operator")
FUJIAN_ADMIN = Principal("admin-1", "province_admin", province_code=FUJIAN)


def with_a_filing() -> FakeReportingUnitOfWork:
    uow = FakeReportingUnitOfWork()
    organisation = organisation_events()
    with uow:
        for event in organisation:
            on_organisation_event(event, uow)
        for event in product_events(organisation[0]):
            on_product_event(event, uow)
    return uow


def publish(uow: FakeReportingUnitOfWork, command: PublishMonth = MARCH) -> list[str]:
    return handle_publish_month(command, uow, classification())


def test_a_month_is_frozen_for_every_province_and_the_nation_with_an_event_per_province():
    uow = with_a_filing()
    published = publish(uow)
    assert published == [*sorted(PROVINCES), "national"]
    report = uow.monthly_reports.get("2021-03", FUJIAN)
    assert report is not None
    assert report.body["figures"] == {"new_filings": 1, "filed_total": 1, "recognised_total": 0,
                                      "organisations_total": 1}
    assert [p["organisation_name"] for p in report.body["new_products"]] == ["福建甲科技有限公司"]
    assert report.body["published_at"].startswith(report.published_at.isoformat())
    events = uow.events_of("reporting.monthly_report.published")
    assert len(events) == len(PROVINCES) and uow.commits == 2
    fujian = next(e for e in events if e.data["province_code"] == FUJIAN)
    assert fujian.data["figures"] == report.body["figures"] and fujian.data["report_id"] == report.id
    assert fujian.data["downloads"]["xlsx"] == f"/api/v1/reporting/monthly/2021-03?province={FUJIAN}&format=xlsx"
    assert uow.monthly_reports.get("2021-03", "national").body["province_name"] == "全国"


def test_a_month_published_late_counts_only_what_had_happened_by_its_last_day():
    uow = FakeReportingUnitOfWork()
    first = organisation_events()  # registered and verified 2021-02
    later = organisation_events("福建乙科技有限公司")
    for event in later:  # registered and verified in April
        event.data.update({key: "2021-04-01T00:30:00+00:00" for key in event.data if key.endswith("_at")})
    march_filed = product_events(first[0], filed_at="2021-03-05T08:00:00+00:00")
    with uow:
        for event in first + later:
            on_organisation_event(event, uow)
        for event in march_filed:
            on_product_event(event, uow)
        # The last second of March counts in March; the first of April in April.
        for event in product_events(first[0], filed_at="2021-03-31T23:59:59+00:00"):
            on_product_event(event, uow)
        for event in product_events(later[0], filed_at="2021-04-01T00:00:00+00:00"):
            on_product_event(event, uow)
        on_product_event(product_change(march_filed[1], "filing.product.cancelled", 4, reason="停产",
                                        cancelled_at="2021-04-20T00:00:00+00:00"), uow)

    handle_publish_month(PublishMonth("2021-03", dt.date(2021, 6, 1)), uow, classification())  # two months late
    handle_publish_month(PublishMonth("2021-04", dt.date(2021, 6, 1)), uow, classification())

    march = uow.monthly_reports.get("2021-03", FUJIAN).body
    assert march["figures"] == {"new_filings": 2, "filed_total": 2, "recognised_total": 0, "organisations_total": 1}
    assert march["products_by_status"] == {"filed": 2}
    assert march["organisations_by_status"] == {"verified": 1}
    assert uow.monthly_reports.get("2021-03", "national").body["figures"]["filed_total"] == 2
    april = uow.monthly_reports.get("2021-04", FUJIAN).body
    assert april["figures"] == {"new_filings": 1, "filed_total": 2, "recognised_total": 0, "organisations_total": 2}
    assert april["products_by_status"] == {"filed": 2, "cancelled": 1}
    # The live figures are the sum of every month.
    assert uow.figures(FUJIAN)[("product_status", "cancelled")] == 1


def test_a_month_published_again_changes_nothing():
    uow = with_a_filing()
    publish(uow)
    frozen = uow.monthly_reports.get("2021-03", FUJIAN)
    events = len(uow.events)
    assert publish(uow) == []
    assert uow.monthly_reports.get("2021-03", FUJIAN) == frozen and len(uow.events) == events


def test_only_the_scopes_not_yet_published_are_published():
    uow = FakeReportingUnitOfWork()
    uow.monthly_reports.add(MonthlyReport("r-1", "2021-03", FUJIAN, {}, dt.datetime(2021, 4, 1)))
    published = publish(uow)
    assert FUJIAN not in published and len(published) == len(PROVINCES)
    assert FUJIAN not in {e.data["province_code"] for e in uow.events}


def test_a_month_that_has_not_ended_is_refused_and_nothing_is_written():
    uow = FakeReportingUnitOfWork()
    with pytest.raises(Conflict, match="has not ended") as refused:
        publish(uow, PublishMonth("2021-04", dt.date(2021, 4, 30)))
    assert refused.value.slug == "month-not-ended"
    assert uow.monthly_reports.items == {} and uow.events == [] and uow.commits == 0


def test_a_month_not_written_yyyy_mm_is_refused():
    uow = FakeReportingUnitOfWork()
    with pytest.raises(RuleBroken, match="YYYY-MM") as refused:
        publish(uow, PublishMonth("2021-13", dt.date(2021, 4, 30)))
    assert list(refused.value.errors or {}) == ["month"] and uow.commits == 0


def test_nothing_is_written_when_another_publisher_got_there_first():
    uow = with_a_filing()
    original_add = uow.monthly_reports.add

    def raced(report: MonthlyReport) -> None:
        if report.scope == "national":
            raise DuplicateRecord("(month, scope) exists")
        original_add(report)

    uow.monthly_reports.add = raced
    with pytest.raises(DuplicateRecord):
        publish(uow)
    assert uow.monthly_reports.items == {} and uow.events == [] and uow.commits == 1


def test_a_published_report_reads_back_as_json_or_as_a_file_and_every_read_is_audited():
    uow = with_a_filing()
    publish(uow)
    as_json = monthly_report_file(ReadMonthlyReport(FUJIAN_ADMIN, None, "2021-03", "json"), uow, report_files)
    assert not as_json.attachment and as_json.media_type == "application/json"
    assert json.loads(as_json.content)["scope"] == FUJIAN
    as_csv = monthly_report_file(ReadMonthlyReport(OPERATOR, FUJIAN, "2021-03", "csv"), uow, report_files)
    assert as_csv.attachment and as_csv.name == f"report-2021-03-{FUJIAN}.csv"
    assert as_csv.content.startswith(b"\xef\xbb\xbf")
    national = monthly_report_file(ReadMonthlyReport(OPERATOR, None, "2021-03", "xlsx"), uow, report_files)
    assert national.name == "report-2021-03-national.xlsx" and national.content[:2] == b"PK"
    assert [(e.action, e.subject_id, e.detail["format"], e.actor) for e in uow.audit_log] == [
        ("monthly.read", FUJIAN, "json", uow.actor), ("monthly.read", FUJIAN, "csv", uow.actor),
        ("monthly.read", "national", "xlsx", uow.actor)]


@pytest.mark.parametrize(("principal", "province", "month", "refusal", "slug"), [
    (OPERATOR, FUJIAN, "2021-02", NotFound, "report-not-published"),
    (OPERATOR, FUJIAN, "2021-13", NotFound, "no-such-month"),
    (FUJIAN_ADMIN, "110000", "2021-03", Forbidden, "forbidden"),
    (FUJIAN_ADMIN, None, "2021-13", NotFound, "no-such-month"),  # the month is checked before the scope
])
def test_a_report_not_published_or_out_of_scope_is_refused_without_an_audit_entry(principal, province, month,
                                                                                   refusal, slug):
    uow = with_a_filing()
    publish(uow)
    with pytest.raises(refusal) as refused:
        monthly_report_file(ReadMonthlyReport(principal, province, month, "json"), uow, report_files)
    assert refused.value.slug == slug and uow.audit_log == []


def test_only_published_months_are_listed_for_the_callers_scope_newest_first():
    uow = with_a_filing()
    publish(uow)
    handle_publish_month(PublishMonth("2021-04", dt.date(2021, 5, 1)), uow, classification())

    mine = published_reports(ListMonthlyReports(FUJIAN_ADMIN, None), uow)
    assert [(m["month"], m["scope"]) for m in mine] == [("2021-04", FUJIAN), ("2021-03", FUJIAN)]
    assert [m["scope"] for m in published_reports(ListMonthlyReports(OPERATOR, None), uow)] == ["national"] * 2
    with pytest.raises(Forbidden):
        published_reports(ListMonthlyReports(FUJIAN_ADMIN, "110000"), uow)
    assert published_reports(ListMonthlyReports(Principal("admin-2", "province_admin", province_code="110000"),
                                                None), FakeReportingUnitOfWork()) == []
