"""Real-name verification through the embedded platform: register → upload the documents →
ask for verification → review's task → review's decision → `verified` or `rejected`; and what
is refused on the way (wrong files, oversize files, strangers, missing documents, a registry
that disagrees or cannot be reached), with nothing stored or published when refused."""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import replace

import pytest

from tests.support.embedded import eventually
from tests.support.members import (  # noqa: F401 - the helpers these tests share with filing's
    API,
    PASSWORD,
    PDF,
    PNG,
    Member,
    bearer,
    decide,
    new_uscc,
    open_task,
    pending_member,
    staff_token,
    wait_for_status,
)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00" + b"\x00" * 200
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 200


def identity_rows(platform, query):
    with platform.runtimes["identity"].database.connection_context():
        return list(query())


def outbox_events(platform, organisation_id: str, event_type: str) -> list[dict]:
    from identity.adapters.orm import Outbox

    rows = identity_rows(platform, lambda: Outbox.select().where(Outbox.type == event_type))
    events = [json.loads(row.body) for row in rows]
    return [e for e in events if e["aggregate_id"] == organisation_id]


def settle(platform, client, operator_token) -> None:
    """Wait until identity's decision queue has handled everything published so far: decisions
    are consumed in order, so once a decision published now took effect, earlier ones did."""
    sentinel = pending_member(client)
    task = open_task(platform, client, operator_token, sentinel.id)
    decide(platform, task["id"], sentinel.id, "approve")
    wait_for_status(sentinel, "verified")


def audit_entries(platform, action: str, subject_id: str) -> list:
    from identity.adapters.orm import AuditLog

    return identity_rows(platform, lambda: AuditLog.select().where(
        (AuditLog.action == action) & (AuditLog.subject_id == subject_id)))


