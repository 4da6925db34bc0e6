"""reporting's event handlers with the fake unit of work: what identity's and filing's events
make of the read models and their province's counters — archived first, applied only if newer,
a redelivery without a second effect, and nothing half-written when a step fails."""

from __future__ import annotations

from dataclasses import replace

import pytest

from platform_shared.events.contracts import build_event
from reporting.service_layer.projections import on_organisation_event, on_product_event
from tests.support.fakes.reporting import (
    FUJIAN,
    FakeReportingUnitOfWork,
    organisation_events,
    product_change,
    product_events,
)

pytestmark = pytest.mark.unit


def receive(uow: FakeReportingUnitOfWork, *events) -> None:
    """Each event in its own block, as the consumer hands it over."""
    for event in events:
        handler = on_organisation_event if event.type.startswith("identity.") else on_product_event
        with uow:
            handler(event, uow)


def test_a_verified_organisation_counts_in_its_province_by_status_kind_and_city():
    uow = FakeReportingUnitOfWork()
    events = organisation_events(city="350200", kind="university_institute")
    receive(uow, *events)
    organisation = uow.organisations.get(events[0].data["organisation_id"])
    assert organisation is not None
    assert (organisation.status, organisation.aggregate_version, organisation.city_code) == ("verified", 3, "350200")
    assert uow.figures(FUJIAN) == {("org_status", "verified"): 1, ("org_kind", "university_institute"): 1,
                                   ("org_city", "350200"): 1}
    assert uow.archive.count() == 3 and uow.commits == 3


def test_a_contact_change_moves_the_city_a_change_of_name_renames_and_a_reinstatement_restores_the_status():
    uow = FakeReportingUnitOfWork()
    events = organisation_events(city="350200")
    receive(uow, *events)
    common = {key: events[2].data[key] for key in ("organisation_id", "name", "uscc", "kind", "province_code")}
    at = "2021-03-01T08:00:00+00:00"
    organisation_id = common["organisation_id"]
    receive(uow, build_event("identity.organisation.contact_changed", {
        **common, "city_code": "350100", "address": "福州", "previous_contact_email": "lin@example.cn",
        "contact": {"name": "王", "phone": "13800138000", "email": "wang@example.cn"}, "changed_by": "a-1",
        "changes": [{"field": "city_code", "before": "350200", "after": "350100"}], "changed_at": at},
        producer="identity", aggregate_id=organisation_id, aggregate_version=4))
    assert uow.organisations.get(organisation_id).city_code == "350100"
    assert uow.figures(FUJIAN)[("org_city", "350100")] == 1 and ("org_city", "350200") not in uow.figures(FUJIAN)
    receive(uow, build_event("identity.organisation.changed", {
        **common, "name": "福建乙科技有限公司", "previous_name": common["name"], "request_id": "r-1",
        "changes": [{"field": "name", "before": common["name"], "after": "福建乙科技有限公司"}], "changed_at": at},
        producer="identity", aggregate_id=organisation_id, aggregate_version=5))
    assert uow.organisations.get(organisation_id).name == "福建乙科技有限公司"
    receive(uow, build_event("identity.organisation.suspended", {
        **common, "previous_status": "verified", "reason": "争议", "suspended_by": "op", "suspended_at": at},
        producer="identity", aggregate_id=organisation_id, aggregate_version=6))
    assert uow.figures(FUJIAN)[("org_status", "suspended")] == 1
    receive(uow, build_event("identity.organisation.reinstated", {
        **common, "status": "verified", "reason": "核实", "reinstated_by": "op", "reinstated_at": at},
        producer="identity", aggregate_id=organisation_id, aggregate_version=7))
    assert uow.organisations.get(organisation_id).status == "verified"
    assert uow.figures(FUJIAN).get(("org_status", "suspended"), 0) == 0
    assert uow.figures(FUJIAN)[("org_status", "verified")] == 1


def test_a_redelivered_organisation_event_is_archived_once_and_counts_once():
    uow = FakeReportingUnitOfWork()
    events = organisation_events()
    receive(uow, *events, *events)
    assert uow.archive.count() == 3
    assert uow.figures(FUJIAN)[("org_status", "verified")] == 1


def test_an_older_organisation_event_changes_nothing_but_is_archived():
    uow = FakeReportingUnitOfWork()
    registered, requested, verified = organisation_events()
    receive(uow, registered, verified, requested)
    assert uow.organisations.get(registered.data["organisation_id"]).status == "verified"
    assert uow.figures(FUJIAN)[("org_status", "verified")] == 1 and uow.archive.count() == 3


