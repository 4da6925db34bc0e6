"""identity's handlers of organisations, with its unit of work in memory: registration (a USCC
or e-mail once), reading (staff audited, strangers told nothing), correcting (only while
registered or rejected, only the version read), documents (stored, listed, downloaded; staff
audited), asking for verification (documents, registry, outage), and review's decisions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import uuid

import pytest

from identity.domain.commands import CorrectOrganisation, RegisterOrganisation, RequestVerification, UploadDocument
from identity.service_layer import decisions, documents, organisations, registration, verification
from platform_shared.errors import Conflict, NotFound, QuotaExceeded, RuleBroken, Unavailable
from platform_shared.events.contracts import build_event
from platform_shared.moments import utcnow
from platform_shared.pages import PageRequest
from platform_shared.principal import Principal
from platform_shared.quotas import Quota, StorageQuota
from platform_shared.uploads import LocalContentStore, TooLarge, UnsupportedMediaType
from tests.support.fakes.identity import (
    FakeCipher,
    FakeHasher,
    FakeIdentityUnitOfWork,
    FakeRegistry,
    document_in,
    organisation_in,
)

pytestmark = pytest.mark.unit

REVIEWER = Principal("rita", "reviewer")
STRANGER = Principal("sam", "enterprise", organisation_id="elsewhere")
# A quota with room for whatever a test uploads, where the quota is not what it is about.
ROOMY = StorageQuota(Quota("document_files", 1000), Quota("document_bytes", 10**9))
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def uow() -> FakeIdentityUnitOfWork:
    return FakeIdentityUnitOfWork()


def member_of(organisation) -> Principal:
    return Principal(f"member-of-{organisation.id}", "enterprise", organisation_id=organisation.id)


def registering(uscc: str = "91440300MA5FXT4K8Q", email: str = "First@Example.CN") -> RegisterOrganisation:
    return RegisterOrganisation(
        name="深圳测试科技有限公司", uscc=uscc, kind="enterprise", province_code="440000", city_code="440300",
        address="深圳市南山区", legal_representative_name="张三", legal_representative_id_number="11010519491231002X",
        contact_name="李四", contact_phone="13800138000", contact_email="contact@example.cn",
        account_email=email, account_password="first account secret")


# --- registration ------------------------------------------------------------------------------------

def test_registration_stores_the_organisation_its_first_account_and_one_event(uow):
    organisation = registration.handle_register_organisation(registering(), uow, FakeCipher(), FakeHasher())
    stored = uow.organisations.get(organisation.id)
    assert (stored.status, stored.version, stored.legal_representative_id_masked) == (
        "registered", 1, "110105********002X")
    assert FakeCipher().decrypt(stored.legal_representative_id_encrypted) == "11010519491231002X"
    [account] = list(uow.accounts)
    assert (account.email, account.role, account.organisation_id) == ("first@example.cn", "enterprise", stored.id)
    assert FakeHasher().verify(account.password_hash, "first account secret")
    [event] = uow.events
    assert event.type == "identity.organisation.registered" and event.data["account_id"] == account.id
    assert event.data["account_email"] == "first@example.cn" and event.aggregate_version == 1


def test_a_registered_uscc_conflicts_and_stores_nothing(uow):
    registration.handle_register_organisation(registering(), uow, FakeCipher(), FakeHasher())
    with pytest.raises(Conflict) as uscc:
        registration.handle_register_organisation(registering(email="other@example.cn"), uow, FakeCipher(),
                                                  FakeHasher())
    assert (uscc.value.slug, list(uscc.value.errors)) == ("organisation-already-registered", ["uscc"])
    assert len(uow.organisations) == 1 and len(uow.accounts) == 1 and len(uow.events) == 1


def test_a_held_uscc_conflicts_before_the_e_mail_is_looked_at(uow):
    """The 409 for a USCC says nothing of the address: the same with a known or an unknown one."""
    registration.handle_register_organisation(registering(), uow, FakeCipher(), FakeHasher())
    for email in ("first@example.cn", "nobody@example.cn"):
        with pytest.raises(Conflict) as uscc:
            registration.handle_register_organisation(registering(email=email), uow, FakeCipher(), FakeHasher())
        assert uscc.value.slug == "organisation-already-registered"
    assert len(uow.events) == 1


def test_a_registration_with_a_known_e_mail_stores_nothing_and_tells_the_holder_only(uow):
    registration.handle_register_organisation(registering(), uow, FakeCipher(), FakeHasher())
    holder = next(iter(uow.accounts))
    again = registration.handle_register_organisation(registering(uscc="91110000600037341L", email="First@example.cn"),
                                                      uow, FakeCipher(), FakeHasher())
    assert again is None
    assert len(uow.organisations) == 1 and len(uow.accounts) == 1
    told = uow.events[-1]
    assert told.type == "identity.account.registration_attempted"
    assert (told.data["account_id"], told.data["email"]) == (holder.id, "first@example.cn")
    assert "password" not in str(told.data)


def test_a_registration_that_lost_the_race_for_the_uscc_is_the_same_conflict(uow, monkeypatch):
    registration.handle_register_organisation(registering(), uow, FakeCipher(), FakeHasher())
    monkeypatch.setattr(uow.organisations, "uscc_taken", lambda uscc: False)  # not committed when asked
    with pytest.raises(Conflict) as raced:
        registration.handle_register_organisation(registering(email="other@example.cn"), uow, FakeCipher(),
                                                  FakeHasher())
    assert raced.value.slug == "organisation-already-registered" and len(uow.accounts) == 1


# --- reading and correcting ----------------------------------------------------------------------------

def test_members_and_staff_read_the_organisation_staff_reads_are_audited_strangers_find_nothing(uow):
    organisation = organisation_in(uow, "rejected")
    uow.decisions.add(decisions_row(organisation.id, "reject", [{"field": "name", "message": "与执照不符"}]))
    shown = organisations.read_organisation(organisation.id, member_of(organisation), uow)
    assert shown["legal_representative"] == {"name": "张三", "id_number": "110105********002X"}
    assert shown["last_rejection"]["reasons"] == [{"field": "name", "message": "与执照不符"}]
    assert uow.audit_log == []
    organisations.read_organisation(organisation.id, REVIEWER, uow)
    assert uow.audit_actions() == ["organisation.read"]
    for principal, organisation_id in ((STRANGER, organisation.id), (REVIEWER, "unknown")):
        with pytest.raises(NotFound) as hidden:
            organisations.read_organisation(organisation_id, principal, uow)
        assert hidden.value.slug == "organisation-not-found"


def decisions_row(organisation_id: str, outcome: str, reasons: list[dict[str, str]]):
    from identity.domain.model import OrganisationDecision

    return OrganisationDecision(id=str(uuid.uuid4()), organisation_id=organisation_id, task_id=str(uuid.uuid4()),
                                outcome=outcome, reviewer_id="rita", decided_at=utcnow(), applied_at=utcnow(),
                                event_id=str(uuid.uuid4()), reasons=reasons)


def correcting(organisation, **changes) -> CorrectOrganisation:
    return CorrectOrganisation(organisation_id=organisation.id, principal=member_of(organisation),
                               fields=tuple(sorted(changes)), **changes)


def test_a_correction_changes_the_fields_given_raises_the_version_and_is_audited(uow):
    organisation = organisation_in(uow)
    corrected = organisations.handle_correct_organisation(
        correcting(organisation, name="深圳新名称有限公司", legal_representative_id_number="110101199003074477",
                   city_code="440300"), uow, FakeCipher())
    assert (corrected.name, corrected.version, corrected.address) == ("深圳新名称有限公司", 2, organisation.address)
    assert corrected.legal_representative_id_masked == "110101********4477"
    assert FakeCipher().decrypt(corrected.legal_representative_id_encrypted) == "110101199003074477"
    assert uow.audit_actions() == ["organisation.corrected"]
    assert uow.audit_log[0].detail == {"fields": ["city_code", "legal_representative_id_number", "name"]}
    cleared = organisations.handle_correct_organisation(
        dataclasses.replace(correcting(organisation), clear_city_code=True), uow, FakeCipher())
    assert cleared.city_code is None and cleared.version == 3


def test_a_correction_is_refused_under_review_in_another_province_or_after_a_concurrent_change(uow, monkeypatch):
    pending = organisation_in(uow, "pending_review")
    with pytest.raises(Conflict) as under_review:
        organisations.handle_correct_organisation(correcting(pending, name="新"), uow, FakeCipher())
    assert under_review.value.slug == "organisation-not-correctable"
    organisation = organisation_in(uow)
    with pytest.raises(RuleBroken) as elsewhere:
        organisations.handle_correct_organisation(correcting(organisation, city_code="110100"), uow, FakeCipher())
    assert list(elsewhere.value.errors) == ["city_code"]
    with pytest.raises(NotFound):
        organisations.handle_correct_organisation(
            dataclasses.replace(correcting(organisation, name="新"), principal=STRANGER), uow, FakeCipher())
    monkeypatch.setattr(uow.organisations, "change", lambda *args: False)  # someone else changed it meanwhile
    with pytest.raises(Conflict) as changed:
        organisations.handle_correct_organisation(correcting(organisation, name="新"), uow, FakeCipher())
    assert changed.value.slug == "organisation-changed"
    assert uow.organisations.get(organisation.id).name == organisation.name and uow.audit_log == []


# --- documents ---------------------------------------------------------------------------------------------

@pytest.fixture
def store(tmp_path) -> LocalContentStore:
    return LocalContentStore(tmp_path / "documents")


def test_a_member_uploads_a_document_stored_by_its_content(uow, store):
    organisation = organisation_in(uow)
    command = UploadDocument(organisation.id, "business_license", io.BytesIO(PDF), "执照.pdf", member_of(organisation))
    document = documents.handle_upload_document(command, uow, store, max_bytes=1024, quota=ROOMY)
    assert (document.file.media_type, document.file.size, document.file.original_name) == (
        "application/pdf", len(PDF), "执照.pdf")
    assert store.exists(document.file.sha256) and uow.documents.get(organisation.id, document.id) == document


@pytest.mark.parametrize(("content", "refusal"), [(b"MZ\x90\x00 not a document", UnsupportedMediaType),
                                                  (PDF + b" " * 2048, TooLarge)])
def test_a_refused_file_leaves_nothing_behind(uow, store, content, refusal):
    organisation = organisation_in(uow)
    with pytest.raises(refusal) as refused:
        documents.handle_upload_document(UploadDocument(organisation.id, "business_license", io.BytesIO(content),
                                                        None, member_of(organisation)), uow, store, max_bytes=1024,
                                         quota=ROOMY)
    assert list(refused.value.errors) == ["file"]
    assert len(uow.documents) == 0
    assert not store.folder.exists() or not [p for p in store.folder.rglob("*") if p.is_file()]


def test_an_organisation_past_its_document_quota_is_refused_and_others_are_not(uow, store):
    organisation, other = organisation_in(uow), organisation_in(uow)
    quota = StorageQuota(Quota("document_files", 2), Quota("document_bytes", 10 * len(PDF)))

    def upload(owner, content: bytes = PDF):
        return documents.handle_upload_document(
            UploadDocument(owner.id, "business_license", io.BytesIO(content), None, member_of(owner)),
            uow, store, max_bytes=1024, quota=quota)

    upload(organisation), upload(organisation)
    with pytest.raises(QuotaExceeded) as refused:
        upload(organisation)
    assert (refused.value.slug, refused.value.quota, refused.value.limit, refused.value.used) == (
        "quota-exceeded", "document_files", 2, 2)
    assert len(uow.documents) == 2
    upload(other)  # the quota is the organisation's own
    # Bytes count too: one file that would pass the byte quota is refused, nothing recorded.
    roomy_in_files = StorageQuota(Quota("document_files", 100), Quota("document_bytes", 2 * len(PDF) + 10))
    with pytest.raises(QuotaExceeded) as too_big:
        documents.handle_upload_document(
            UploadDocument(organisation.id, "integrity_commitment", io.BytesIO(PDF + b" " * 20), None,
                           member_of(organisation)), uow, store, max_bytes=1024, quota=roomy_in_files)
    assert (too_big.value.quota, too_big.value.limit, too_big.value.used) == (
        "document_bytes", 2 * len(PDF) + 10, 2 * len(PDF))
    assert len(uow.documents) == 3


def test_only_members_upload(uow, store):
    organisation = organisation_in(uow)
    with pytest.raises(NotFound):
        documents.handle_upload_document(UploadDocument(organisation.id, "business_license", io.BytesIO(PDF), None,
                                                        REVIEWER), uow, store, max_bytes=1024, quota=ROOMY)


def test_documents_are_listed_newest_first_and_downloads_by_staff_are_audited(uow):
    organisation = organisation_in(uow)
    older = document_in(uow, organisation.id, "business_license", utcnow() - dt.timedelta(hours=1))
    newer = document_in(uow, organisation.id, "integrity_commitment")
    page = documents.documents_of(organisation.id, None, member_of(organisation), PageRequest(), uow)
    assert [d.id for d in page.items] == [newer.id, older.id] and uow.audit_log == []
    licences = documents.documents_of(organisation.id, "business_license", REVIEWER, PageRequest(), uow)
    assert [d.id for d in licences.items] == [older.id]
    assert uow.audit_actions() == ["document.list"] and uow.audit_log[0].detail == {"documents": [older.id]}
    assert documents.document_to_download(organisation.id, newer.id, REVIEWER, uow) == newer
    assert uow.audit_actions()[-1] == "document.read"
    with pytest.raises(NotFound) as unknown:
        documents.document_to_download(organisation.id, "unknown", REVIEWER, uow)
    assert unknown.value.slug == "document-not-found"
    with pytest.raises(NotFound):
        documents.documents_of(organisation.id, None, STRANGER, PageRequest(), uow)


# --- asking for verification ----------------------------------------------------------------------------------

def ready(uow, status: str = "registered"):
    organisation = organisation_in(uow, status)
    for kind in ("business_license", "integrity_commitment"):
        document_in(uow, organisation.id, kind)
    return organisation


def test_verification_checks_the_registry_then_queues_the_organisation_for_review(uow):
    organisation = ready(uow, "rejected")
    registry = FakeRegistry()
    asked = verification.handle_request_verification(RequestVerification(organisation.id, member_of(organisation)),
                                                     uow, registry, FakeCipher())
    assert (asked.status, asked.version) == ("pending_review", 2)
    assert registry.asked[0].legal_representative_id_number == "11010519491231002X"
    [event] = uow.events
    assert event.type == "identity.organisation.verification_requested" and event.aggregate_version == 2
    assert sorted(d["kind"] for d in event.data["documents"]) == ["business_license", "integrity_commitment"]


def test_verification_needs_the_mandatory_documents(uow):
    organisation = organisation_in(uow)
    document_in(uow, organisation.id, "business_license")
    with pytest.raises(RuleBroken) as missing:
        verification.handle_request_verification(RequestVerification(organisation.id, member_of(organisation)),
                                                 uow, FakeRegistry(), FakeCipher())
    assert (missing.value.slug, list(missing.value.errors)) == ("documents-missing", ["documents.integrity_commitment"])
    assert uow.events == []


def test_a_disagreeing_registry_a_registry_down_or_the_wrong_status_change_nothing(uow):
    organisation = ready(uow)
    ask = RequestVerification(organisation.id, member_of(organisation))
    with pytest.raises(RuleBroken) as disagreed:
        verification.handle_request_verification(ask, uow, FakeRegistry({"name": ["不符"]}), FakeCipher())
    assert (disagreed.value.slug, disagreed.value.errors) == ("real-name-check-failed", {"name": ["不符"]})
    with pytest.raises(Unavailable) as down:
        verification.handle_request_verification(ask, uow, FakeRegistry(down=True), FakeCipher())
    assert (down.value.slug, down.value.retry_after) == ("registry-unavailable", 30)
    verified = ready(uow, "verified")
    with pytest.raises(Conflict) as refused:
        verification.handle_request_verification(RequestVerification(verified.id, member_of(verified)), uow,
                                                 FakeRegistry(), FakeCipher())
    assert refused.value.slug == "verification-not-allowed"
    assert uow.events == [] and uow.organisations.get(organisation.id).status == "registered"


def test_an_organisation_changed_while_the_registry_was_asked_must_ask_again(uow, monkeypatch):
    organisation = ready(uow)
    monkeypatch.setattr(uow.organisations, "change", lambda *args: False)
    with pytest.raises(Conflict) as changed:
        verification.handle_request_verification(RequestVerification(organisation.id, member_of(organisation)),
                                                 uow, FakeRegistry(), FakeCipher())
    assert changed.value.slug == "organisation-changed" and uow.events == []


# --- review's decisions --------------------------------------------------------------------------------------

def decision(organisation_id: str, outcome: str, task_id: str | None = None, kind: str = "organisation"):
    return build_event("review.decision.made", {
        "task_id": task_id or str(uuid.uuid4()), "kind": kind, "subject_id": organisation_id, "outcome": outcome,
        "reasons": [] if outcome == "approve" else [{"field": "name", "message": "与营业执照不一致"}],
        "reviewer_id": str(uuid.uuid4()), "decided_at": dt.datetime.now(dt.UTC).isoformat()},
        producer="review", aggregate_id=str(uuid.uuid4()), aggregate_version=2, correlation_id="corr-1")


def returned(event):
    """A decision no organisation can take (its contract refuses it; a handler must not trust that)."""
    return dataclasses.replace(event, data={**event.data, "outcome": "return"})


def deliver(uow, event) -> None:
    with uow:
        decisions.on_decision_made(event, uow)


@pytest.mark.parametrize(("outcome", "status"), [("approve", "verified"), ("reject", "rejected")])
def test_a_decision_verifies_or_rejects_the_organisation_with_its_event_and_audit_entry(uow, outcome, status):
    organisation = organisation_in(uow, "pending_review", version=2)
    event = decision(organisation.id, outcome)
    deliver(uow, event)
    stored = uow.organisations.get(organisation.id)
    assert (stored.status, stored.version) == (status, 3)
    assert uow.event_types() == [f"identity.organisation.{status}"] and uow.events[0].aggregate_version == 3
    assert uow.audit_actions() == [f"organisation.{status}"]
    actor = uow.audit_log[0].actor
    assert (actor.account_id, actor.role, actor.request_id) == (event.data["reviewer_id"], "reviewer", "corr-1")
    assert uow.decisions.task_decided(event.data["task_id"])
    if outcome == "reject":
        assert organisations.organisation_view(stored, uow)["last_rejection"]["reasons"] == event.data["reasons"]


def test_decisions_that_do_not_fit_are_acknowledged_without_effect(uow):
    pending = organisation_in(uow, "pending_review")
    registered = organisation_in(uow)
    task_id = str(uuid.uuid4())
    deliver(uow, decision(pending.id, "approve", task_id))
    pending_again = organisation_in(uow, "pending_review")
    for event in (decision(registered.id, "approve"), decision("unknown", "approve"),
                  returned(decision(pending_again.id, "approve")), decision(pending_again.id, "approve", task_id),
                  decision(pending_again.id, "approve", kind="product")):
        deliver(uow, event)
    assert uow.event_types() == ["identity.organisation.verified"]
    assert uow.organisations.get(pending_again.id).status == "pending_review"
    assert uow.organisations.get(registered.id).status == "registered"
