"""The audit log as operators read it, one query for every service: filtered by action, actor,
subject and time, newest first, paginated; the fake units of work read the same way."""

from __future__ import annotations

import datetime as dt

import pytest

from platform_shared.audit import Actor, AuditFilter
from platform_shared.pages import PageRequest
from platform_shared.peewee_unit_of_work import PeeweeUnitOfWork
from platform_shared.web.audit_log import AuditQuery, audit_filter, entry_out
from tests.support.fakes import FakeUnitOfWork

pytestmark = pytest.mark.unit

OPERATOR = Actor("op-1", "operator", "203.0.113.7", "req-1")
ADMIN = Actor("pa-1", "province_admin", "203.0.113.8", "req-2")


def write_entries(uow) -> None:
    with uow:
        uow.audit("products.list", "province", "440000", {"products": ["p1"]}, actor=ADMIN)
        uow.audit("summary.read", "province", "440000", actor=ADMIN)
        uow.audit("target_list.replaced", "target_list", "top-100", {"organisations": 3}, actor=OPERATOR)


@pytest.fixture(params=["peewee", "fake"])
def log(request, service):
    """A unit of work with three entries, on the table or in memory: both must read alike."""
    uow = PeeweeUnitOfWork(service.tables, producer="unit") if request.param == "peewee" else FakeUnitOfWork()
    write_entries(uow)
    return uow


def read(uow, request: PageRequest | None = None, **which):
    with uow:
        return uow.audit_entries.page(AuditFilter(**which), request or PageRequest())


def test_entries_are_read_newest_first_with_who_and_from_where(log):
    page = read(log)
    assert page.total == 3
    assert [e.action for e in page.items] == ["target_list.replaced", "summary.read", "products.list"]
    newest = page.items[0]
    assert (newest.actor_id, newest.actor_role, newest.address, newest.request_id) == \
        ("op-1", "operator", "203.0.113.7", "req-1")
    assert (newest.subject_type, newest.subject_id, newest.detail) == ("target_list", "top-100", {"organisations": 3})
    assert page.items[2].detail == {"products": ["p1"]}


def test_entries_are_filtered_by_action_actor_and_subject(log):
    assert [e.action for e in read(log, action="summary.read").items] == ["summary.read"]
    assert read(log, actor_id="pa-1").total == 2
    assert read(log, subject_type="province", subject_id="440000").total == 2
    assert read(log, subject_type="target_list").total == 1
    assert read(log, actor_id="pa-1", action="target_list.replaced").total == 0


def test_entries_are_filtered_by_a_time_range_since_inclusive_until_exclusive(log):
    moments = sorted(e.at for e in read(log).items)
    assert read(log, since=moments[0]).total == 3
    assert read(log, until=moments[0]).total == 0
    assert read(log, since=moments[0] + dt.timedelta(days=1)).total == 0
    assert read(log, since=moments[0] - dt.timedelta(days=1), until=moments[-1] + dt.timedelta(seconds=1)).total == 3


def test_entries_come_a_page_at_a_time_with_the_total(log):
    second = read(log, PageRequest(page=2, per_page=2))
    assert second.total == 3 and [e.action for e in second.items] == ["products.list"]


def test_the_query_reads_times_with_an_offset_as_utc_and_without_one_as_utc():
    loaded = AuditQuery().load({"since": "2026-12-07T08:00:00+08:00", "until": "2026-12-07T01:00:00",
                                "action": "summary.read"})
    which = audit_filter(loaded)
    assert which.since == dt.datetime(2026, 12, 7, 0, 0) and which.until == dt.datetime(2026, 12, 7, 1, 0)
    assert which.since.tzinfo is None and which.action == "summary.read" and which.actor_id is None


def test_an_entry_is_answered_with_its_time_in_utc(log):
    entry = read(log).items[0]
    out = entry_out(entry)
    assert out["at"].endswith("+00:00") and out["action"] == "target_list.replaced" and out["id"] == entry.id
