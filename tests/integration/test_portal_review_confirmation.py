"""The portal's final steps of a review, through the embedded platform's own WSGI (portal and
services in one process): confirming a proposed rejection (four eyes on, as deployed) needs
"I have checked" ticked — the server refuses it unticked, and the task stays where it was —
and only reviewers and operators may ask for the ID number through the portal."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from review.domain.tasks import QueueRules
from tests.support.embedded import ApiClient
from tests.support.members import PASSWORD, bearer, open_task, pending_member, staff_token, wait_for_status

pytestmark = pytest.mark.integration
REVIEW = "/api/v1/review/tasks"
STAFF_PASSWORD = "staff secret 2026"  # tests.support.members.staff_token's
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class PortalVisitor:
    """Someone signed in at the portal (its own cookies), sending forms with their CSRF token."""

    def __init__(self, platform, email: str, password: str):
        self.browser = ApiClient(platform.wsgi)
        self.csrf = self.token_on("/login")
        signed = self.browser.post("/login", data={"email": email, "password": password, "csrf_token": self.csrf})
        assert signed.status_code == 302, signed.get_data(as_text=True)[:500]
        self.csrf = self.token_on("/")

    def token_on(self, path: str) -> str:
        page = self.browser.get(path, follow_redirects=True)
        found = CSRF.search(page.get_data(as_text=True))
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def send(self, path: str, **form: str):
        return self.browser.post(path, data={**form, "csrf_token": self.csrf})


def staff(platform, client, role: str) -> tuple[str, str]:
    """A new staff account's token and e-mail address."""
    token = staff_token(platform, client, role)
    return token, client.get("/api/v1/identity/me", headers=bearer(token)).get_json()["email"]


def test_a_proposed_rejection_is_confirmed_only_with_the_box_ticked(platform, client, operator_token, monkeypatch):
    review = platform.runtimes["review"]
    monkeypatch.setattr(review, "dependencies", replace(review.dependencies, queue_rules=QueueRules(four_eyes=True)))
    member = pending_member(client)
    task = open_task(platform, client, operator_token, member.id)
    first, _ = staff(platform, client, "reviewer")
    second, second_email = staff(platform, client, "reviewer")
    url = f"{REVIEW}/{task['id']}"
    assert client.post(f"{url}/claim", headers=bearer(first)).status_code == 200
    proposed = client.post(f"{url}/decision", headers=bearer(first), json={
        "outcome": "reject", "reasons": [{"field": "address", "message": "地址与执照不符"}]})
    assert proposed.get_json()["state"] == "awaiting_confirmation"

    confirmer = PortalVisitor(platform, second_email, STAFF_PASSWORD)
    page = confirmer.browser.get(f"/review/tasks/{task['id']}").get_data(as_text=True)
    assert 'id="f-checked"' in page and "我已逐项核对" in page
    unticked = confirmer.send(f"/review/tasks/{task['id']}/confirmation", confirm="true", comment="同意")
    assert unticked.status_code == 422
    assert "请先勾选" in unticked.get_data(as_text=True)
    assert client.get(url, headers=bearer(second)).get_json()["state"] == "awaiting_confirmation"

    ticked = confirmer.send(f"/review/tasks/{task['id']}/confirmation", confirm="true", comment="同意", checked="yes")
    assert ticked.status_code == 302
    assert client.get(url, headers=bearer(second)).get_json()["state"] == "decided"
    wait_for_status(member, "rejected")


def test_sending_a_proposed_rejection_back_needs_no_tick(platform, client, operator_token, monkeypatch):
    review = platform.runtimes["review"]
    monkeypatch.setattr(review, "dependencies", replace(review.dependencies, queue_rules=QueueRules(four_eyes=True)))
    member = pending_member(client)
    task = open_task(platform, client, operator_token, member.id)
    first, _ = staff(platform, client, "reviewer")
    _, second_email = staff(platform, client, "reviewer")
    url = f"{REVIEW}/{task['id']}"
    client.post(f"{url}/claim", headers=bearer(first))
    client.post(f"{url}/decision", headers=bearer(first), json={
        "outcome": "reject", "reasons": [{"field": "address", "message": "地址与执照不符"}]})
    confirmer = PortalVisitor(platform, second_email, STAFF_PASSWORD)
    sent_back = confirmer.send(f"/review/tasks/{task['id']}/confirmation", confirm="false", comment="理由不足")
    assert sent_back.status_code == 302
    assert client.get(url, headers=bearer(first)).get_json()["state"] == "claimed"


def test_a_member_may_not_ask_the_portal_for_an_id_number(platform, client, operator_token):
    member = pending_member(client)
    task = open_task(platform, client, operator_token, member.id)
    visitor = PortalVisitor(platform, member.email, PASSWORD)
    refused = visitor.send(f"/review/tasks/{task['id']}/id-number")
    assert refused.status_code == 403
    assert "11010519491231002X" not in refused.get_data(as_text=True)


def test_a_reviewer_gets_the_number_on_the_answer_to_the_reveal_only(platform, client, operator_token):
    member = pending_member(client)
    task = open_task(platform, client, operator_token, member.id)
    token, email = staff(platform, client, "reviewer")
    client.post(f"{REVIEW}/{task['id']}/claim", headers=bearer(token))
    reviewer = PortalVisitor(platform, email, STAFF_PASSWORD)
    before = reviewer.browser.get(f"/review/tasks/{task['id']}").get_data(as_text=True)
    assert "110105********002X" in before and "11010519491231002X" not in before
    revealed = reviewer.send(f"/review/tasks/{task['id']}/id-number")
    assert revealed.status_code == 200 and "11010519491231002X" in revealed.get_data(as_text=True)
    assert "no-store" in revealed.headers["Cache-Control"]