def test_a_registration_after_a_newer_event_fills_in_the_city_and_changes_nothing_else():
    uow = FakeReportingUnitOfWork()
    registered, _, verified = organisation_events(city="350200")
    receive(uow, verified)
    early = uow.organisations.get(verified.data["organisation_id"])
    assert early is not None and early.city_code is None and not early.registration_seen
    assert uow.figures(FUJIAN)[("org_city", "unknown")] == 1
    receive(uow, registered)
    organisation = uow.organisations.get(verified.data["organisation_id"])
    assert organisation == replace(early, city_code="350200", registration_seen=True,
                                   registered_at=organisation.registered_at)
    assert organisation.registered_at.isoformat() == "2021-02-01T08:00:00"
    assert uow.figures(FUJIAN) == {("org_status", "verified"): 1, ("org_kind", "enterprise"): 1,
                                   ("org_city", "350200"): 1}


def test_a_filed_product_counts_everywhere_it_belongs_with_its_organisations_kind_and_city():
    uow = FakeReportingUnitOfWork()
    organisation = organisation_events(kind="university_institute", city="350200")
    submitted, filed = product_events(organisation[0], kinds=("invention", "design"))
    receive(uow, *organisation, submitted, filed)
    product = uow.products.get(filed.data["product_id"])
    assert product is not None
    assert (product.filing_number, product.filed_at.isoformat(), product.aggregate_version) == (
        filed.data["filing_number"], "2021-03-05T08:00:00", 3)
    figures = uow.figures(FUJIAN)
    assert {key: value for key, value in figures.items() if not key[0].startswith("org_")} == {
        ("product_status", "filed"): 1, ("filed_industry", "04"): 1, ("filed_org_kind", "university_institute"): 1,
        ("filed_city", "350200"): 1, ("filed_month", "2021-03"): 1, ("filed_patents", "invention"): 1,
        ("filed_patents", "design"): 1, ("filed_revenue_fen", "2020"): 100050}


def test_a_product_event_older_than_the_row_changes_nothing_but_is_archived():
    uow = FakeReportingUnitOfWork()
    submitted, filed = product_events(organisation_events()[0])
    receive(uow, filed, submitted, filed)
    assert uow.products.get(filed.data["product_id"]).facts.status == "filed"
    assert uow.figures(FUJIAN)[("product_status", "filed")] == 1
    assert ("product_status", "submitted") not in uow.figures(FUJIAN)
    assert uow.archive.count() == 2


def test_a_cancellation_takes_the_product_off_record_and_keeps_its_month_of_filing():
    uow = FakeReportingUnitOfWork()
    _, filed = product_events(organisation_events()[0])
    cancelled = product_change(filed, "filing.product.cancelled", 4, reason="退市",
                               cancelled_at="2021-05-01T00:00:00+00:00")
    receive(uow, filed, cancelled)
    assert uow.figures(FUJIAN) == {("product_status", "cancelled"): 1, ("filed_month", "2021-03"): 1}
    assert uow.products.get(filed.data["product_id"]).filing_number == filed.data["filing_number"]


def test_nothing_is_half_written_when_the_counters_cannot_be_moved():
    uow = FakeReportingUnitOfWork()
    registered = organisation_events()[0]

    def broken(changes, month):
        raise RuntimeError("the counters' table is gone")

    uow.counters.add = broken
    with pytest.raises(RuntimeError, match="gone"), uow:
        on_organisation_event(registered, uow)
    assert uow.organisations.get(registered.data["organisation_id"]) is None
    assert uow.archive.count() == 0 and uow.commits == 0


def test_an_approved_amendment_moves_the_patents_counted_and_keeps_the_filing():
    uow = FakeReportingUnitOfWork()
    _, filed = product_events(organisation_events()[0], kinds=("invention",))
    patents = [{"number": "201710601862.3", "kind": "invention", "relation": "owner"},
               {"number": "202020566088.1", "kind": "utility_model", "relation": "owner"}]
    amended = product_change(filed, "filing.product.amended", 5, variants=["蓝色"], patents=patents,
                             economic_data=filed.data["economic_data"], amendment_id="am-1", edition=2,
                             task_id="task-9", amended_at="2021-06-01T00:00:00+00:00")
    receive(uow, filed, amended, amended)
    figures = uow.figures(FUJIAN)
    assert (figures[("filed_patents", "invention")], figures[("filed_patents", "utility_model")]) == (1, 1)
    assert figures[("product_status", "filed")] == 1 and figures[("filed_month", "2021-03")] == 1
    assert uow.products.get(filed.data["product_id"]).filing_number == filed.data["filing_number"]
