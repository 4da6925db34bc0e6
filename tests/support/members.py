"""Registered organisations and staff accounts as tests need them: a member signed in, its
documents uploaded, its verification asked for and decided the way review decides."""

from __future__ import annotations

import datetime as dt
import io
import secrets
import uuid

from stdnum.cn import uscc as stdnum_uscc

from tests.support.embedded import eventually, organisation_body, sign_in

API = "/api/v1/identity"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
PASSWORD = "correct horse battery"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def new_uscc() -> str:
    body = "91440300MA5" + "".join(secrets.choice(USCC_ALPHABET) for _ in range(6))
    return body + stdnum_uscc.calc_check_digit(body)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def organisation_of(client, token: str) -> str:
    """The organisation of the signed-in account (registration answers no id: it answers alike
    whether or not the e-mail had an account)."""
    me = client.get(f"{API}/me", headers=bearer(token))
    assert me.status_code == 200, me.get_json()
    return me.get_json()["organisation_id"]


def register_organisation(client, body: dict) -> str:
    """Register `body` (its account must be new) and the new organisation's id."""
    response = client.post(f"{API}/organisations", json=body)
    assert response.status_code == 201, response.get_json()
    return organisation_of(client, sign_in(client, body["account"]["email"], body["account"]["password"]))


class Member:
    """A registered organisation and its first account, signed in."""

    def __init__(self, client, name: str = "深圳测试科技有限公司"):
        self.client = client
        self.uscc = new_uscc()
        self.email = f"member-{uuid.uuid4().hex[:10]}@example.cn"
        body = organisation_body(uscc=self.uscc, name=name)
        body["account"] = {"email": self.email, "password": PASSWORD}
        response = client.post(f"{API}/organisations", json=body)
        assert response.status_code == 201, response.get_json()
        self.token = sign_in(client, self.email, PASSWORD)
        self.auth = bearer(self.token)
        self.id = organisation_of(client, self.token)

    def upload(self, kind: str, content: bytes = PDF, filename: str = "scan.pdf",
               content_type: str = "application/pdf", organisation_id: str | None = None):
        return self.client.post(f"{API}/organisations/{organisation_id or self.id}/documents", headers=self.auth,
                                data={"kind": kind, "file": (io.BytesIO(content), filename, content_type)})

    def upload_mandatory(self) -> list[dict]:
        first = self.upload("business_license", PDF, "营业执照.pdf")
        second = self.upload("integrity_commitment", PNG, "承诺书.png", "image/png")
        assert first.status_code == 201 and second.status_code == 201, (first.get_json(), second.get_json())
        return [first.get_json(), second.get_json()]

    def ask(self):
        return self.client.post(f"{API}/organisations/{self.id}/verification", headers=self.auth)

    def organisation(self) -> dict:
        response = self.client.get(f"{API}/organisations/{self.id}", headers=self.auth)
        assert response.status_code == 200, response.get_json()
        return response.get_json()


def pending_member(client) -> Member:
    member = Member(client)
    member.upload_mandatory()
    assert member.ask().status_code == 202
    return member


def open_task(platform, client, operator_token: str, organisation_id: str) -> dict:
    """The organisation's newest review task, once review made it from identity's event."""

    def listed():
        page = client.get("/api/v1/review/tasks?kind=organisation&per_page=200", headers=bearer(operator_token))
        assert page.status_code == 200
        tasks = [t for t in page.get_json()["items"] if t["subject_id"] == organisation_id]
        return tasks[-1] if tasks else None

    task = eventually(listed)
    assert task, "review made no task of the verification request"
    return task


def decide(platform, task_id: str, subject_id: str, outcome: str, reasons=(), reviewer_id: str | None = None,
           kind: str = "organisation"):
    """Publish `review.decision.made` the way review does: through its unit of work (outbox)."""
    review = platform.runtimes["review"]
    with review.database.connection_context(), review.unit_of_work(f"decision-{task_id}") as uow:
        return uow.publish("review.decision.made", {
            "task_id": task_id, "kind": kind, "subject_id": subject_id, "outcome": outcome,
            "reasons": list(reasons), "reviewer_id": reviewer_id or str(uuid.uuid4()),
            "decided_at": dt.datetime.now(dt.UTC).isoformat()}, aggregate_id=task_id, aggregate_version=2)


def wait_for_status(member: Member, status: str) -> dict:
    seen = eventually(lambda: (lambda o: o if o["status"] == status else None)(member.organisation()))
    assert seen, f"organisation never became {status}: {member.organisation()}"
    return seen


def staff_token(platform, client, role: str = "reviewer", province_code: str | None = None) -> str:
    """A new staff account of `role` (made in identity's database, as an operator would), signed in."""
    from identity.adapters.orm import Account

    identity = platform.runtimes["identity"]
    email = f"{role}-{uuid.uuid4().hex[:10]}@example.cn"
    with identity.database.connection_context(), identity.database.atomic():
        Account.create(id=str(uuid.uuid4()), email=email, role=role, province_code=province_code,
                       password_hash=identity.dependencies.password_hashing.hash("staff secret 2026"),
                       created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
    return sign_in(client, email, "staff secret 2026")


def verified_member(platform, client, operator_token: str, name: str = "深圳测试科技有限公司") -> Member:
    """A member whose organisation review verified, once filing's view knows it too."""
    member = Member(client, name)
    member.upload_mandatory()
    assert member.ask().status_code == 202
    task = open_task(platform, client, operator_token, member.id)
    decide(platform, task["id"], member.id, "approve")
    wait_for_status(member, "verified")
    assert eventually(lambda: filing_view_status(platform, member.id) == "verified"), "filing never heard"
    return member


def filing_view_status(platform, organisation_id: str) -> str | None:
    from filing.adapters.orm import OrganisationView

    with platform.runtimes["filing"].database.connection_context():
        row = OrganisationView.get_or_none(OrganisationView.organisation_id == organisation_id)
        return row.status if row else None
