"""A verified organisation's change of name re-verified by a reviewer, in the deployed form
(issue 17, part 3): the gateway, identity, review, filing, reporting and notify as separate
processes on RabbitMQ and PostgreSQL, and a real SMTP server.

The organisation's admin uploads the new business licence and asks for the change through the
gateway; identity checks it with the registry and publishes `identity.organisation.change_requested`;
review's consumer opens an `org_change` task showing the name before and after; a reviewer
claims and approves it; identity's consumer applies `review.decision.made` (the organisation
renamed, still verified) and notify mails the contact. Nothing is called in-process.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import OPERATOR, RunningPlatform
from tests.e2e.test_filing_end_to_end import Enterprise, Reviewer, bearer
from tests.support.members import PDF

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]
IDENTITY = "/api/v1/identity"
OLD_NAME, NEW_NAME = "深圳端到端变更前科技有限公司", "深圳端到端变更后科技有限公司"


def test_a_change_of_name_is_reviewed_and_applied_across_the_services(e2e_platform: RunningPlatform):
    platform, http = e2e_platform, e2e_platform.session
    operator = bearer(platform.sign_in(*OPERATOR))
    reviewer = Reviewer(platform, operator)
    enterprise = Enterprise(platform, OLD_NAME, reviewer)
    contact = enterprise.organisation()["contact"]["email"]

    uploaded = http.post(platform.url(f"{IDENTITY}/organisations/{enterprise.id}/documents"),
                         headers=enterprise.headers, files={"file": ("新营业执照.pdf", PDF, "application/pdf")},
                         data={"kind": "business_license"}, timeout=15)
    assert uploaded.status_code == 201, uploaded.text
    body = {"name": NEW_NAME, "document_ids": [uploaded.json()["id"]]}
    path = platform.url(f"{IDENTITY}/organisations/{enterprise.id}/change-requests")
    asked = http.post(path, json=body, headers=enterprise.headers, timeout=15)
    assert asked.status_code == 202, asked.text
    assert asked.json()["changes"] == [{"field": "name", "before": OLD_NAME, "after": NEW_NAME}]
    again = http.post(path, json=body, headers=enterprise.headers, timeout=15)
    assert again.status_code == 409 and again.json()["type"].endswith("change-request-pending"), again.text
    assert enterprise.organisation()["status"] == "verified"  # working meanwhile
    receipt = platform.wait_until(lambda: [m for m in platform.mailbox.to(contact) if "变更申请已提交" in m.subject],
                                  f"the change request's receipt to {contact}")
    assert OLD_NAME in receipt[0].subject

    task = reviewer.task_of(enterprise.id)
    assert task["kind"] == "org_change", task
    shown = http.get(platform.url(f"/api/v1/review/tasks/{task['id']}"), headers=reviewer.headers, timeout=10).json()
    assert shown["snapshot"]["changes"] == asked.json()["changes"]
    assert reviewer.claim(task["id"]).status_code == 200
    reviewer.decide(task["id"], "approve")

    renamed = platform.wait_until(lambda: (lambda o: o if o["name"] == NEW_NAME else None)(enterprise.organisation()),
                                  "identity to apply the reviewer's approval")
    assert renamed["status"] == "verified"
    latest = http.get(platform.url(f"{IDENTITY}/organisations/{enterprise.id}/change-requests/latest"),
                      headers=enterprise.headers, timeout=10).json()["latest"]
    assert latest["status"] == "approved"
    mails = platform.wait_until(lambda: [m for m in platform.mailbox.to(contact) if NEW_NAME in m.subject],
                                f"the approval mail to {contact}")
    assert "变更已通过审核" in mails[0].subject
    # filing takes products from the renamed organisation (its view of it is verified).
    created = enterprise.create({"name": "数控机床", "brand": "华中", "model": "E2E-RENAMED", "industry_code": "03"})
    assert created.status_code == 201, created.text