def stored_files(platform) -> set:
    folder = platform.runtimes["identity"].dependencies.document_store.folder
    return {p for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def document_count(platform) -> int:
    from identity.adapters.orm import Document

    with platform.runtimes["identity"].database.connection_context():
        return Document.select().count()


@pytest.fixture
def reviewer_token(platform, client) -> str:
    return staff_token(platform, client, "reviewer")


# --- the whole flow ----------------------------------------------------------------------------

def test_register_upload_verify_review_and_approve(platform, client, operator_token):
    member = Member(client)
    without = member.ask()
    assert without.status_code == 422
    assert set(without.get_json()["errors"]) == {"documents.business_license", "documents.integrity_commitment"}
    assert member.organisation()["status"] == "registered"

    documents = member.upload_mandatory()
    assert [d["media_type"] for d in documents] == ["application/pdf", "image/png"]
    only_one = Member(client)
    only_one.upload("business_license")
    assert set(only_one.ask().get_json()["errors"]) == {"documents.integrity_commitment"}

    asked = member.ask()
    assert asked.status_code == 202 and asked.get_json() == {"status": "pending_review"}
    organisation = member.organisation()
    assert (organisation["status"], organisation["version"]) == ("pending_review", 2)
    [requested] = outbox_events(platform, member.id, "identity.organisation.verification_requested")
    assert requested["aggregate_version"] == 2
    assert requested["data"]["uscc"] == member.uscc
    assert sorted(requested["data"]["documents"], key=lambda d: d["kind"]) == sorted(
        [{"id": d["id"], "kind": d["kind"], "sha256": d["sha256"], "media_type": d["media_type"]}
         for d in documents], key=lambda d: d["kind"])
    assert member.ask().status_code == 409  # already under review

    task = open_task(platform, client, operator_token, member.id)
    from review.adapters.orm import ReviewTask

    with platform.runtimes["review"].database.connection_context():
        snapshot = json.loads(ReviewTask.get_by_id(task["id"]).snapshot)
    assert {d["id"] for d in snapshot["documents"]} == {d["id"] for d in documents}

    reviewer_id = str(uuid.uuid4())
    decide(platform, task["id"], member.id, "approve", reviewer_id=reviewer_id)
    verified = wait_for_status(member, "verified")
    assert verified["version"] == 3 and verified["last_rejection"] is None
    assert verified["registered_at"].endswith("+00:00")
    [event] = outbox_events(platform, member.id, "identity.organisation.verified")
    assert event["aggregate_version"] == 3 and event["data"]["uscc"] == member.uscc
    [entry] = audit_entries(platform, "organisation.verified", member.id)
    assert entry.actor_id == reviewer_id
    assert member.ask().status_code == 409  # verified: nothing to ask for

    from filing.adapters.orm import OrganisationView

    def known_verified_to_filing():
        with platform.runtimes["filing"].database.connection_context():
            view = OrganisationView.get_or_none(OrganisationView.organisation_id == member.id)
        return view if view is not None and view.status == "verified" else None

    assert eventually(known_verified_to_filing)


def test_a_rejection_shows_its_reasons_and_the_corrected_organisation_asks_again(platform, client,
                                                                                 operator_token):
    member = pending_member(client)
    assert member.client.patch(f"{API}/organisations/{member.id}", headers=member.auth,
                               json={"name": "改名"}).status_code == 409  # under review: data frozen
    task = open_task(platform, client, operator_token, member.id)
    reasons = [{"field": "name", "message": "营业执照上的名称与填写的名称不一致"}]
    decide(platform, task["id"], member.id, "reject", reasons)
    rejected = wait_for_status(member, "rejected")
    assert rejected["last_rejection"]["reasons"] == reasons
    assert rejected["version"] == 3
    [event] = outbox_events(platform, member.id, "identity.organisation.rejected")
    assert event["data"]["reasons"] == reasons
    assert len(audit_entries(platform, "organisation.rejected", member.id)) == 1

    corrected = client.patch(f"{API}/organisations/{member.id}", headers=member.auth, json={
        "name": "深圳测试科技股份有限公司", "city_code": "440305",
        "legal_representative": {"name": "李明", "id_number": "11010519491231002x"}})
    assert corrected.status_code == 200, corrected.get_json()
    body = corrected.get_json()
    assert (body["name"], body["city_code"], body["status"], body["version"]) == (
        "深圳测试科技股份有限公司", "440305", "rejected", 4)
    assert body["legal_representative"] == {"name": "李明", "id_number": "110105********002X"}

    assert member.ask().status_code == 202
    again = member.organisation()
    assert (again["status"], again["version"]) == ("pending_review", 5)
    assert again["last_rejection"]["reasons"] == reasons  # the newest rejection stays visible
    requests = outbox_events(platform, member.id, "identity.organisation.verification_requested")
    assert [r["data"]["name"] for r in requests] == ["深圳测试科技有限公司", "深圳测试科技股份有限公司"]


@pytest.mark.parametrize(("change", "field"), [
    ({"legal_representative": {"name": "x", "id_number": "110105194912310021"}}, "legal_representative.id_number"),
    ({"city_code": "110105"}, "city_code"),
    ({"contact": {"name": "x", "phone": "12345", "email": "zhang@example.cn"}}, "contact.phone"),
    ({"uscc": "914403001922038216"}, "uscc"),
    ({"name": ""}, "name"),
])
def test_a_correction_is_checked_as_at_registration(platform, client, change, field):
    member = Member(client)
    response = client.patch(f"{API}/organisations/{member.id}", headers=member.auth, json=change)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert member.organisation()["version"] == 1


def test_a_redelivered_rejection_has_no_second_effect(platform, client, operator_token):
    from identity.adapters.orm import Inbox, OrganisationDecision
    from review.adapters.orm import Outbox as ReviewOutbox

    member = pending_member(client)
    task = open_task(platform, client, operator_token, member.id)
    rejection = decide(platform, task["id"], member.id, "reject", [{"field": "documents", "message": "看不清"}])
    wait_for_status(member, "rejected")
    assert member.ask().status_code == 202  # asks again: pending_review, where a rejection would apply

    # The broker hands the same rejection over once more (same event id).
    review = platform.runtimes["review"]
    with review.database.connection_context():
        ReviewOutbox.update(published_at=None).where(ReviewOutbox.event_id == rejection.id).execute()
    eventually(lambda: identity_rows(platform, lambda: ReviewOutbox.select().where(
        (ReviewOutbox.event_id == rejection.id) & ReviewOutbox.published_at.is_null(False))))
    settle(platform, client, operator_token)

    organisation = member.organisation()
    assert (organisation["status"], organisation["version"]) == ("pending_review", 4)
    assert len(outbox_events(platform, member.id, "identity.organisation.rejected")) == 1
    assert len(identity_rows(platform, lambda: OrganisationDecision.select().where(
        OrganisationDecision.organisation == member.id))) == 1
    assert len(identity_rows(platform, lambda: Inbox.select().where(Inbox.event_id == rejection.id))) == 1


def test_a_second_decision_on_an_already_decided_task_is_ignored(platform, client, operator_token):
    member = pending_member(client)
    old_task = open_task(platform, client, operator_token, member.id)
    decide(platform, old_task["id"], member.id, "reject", [{"field": "name", "message": "不一致"}])
    wait_for_status(member, "rejected")
    assert member.ask().status_code == 202
    # A stale decision on the first task (a new event, so the inbox lets it through) must not
    # decide the new request.
    from identity.adapters.orm import Inbox

    stale = decide(platform, old_task["id"], member.id, "approve")
    settle(platform, client, operator_token)
    organisation = member.organisation()
    assert (organisation["status"], organisation["version"]) == ("pending_review", 4)
    assert outbox_events(platform, member.id, "identity.organisation.verified") == []
    # Acknowledged as handled, not failed towards the dead-letter queue.
    assert identity_rows(platform, lambda: Inbox.select().where(Inbox.event_id == stale.id))


def test_decisions_that_do_not_fit_are_acknowledged_without_effect(platform, client, operator_token):
    from identity.adapters.orm import Inbox

    registered = Member(client)  # never asked for verification
    unfit = [decide(platform, str(uuid.uuid4()), registered.id, "approve"),
             decide(platform, str(uuid.uuid4()), str(uuid.uuid4()), "reject", [{"field": "x", "message": "y"}])]
    settle(platform, client, operator_token)
    assert registered.organisation()["status"] == "registered"
    assert outbox_events(platform, registered.id, "identity.organisation.verified") == []
    # Handled (not failed and retried towards the dead-letter queue): each is in the inbox.
    handled = identity_rows(platform, lambda: Inbox.select().where(Inbox.event_id.in_([e.id for e in unfit])))
    assert len(handled) == 2


# --- the registry ------------------------------------------------------------------------------

@pytest.fixture
def registry(platform):
    """Swap identity's configured registry for the test, and put the original back."""
    identity = platform.runtimes["identity"]
    original = identity.dependencies

    def use(registry_adapter):
        identity.dependencies = replace(original, registry=registry_adapter)

    yield use
    identity.dependencies = original


def test_a_file_registry_that_disagrees_is_a_422_naming_the_fields_and_changes_nothing(platform, client,
                                                                                    registry, tmp_path):
    from identity.adapters.registry import FileRegistry

    member = Member(client, name="深圳文件核验有限公司")
    member.upload_mandatory()
    csv_file = tmp_path / "registry.csv"
    csv_file.write_text(f"uscc,name,legal_representative\n{member.uscc},深圳文件核验有限公司,王五\n",
                        encoding="utf-8")
    registry(FileRegistry(csv_file))
    refused = member.ask()
    assert refused.status_code == 422
    assert set(refused.get_json()["errors"]) == {"legal_representative.name"}
    assert "file registry" in refused.get_json()["detail"]
    assert member.organisation()["status"] == "registered"
    assert outbox_events(platform, member.id, "identity.organisation.verification_requested") == []

    csv_file.write_text(f"uscc,name,legal_representative\n{member.uscc},深圳文件核验有限公司,赵明路\n",
                        encoding="utf-8")
    assert member.ask().status_code == 202


def test_an_unreachable_registry_is_a_503_and_changes_nothing(platform, client, registry):
    import socket

    from identity.adapters.registry import HttpRegistry

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    member = Member(client)
    member.upload_mandatory()
    registry(HttpRegistry(f"http://127.0.0.1:{port}", timeout=1))
    response = member.ask()
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    assert response.headers["Retry-After"]
    assert member.organisation()["status"] == "registered"
    assert outbox_events(platform, member.id, "identity.organisation.verification_requested") == []


# --- documents ---------------------------------------------------------------------------------

def test_a_document_is_listed_and_downloaded_with_its_real_type_as_an_attachment(platform, client,
                                                                                 operator_token):
    member = Member(client)
    uploaded = member.upload("authorization_letter", JPEG, "../../etc/授权书.pdf", "application/pdf")
    assert uploaded.status_code == 201
    document = uploaded.get_json()
    assert document["media_type"] == "image/jpeg"  # its bytes, not its name or declared type
    assert document["original_name"] == "授权书.pdf"
    listing = client.get(f"{API}/organisations/{member.id}/documents", headers=member.auth).get_json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == document["id"]

    download = client.get(document["url"], headers=member.auth)
    assert download.status_code == 200
    assert download.get_data() == JPEG
    assert download.mimetype == "image/jpeg"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "etc" not in disposition and "授权书" not in disposition
    assert audit_entries(platform, "document.read", document["id"]) == []  # members' reads are theirs

    staff = client.get(document["url"], headers=bearer(operator_token))
    assert staff.status_code == 200 and staff.get_data() == JPEG
    [entry] = audit_entries(platform, "document.read", document["id"])
    assert entry.actor_role == "operator"


def test_reviewers_read_organisations_and_documents_and_each_read_is_audited(platform, client, reviewer_token):
    member = Member(client)
    [licence, _] = member.upload_mandatory()
    organisation = client.get(f"{API}/organisations/{member.id}", headers=bearer(reviewer_token))
    assert organisation.status_code == 200
    assert organisation.get_json()["legal_representative"]["id_number"] == "110105********002X"
    assert "11010519491231002X" not in organisation.get_data(as_text=True)
    listing = client.get(f"{API}/organisations/{member.id}/documents", headers=bearer(reviewer_token))
    assert listing.get_json()["total"] == 2
    assert client.get(licence["url"], headers=bearer(reviewer_token)).get_data() == PDF
    [entry] = audit_entries(platform, "document.read", licence["id"])
    assert entry.actor_role == "reviewer"
    assert len(audit_entries(platform, "organisation.read", member.id)) == 1
    # Reviewers read; they do not upload or ask on an organisation's behalf.
    assert client.post(f"{API}/organisations/{member.id}/verification",
                       headers=bearer(reviewer_token)).status_code == 403


@pytest.mark.parametrize(("content", "filename", "content_type"), [
    (ELF, "licence.pdf", "application/pdf"),
    (ZIP, "licence.pdf", "application/pdf"),
    (b"<html><script>alert(1)</script></html>", "licence.png", "image/png"),
    (b"", "empty.pdf", "application/pdf"),
], ids=["elf-renamed-pdf", "zip-renamed-pdf", "html-as-png", "empty"])
def test_a_file_that_is_not_really_pdf_jpeg_or_png_is_a_415_and_nothing_is_stored(platform, client, content,
                                                                                   filename, content_type):
    member = Member(client)
    before = (document_count(platform), stored_files(platform))
    response = member.upload("business_license", content, filename, content_type)
    assert response.status_code == 415
    assert response.content_type == "application/problem+json"
    assert (document_count(platform), stored_files(platform)) == before


def test_a_file_over_ten_megabytes_is_a_413_and_nothing_is_stored(platform, client):
    from platform_shared.uploads import DEFAULT_MAX_BYTES

    member = Member(client)
    before = (document_count(platform), stored_files(platform))
    response = member.upload("business_license", PDF + b"\x00" * (DEFAULT_MAX_BYTES + 1 - len(PDF)))
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"
    assert (document_count(platform), stored_files(platform)) == before
    huge = member.upload("business_license", PDF + b"\x00" * (DEFAULT_MAX_BYTES + 128 * 1024))
    assert huge.status_code == 413  # refused by its Content-Length before anything is read
    assert (document_count(platform), stored_files(platform)) == before


@pytest.mark.parametrize("form", [
    {"kind": "passport", "file": True}, {}, {"file": True}, {"kind": "business_license"},
    {"kind": "business_license", "file": "not a file"}, {"kind": "business_license", "file": True, "extra": "x"},
], ids=["unknown-kind", "nothing", "no-kind", "no-file", "file-as-text", "unknown-field"])
def test_a_malformed_upload_form_is_a_422_and_nothing_is_stored(platform, client, form):
    member = Member(client)
    data = {k: (io.BytesIO(PDF), "a.pdf", "application/pdf") if v is True else v for k, v in form.items()}
    before = (document_count(platform), stored_files(platform))
    response = client.post(f"{API}/organisations/{member.id}/documents", headers=member.auth, data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 422, response.get_json()
    assert (document_count(platform), stored_files(platform)) == before


# --- who may see what ----------------------------------------------------------------------------

def test_a_member_of_another_organisation_learns_nothing_of_it(platform, client):
    a, b = Member(client, name="甲公司"), Member(client, name="乙公司")
    [licence, _] = b.upload_mandatory()
    before = (document_count(platform), stored_files(platform))
    attempts = [
        client.get(f"{API}/organisations/{b.id}", headers=a.auth),
        client.patch(f"{API}/organisations/{b.id}", headers=a.auth, json={"name": "被改"}),
        client.get(f"{API}/organisations/{b.id}/documents", headers=a.auth),
        client.get(licence["url"], headers=a.auth),
        client.get(f"{API}/organisations/{a.id}/documents/{licence['id']}", headers=a.auth),
        a.upload("business_license", organisation_id=b.id),
        client.post(f"{API}/organisations/{b.id}/verification", headers=a.auth),
        client.get(f"{API}/organisations/{uuid.uuid4()}", headers=a.auth),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert all(r.content_type == "application/problem+json" for r in attempts)
    # The same answer whether the organisation exists or not: existence does not leak.
    assert attempts[0].get_json()["detail"] == attempts[-1].get_json()["detail"]
    assert b.organisation()["name"] == "乙公司" and b.organisation()["status"] == "registered"
    assert (document_count(platform), stored_files(platform)) == before


def test_anonymous_callers_are_asked_to_sign_in(platform, client):
    member = Member(client)
    [licence, _] = member.upload_mandatory()
    attempts = [
        client.get(f"{API}/organisations/{member.id}"),
        client.patch(f"{API}/organisations/{member.id}", json={"name": "x"}),
        client.get(f"{API}/organisations/{member.id}/documents"),
        client.get(licence["url"]),
        client.post(f"{API}/organisations/{member.id}/documents",
                    data={"kind": "business_license", "file": (io.BytesIO(PDF), "a.pdf", "application/pdf")}),
        client.post(f"{API}/organisations/{member.id}/verification"),
    ]
    assert [r.status_code for r in attempts] == [401] * len(attempts)
    assert member.organisation()["status"] == "registered"


def test_operators_read_but_do_not_act_for_an_organisation(platform, client, operator_token):
    member = Member(client)
    auth = bearer(operator_token)
    assert client.get(f"{API}/organisations/{member.id}", headers=auth).status_code == 200
    assert client.post(f"{API}/organisations/{member.id}/verification", headers=auth).status_code == 403
    assert client.patch(f"{API}/organisations/{member.id}", headers=auth, json={"name": "x"}).status_code == 403
    upload = client.post(f"{API}/organisations/{member.id}/documents", headers=auth,
                         data={"kind": "business_license", "file": (io.BytesIO(PDF), "a.pdf", "application/pdf")})
    assert upload.status_code == 403
