"""Objections during a round's public notice, handled with review's unit of work in memory:
raised against a product on the list only, evidence files from who raised it while the notice
runs (a refused file records nothing), and an operator's decision taking the product off the
list — each refusal leaving the round, the objection and the list as they were."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest

from platform_shared.errors import Conflict, Forbidden, NotFound, QuotaExceeded, RuleBroken
from platform_shared.moments import utcnow
from platform_shared.principal import Principal
from platform_shared.quotas import Quota, StorageQuota
from platform_shared.uploads import LocalContentStore, UnsupportedMediaType
from review.domain.commands import AddEvidence, DecideObjection, RaiseObjection
from review.domain.objections import MAX_EVIDENCE_FILES, Objection
from review.domain.rounds import RecognitionRound, RoundConflict
from review.service_layer import objections
from tests.support.fakes.review import FakeReviewUnitOfWork, result_of, round_in

pytestmark = pytest.mark.unit

MEMBER = Principal("erin", "enterprise", organisation_id="org-9")
OPERATOR = Principal("olga", "operator")
TODAY = dt.date(2031, 5, 1)
# Quotas with room for whatever a test does, where the quota is not what it is about.
ROOMY = Quota("open_objections", 1000)
ROOMY_EVIDENCE = StorageQuota(Quota("evidence_files", 1000), Quota("evidence_bytes", 10**9))
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


@pytest.fixture
def uow() -> FakeReviewUnitOfWork:
    return FakeReviewUnitOfWork()


@pytest.fixture
def store(tmp_path) -> LocalContentStore:
    return LocalContentStore(tmp_path / "evidence")


def noticed(uow: FakeReviewUnitOfWork) -> tuple[RecognitionRound, str, str]:
    """A round under public notice until TODAY with one product on its list and one off it."""
    found = round_in(uow, "published", version=3, notice_ends_on=TODAY, published_at=utcnow())
    listed, removed = result_of(found, "甲"), result_of(found, "乙", removed_by="objection-0")
    uow.results.replace(found.id, [], [listed, removed])
    return found, listed.product_id, removed.product_id


def raised(uow: FakeReviewUnitOfWork, found: RecognitionRound, product_id: str, state: str = "pending") -> Objection:
    objection = Objection(str(uuid.uuid4()), found.id, product_id, "权属存在争议", MEMBER.account_id, MEMBER.role,
                          utcnow(), state=state, owner=f"organisation:{MEMBER.organisation_id}")
    uow.objections.add(objection)
    return objection


def evidence(found: RecognitionRound, objection: Objection, content: bytes = PNG, by: Principal = MEMBER
             ) -> AddEvidence:
    return AddEvidence(found.id, objection.id, io.BytesIO(content), "证据.png", by)


# --- raising -----------------------------------------------------------------------------------

def test_anyone_signed_in_objects_to_a_product_on_the_list_during_the_notice(uow):
    found, listed, _ = noticed(uow)
    objection = objections.handle_raise_objection(RaiseObjection(found.id, listed, "权属存在争议", MEMBER), uow, TODAY,
                                                  quota=ROOMY)
    assert uow.objections.get(found.id, objection.id) == objection
    assert (objection.state, objection.raised_by, objection.raised_by_role) == ("pending", "erin", "enterprise")
    assert uow.commits == 1 and [e.type for e in uow.events] == ["review.objection.raised"]


@pytest.mark.parametrize("which", ["removed", "unknown"])
def test_an_objection_to_a_product_not_on_the_list_is_refused_naming_the_product(uow, which):
    found, _, removed = noticed(uow)
    product_id = removed if which == "removed" else str(uuid.uuid4())
    with pytest.raises(RuleBroken) as refused:
        objections.handle_raise_objection(RaiseObjection(found.id, product_id, "x", MEMBER), uow, TODAY, quota=ROOMY)
    assert (refused.value.slug, list(refused.value.errors)) == ("not-on-the-list", ["product_id"])
    assert uow.objections.items == {}


def test_no_objection_is_raised_after_the_notice_ended(uow):
    found, listed, _ = noticed(uow)
    with pytest.raises(RoundConflict, match="it ended on"):
        objections.handle_raise_objection(RaiseObjection(found.id, listed, "x", MEMBER), uow,
                                          TODAY + dt.timedelta(days=1), quota=ROOMY)
    assert uow.objections.items == {}


def test_no_objection_is_raised_in_an_unknown_round(uow):
    with pytest.raises(NotFound):
        objections.handle_raise_objection(RaiseObjection(str(uuid.uuid4()), "p", "x", MEMBER), uow, TODAY,
                                          quota=ROOMY)


def test_an_organisation_at_its_open_objections_quota_is_refused_but_its_decided_ones_do_not_count(uow):
    found, listed, _ = noticed(uow)
    colleague = Principal("emil", "enterprise", organisation_id=MEMBER.organisation_id)
    quota = Quota("open_objections", 2)

    def object_as(principal: Principal) -> Objection:
        command = RaiseObjection(found.id, listed, "权属存在争议", principal)
        return objections.handle_raise_objection(command, uow, TODAY, quota=quota)

    first = object_as(MEMBER)
    assert first.owner == "organisation:org-9"
    object_as(colleague)  # the organisation's, not the account's: colleagues share the quota
    with pytest.raises(QuotaExceeded) as refused:
        object_as(MEMBER)
    assert (refused.value.quota, refused.value.limit, refused.value.used, refused.value.owner) == (
        "open_objections", 2, 2, "organisation")
    # Staff without an organisation count as their own account.
    assert object_as(OPERATOR).owner == "account:olga"
    # Once an objection is decided it is no longer open.
    objections.handle_decide_objection(DecideObjection(found.id, first.id, False, "证据不足", OPERATOR), uow)
    assert object_as(MEMBER).state == "pending"
    assert len(uow.objections) == 4


# --- evidence ----------------------------------------------------------------------------------

def test_evidence_past_the_owners_quota_in_the_round_is_refused(uow, store):
    found, listed, _ = noticed(uow)
    first, second = raised(uow, found, listed), raised(uow, found, listed)
    files = StorageQuota(Quota("evidence_files", 2), Quota("evidence_bytes", 10**6))
    objections.handle_add_evidence(evidence(found, first), uow, store, 1024, TODAY, quota=files)
    objections.handle_add_evidence(evidence(found, second), uow, store, 1024, TODAY, quota=files)
    with pytest.raises(QuotaExceeded) as refused:  # across the owner's objections of the round
        objections.handle_add_evidence(evidence(found, second), uow, store, 1024, TODAY, quota=files)
    assert (refused.value.quota, refused.value.used) == ("evidence_files", 2)
    size = StorageQuota(Quota("evidence_files", 100), Quota("evidence_bytes", 2 * len(PNG) + 1))
    with pytest.raises(QuotaExceeded) as too_big:
        objections.handle_add_evidence(evidence(found, first, PNG + b"12"), uow, store, 1024, TODAY, quota=size)
    assert (too_big.value.quota, too_big.value.limit, too_big.value.used) == (
        "evidence_bytes", 2 * len(PNG) + 1, 2 * len(PNG))
    assert len(uow.evidence) == 2


def test_who_raised_an_objection_adds_evidence_stored_by_its_content(uow, store):
    found, listed, _ = noticed(uow)
    objection = raised(uow, found, listed)
    added = objections.handle_add_evidence(evidence(found, objection), uow, store, 1024, TODAY, quota=ROOMY_EVIDENCE)
    assert uow.evidence.get(objection.id, added.id) == added
    assert (added.file.media_type, added.file.size, added.file.original_name, added.file.uploaded_by) == (
        "image/png", len(PNG), "证据.png", "erin")
    assert store.exists(added.file.sha256)


def test_only_who_raised_the_objection_adds_evidence_and_the_file_is_not_even_stored(uow, store):
    found, listed, _ = noticed(uow)
    objection = raised(uow, found, listed)
    with pytest.raises(Forbidden):
        objections.handle_add_evidence(evidence(found, objection, by=OPERATOR), uow, store, 1024, TODAY,
                                       quota=ROOMY_EVIDENCE)
    assert uow.evidence.items == {} and not (store.folder.exists() and any(store.folder.rglob("*")))


def test_a_file_that_is_not_a_document_is_refused_under_its_field_and_nothing_is_recorded(uow, store):
    found, listed, _ = noticed(uow)
    objection = raised(uow, found, listed)
    with pytest.raises(UnsupportedMediaType) as refused:
        objections.handle_add_evidence(evidence(found, objection, b"MZ\x90\x00 an executable"), uow, store, 1024, TODAY,
                                       quota=ROOMY_EVIDENCE)
    assert list(refused.value.errors) == ["file"]
    assert uow.evidence.items == {}


@pytest.mark.parametrize(("state", "today", "slug"), [
    ("upheld", TODAY, "wrong-round-state"),
    ("pending", TODAY + dt.timedelta(days=1), "wrong-round-state"),
])
def test_evidence_comes_while_the_notice_runs_and_the_objection_is_undecided(uow, store, state, today, slug):
    found, listed, _ = noticed(uow)
    objection = raised(uow, found, listed, state=state)
    with pytest.raises(Conflict) as refused:
        objections.handle_add_evidence(evidence(found, objection), uow, store, 1024, today, quota=ROOMY_EVIDENCE)
    assert refused.value.slug == slug and uow.evidence.items == {}


def test_an_objection_carries_a_limited_number_of_evidence_files(uow, store):
    found, listed, _ = noticed(uow)
    objection = raised(uow, found, listed)
    for _ in range(MAX_EVIDENCE_FILES):
        objections.handle_add_evidence(evidence(found, objection), uow, store, 1024, TODAY, quota=ROOMY_EVIDENCE)
    with pytest.raises(Conflict) as refused:
        objections.handle_add_evidence(evidence(found, objection), uow, store, 1024, TODAY, quota=ROOMY_EVIDENCE)
    assert refused.value.slug == "too-much-evidence" and uow.evidence.count(objection.id) == MAX_EVIDENCE_FILES


# --- decisions ---------------------------------------------------------------------------------

def test_an_upheld_objection_takes_the_product_off_the_list(uow):
    found, listed, _ = noticed(uow)
    objection = raised(uow, found, listed)
    decided = objections.handle_decide_objection(DecideObjection(found.id, objection.id, True, "属实", OPERATOR),
                                                 uow)
    assert (decided.state, decided.decision_reason, decided.decided_by) == ("upheld", "属实", "olga")
    assert uow.objections.get(found.id, objection.id) == decided
    assert uow.results.get(found.id, listed).removed_by == objection.id
    assert uow.rounds.get(found.id).version == found.version + 1


def test_a_dismissed_objection_leaves_the_product_on_the_list(uow):
    found, listed, _ = noticed(uow)
    objection = raised(uow, found, listed)
    objections.handle_decide_objection(DecideObjection(found.id, objection.id, False, "证据不足", OPERATOR), uow)
    assert uow.objections.get(found.id, objection.id).state == "dismissed"
    assert uow.results.get(found.id, listed).on_list


def test_an_objection_is_decided_once_and_a_second_decision_changes_nothing(uow):
    found, listed, _ = noticed(uow)
    objection = raised(uow, found, listed, state="dismissed")
    with pytest.raises(RoundConflict, match="decided already"):
        objections.handle_decide_objection(DecideObjection(found.id, objection.id, True, "again", OPERATOR), uow)
    assert uow.results.get(found.id, listed).on_list and uow.rounds.get(found.id) == found


def test_an_objection_of_another_round_is_not_found(uow):
    found, listed, _ = noticed(uow)
    objection = raised(uow, found, listed)
    other = round_in(uow, "published", year=2032)
    with pytest.raises(NotFound) as missing:
        objections.handle_decide_objection(DecideObjection(other.id, objection.id, True, "x", OPERATOR), uow)
    assert missing.value.slug == "objection-not-found"
