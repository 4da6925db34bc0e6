"""review's read side with its unit of work in memory: the queue page by page and one task whole;
a round as staff read it (each read in the audit log, by the caller, in the read's transaction)
and as the public notice shows it; and the queue's gauges."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from prometheus_client import REGISTRY

from platform_shared.attachments import StoredFile
from platform_shared.audit import Actor
from platform_shared.errors import NotFound
from platform_shared.moments import utcnow
from platform_shared.pages import PageRequest
from review.domain.objections import Objection, ObjectionEvidence
from review.domain.tasks import DecisionReason, HistoryEntry, ReviewTask, TaskDecision
from review.service_layer import round_views, task_views
from review.service_layer.queue_metrics import measure_queue
from review.service_layer.repositories import TaskFilter
from tests.support.fakes.review import FakeReviewUnitOfWork, result_of, round_in

pytestmark = pytest.mark.unit
STAFF = Actor("rita", "reviewer", "10.0.0.7", "request-1")


@pytest.fixture
def uow() -> FakeReviewUnitOfWork:
    return FakeReviewUnitOfWork(actor=STAFF)


def task(uow: FakeReviewUnitOfWork, kind: str = "product", minutes_ago: int = 60, **changes: object) -> ReviewTask:
    task_id = str(uuid.uuid4())
    made = ReviewTask(id=task_id, kind=kind, subject_id="org-1", title="审核", snapshot={}, case_id=task_id,
                      source_event_id=str(uuid.uuid4()), created_at=utcnow() - dt.timedelta(minutes=minutes_ago))
    for name, value in changes.items():
        setattr(made, name, value)
    uow.tasks.add(made)
    return made


# --- the queue ---------------------------------------------------------------------------------

def test_the_queue_lists_tasks_oldest_first_page_by_page_with_their_age(uow):
    older, newer = task(uow, minutes_ago=90), task(uow, minutes_ago=30)
    first = task_views.list_tasks(TaskFilter(), PageRequest(page=1, per_page=1), uow)
    assert first["total"] == 2 and [t["id"] for t in first["items"]] == [older.id]
    assert first["items"][0]["age_seconds"] >= 90 * 60
    second = task_views.list_tasks(TaskFilter(), PageRequest(page=2, per_page=1), uow)
    assert [t["id"] for t in second["items"]] == [newer.id]


def test_the_queue_is_filtered_by_holder_and_shows_a_holder_only_while_held(uow):
    held = task(uow, state="claimed", claimed_by="rita", claim_expires_at=utcnow() + dt.timedelta(hours=1))
    task(uow, state="decided", claimed_by="rita", closed_at=utcnow())
    page = task_views.list_tasks(TaskFilter(state="claimed", claimed_by="rita"), PageRequest(), uow)
    assert [t["id"] for t in page["items"]] == [held.id] and page["items"][0]["claimed_by"] == "rita"
    decided = task_views.list_tasks(TaskFilter(state="decided"), PageRequest(), uow)["items"][0]
    assert (decided["claimed_by"], decided["claim_expires_at"]) == (None, None)


def test_a_task_read_whole_links_its_documents_and_shows_its_decision_history_and_case(uow):
    first = task(uow, kind="organisation", state="decided")
    second = task(uow, kind="organisation", minutes_ago=10, case_id=first.id, previous_task_id=first.id,
                  snapshot={"organisation_id": "org-1", "documents": [{"id": "doc-1", "kind": "business_license",
                                                                      "media_type": "application/pdf"}]})
    uow.decisions.add(TaskDecision(second.id, "reject", (DecisionReason("name", "不一致"),), "rita", utcnow(), True))
    uow.history.add(HistoryEntry(second.id, utcnow(), "created", detail={"event_id": "e-1"}))
    read = task_views.read_task(second.id, uow)
    assert read["documents"] == [{"kind": "business_license", "media_type": "application/pdf",
                                  "url": "/api/v1/identity/organisations/org-1/documents/doc-1"}]
    assert read["decision"]["reasons"] == [{"field": "name", "message": "不一致"}]
    assert [(h["action"], h["detail"]) for h in read["history"]] == [("created", {"event_id": "e-1"})]
    assert [t["id"] for t in read["case"]] == [first.id, second.id]
    # The snapshot is confidential: the read is audited, with what was read.
    assert [(e.action, e.subject_id, e.detail["kind"]) for e in uow.audit_log] == [
        ("task.read", second.id, "organisation")]


def test_a_resubmission_shows_the_previous_decisions_reasons_and_each_field_changed_since(uow):
    first = task(uow, kind="organisation", state="decided",
                 snapshot={"organisation_id": "org-1", "name": "深圳测试", "address": "南山区",
                           "requested_at": "2026-12-01T08:00:00+00:00"})
    uow.decisions.add(TaskDecision(first.id, "reject", (DecisionReason("address", "与执照不符"),), "rita",
                                   utcnow(), True))
    second = task(uow, kind="organisation", minutes_ago=10, case_id=first.id, previous_task_id=first.id,
                  snapshot={"organisation_id": "org-1", "name": "深圳测试", "address": "南山区粤海街道",
                            "requested_at": "2026-12-05T08:00:00+00:00"})
    since = task_views.read_task(second.id, uow)["since_previous"]
    assert (since["task_id"], since["outcome"]) == (first.id, "reject")
    assert since["reasons"] == [{"field": "address", "message": "与执照不符"}]
    assert since["changes"] == [{"field": "address", "before": "南山区", "after": "南山区粤海街道"}]
    assert task_views.read_task(first.id, uow)["since_previous"] is None  # a first submission


def test_an_unknown_task_is_not_found(uow):
    with pytest.raises(NotFound):
        task_views.read_task(str(uuid.uuid4()), uow)
    assert uow.audit_log == []


def test_the_queues_gauges_are_its_length_and_oldest_age_per_kind(uow):
    task(uow, minutes_ago=10)
    task(uow, kind="organisation", state="decided")
    figures = measure_queue(uow, service="review-unit")
    assert figures["product"][0] == 1 and figures["product"][1] >= 600
    assert figures["organisation"] == (0, 0.0)
    assert REGISTRY.get_sample_value("review_queue_tasks", {"service": "review-unit", "kind": "product"}) == 1


# --- a round read by staff, and in public ------------------------------------------------------

def test_a_staff_read_of_a_round_is_audited_with_the_caller(uow):
    found = round_in(uow, "evaluated", version=2)
    uow.results.replace(found.id, [], [result_of(found, "甲"), result_of(found, "乙", proposed=False)])
    read = round_views.read_round(found.id, uow)
    assert read["counts"] == {"opted_in": 2, "failed_formal_check": 0, "proposed": 1, "on_list": 1, "recognised": 0,
                              "pending_objections": 0}
    [entry] = uow.audit_log
    assert (entry.action, entry.subject_type, entry.subject_id, entry.detail) == (
        "round.read", "recognition_round", found.id, {"year": 2031})
    assert entry.actor == STAFF and uow.commits == 1


def test_a_staff_read_of_a_products_result_is_audited_and_a_missing_one_is_not(uow):
    found = round_in(uow, "evaluated")
    listed = result_of(found, "甲")
    uow.results.replace(found.id, [], [listed])
    assert round_views.read_result(found.id, listed.product_id, uow)["reasons"] == [
        "every indicator reaches its field's benchmark"]
    with pytest.raises(NotFound) as missing:
        round_views.read_result(found.id, str(uuid.uuid4()), uow)
    assert missing.value.slug == "result-not-found"
    assert [(e.action, e.subject_id) for e in uow.audit_log] == [("round.result.read", listed.product_id)]


def test_an_evidence_files_download_is_audited(uow):
    found = round_in(uow, "published")
    uow.objections.add(Objection("objection-1", found.id, "p", "理由", "erin", "enterprise", utcnow()))
    stored = StoredFile("a" * 64, "image/png", 10, "证据.png", "erin", utcnow())
    uow.evidence.add(ObjectionEvidence("evidence-1", "objection-1", stored))
    assert round_views.evidence_file(found.id, "objection-1", "evidence-1", uow).file == stored
    with pytest.raises(NotFound) as missing:
        round_views.evidence_file(found.id, "objection-1", "evidence-2", uow)
    assert missing.value.slug == "evidence-not-found"
    assert [(e.action, e.detail) for e in uow.audit_log] == [("evidence.read", {"round_id": found.id})]


def test_rounds_are_listed_newest_first_with_their_counts_and_pending_objections(uow):
    older = round_in(uow, "published", created_at=utcnow() - dt.timedelta(days=1))
    newer = round_in(uow, "open", year=2032)
    uow.results.replace(older.id, [], [result_of(older, "甲")])
    uow.objections.add(Objection("objection-1", older.id, "p", "理由", "erin", "enterprise", utcnow()))
    page = round_views.list_rounds(None, None, PageRequest(), uow)
    assert [r["id"] for r in page["items"]] == [newer.id, older.id] and page["total"] == 2
    assert [r["id"] for r in round_views.list_rounds(None, 2031, PageRequest(), uow)["items"]] == [older.id]
    assert (page["items"][1]["counts"]["on_list"], page["items"][1]["counts"]["pending_objections"]) == (1, 1)
    assert [r["id"] for r in round_views.list_rounds("open", None, PageRequest(), uow)["items"]] == [newer.id]
    assert uow.audit_log == []


def test_the_public_notice_shows_nothing_before_publication(uow):
    found = round_in(uow, "evaluated")
    with pytest.raises(NotFound, match="No published recognition round"):
        round_views.public_round(found.id, uow)


def test_the_public_notice_lists_the_products_that_stand_and_after_finalisation_those_recognised(uow):
    found = round_in(uow, "published", notice_ends_on=dt.date(2031, 5, 1), published_at=utcnow())
    kept, removed = result_of(found, "甲"), result_of(found, "乙", removed_by="objection-1")
    uow.results.replace(found.id, [], [kept, removed])
    notice = round_views.public_round(found.id, uow)
    assert [p["product_id"] for p in notice["products"]] == [kept.product_id]
    assert set(notice["products"][0]) == {"product_id", "name", "brand", "model", "organisation_name",
                                          "industry_code", "industry_name"}  # no figures in public
    uow.results.mark_recognised(found.id, [kept.product_id])
    uow.rounds.items[found.id].state = "finalised"
    assert [p["product_id"] for p in round_views.public_round(found.id, uow)["products"]] == [kept.product_id]
    assert uow.audit_log == []
