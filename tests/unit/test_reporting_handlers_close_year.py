"""Closing a year with the fake unit of work: every province's year-end evaluation frozen once,
never before the year has ended; read back as frozen (with its date) while the live figures
stay readable; a province admin reads only their own province of it."""

from __future__ import annotations

import datetime as dt

import pytest

from platform_shared.errors import Conflict, Forbidden
from platform_shared.principal import Principal
from platform_shared.regions import PROVINCES
from reporting.domain.commands import CloseYear
from reporting.domain.queries import ReadEvaluation
from reporting.service_layer.evaluation import evaluation, handle_close_year
from reporting.service_layer.projections import on_organisation_event, on_product_event
from tests.support.fakes.reporting import FUJIAN, FakeReportingUnitOfWork, organisation_events, product_events

pytestmark = pytest.mark.unit

OPERATOR = Principal("operator-1", "operator")
FUJIAN_ADMIN = Principal("admin-1", "province_admin", province_code=FUJIAN)
CLOSE_2021 = CloseYear(2021, dt.date(2022, 1, 1))


def with_filings(count: int = 1) -> tuple[FakeReportingUnitOfWork, list]:
    uow = FakeReportingUnitOfWork()
    organisation = organisation_events()
    with uow:
        for event in organisation:
            on_organisation_event(event, uow)
        for _ in range(count):
            for event in product_events(organisation[0]):
                on_product_event(event, uow)
    return uow, organisation


def fujian_of(body: dict) -> dict:
    return next(row for row in body["provinces"] if row["province_code"] == FUJIAN)


def test_before_the_year_is_closed_the_evaluation_is_live():
    uow, _ = with_filings()
    read = evaluation(ReadEvaluation(OPERATOR, None, 2021), uow)
    assert (read["state"], read["frozen_at"]) == ("live", None)
    assert len(read["provinces"]) == len(PROVINCES) and fujian_of(read)["filings_in_year"] == 1


def test_a_closed_year_reads_as_frozen_and_later_filings_change_only_the_live_view():
    uow, organisation = with_filings()
    assert handle_close_year(CLOSE_2021, uow) is True
    frozen = uow.evaluations.get(2021)
    assert frozen is not None and len(frozen.body["provinces"]) == len(PROVINCES)
    assert uow.audit_log[-1].action == "evaluation.closed"

    with uow:  # a filing of 2021 that reaches reporting after the year was closed
        for event in product_events(organisation[0], filed_at="2021-12-31T10:00:00+00:00"):
            on_product_event(event, uow)

    read = evaluation(ReadEvaluation(OPERATOR, None, 2021), uow)
    assert read["state"] == "frozen" and read["frozen_at"] == frozen.closed_at.replace(tzinfo=dt.UTC)
    assert read["frozen_at"].tzinfo is not None
    assert fujian_of(read)["filings_in_year"] == 1 and fujian_of(read)["filed_total"] == 1
    live = evaluation(ReadEvaluation(OPERATOR, None, 2021, live=True), uow)
    assert live["state"] == "live" and live["frozen_at"] == read["frozen_at"]
    assert fujian_of(live)["filings_in_year"] == 2 and fujian_of(live)["filed_total"] == 2


def test_closing_a_year_again_changes_nothing():
    uow, _ = with_filings()
    assert handle_close_year(CLOSE_2021, uow) is True
    frozen = uow.evaluations.get(2021)
    audited = len(uow.audit_log)
    assert handle_close_year(CloseYear(2021, dt.date(2023, 5, 1)), uow) is False
    assert uow.evaluations.get(2021) == frozen and len(uow.audit_log) == audited


def test_a_year_that_has_not_ended_is_refused_and_nothing_is_written():
    uow, _ = with_filings()
    commits = uow.commits
    with pytest.raises(Conflict, match="has not ended") as refused:
        handle_close_year(CloseYear(2021, dt.date(2021, 12, 31)), uow)
    assert refused.value.slug == "year-not-ended"
    assert uow.evaluations.items == {} and uow.commits == commits


def test_a_province_admin_reads_their_province_of_the_frozen_year_only():
    uow, _ = with_filings()
    handle_close_year(CLOSE_2021, uow)
    read = evaluation(ReadEvaluation(FUJIAN_ADMIN, None, 2021), uow)
    assert read["state"] == "frozen" and [row["province_code"] for row in read["provinces"]] == [FUJIAN]
    with pytest.raises(Forbidden):
        evaluation(ReadEvaluation(FUJIAN_ADMIN, "110000", 2021), uow)
    one = evaluation(ReadEvaluation(OPERATOR, "110000", 2021), uow)
    assert [row["province_code"] for row in one["provinces"]] == ["110000"]
