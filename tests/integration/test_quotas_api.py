"""Quotas through the API on the embedded default: an owner (an organisation, or an account that
has none) at its quota is refused with a 409 `quota-exceeded` problem that names the quota, its
limit and what is used, nothing is recorded, and another owner is not held back. Each test sets
low quotas on the session's platform for its own duration (the defaults are generous)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from platform_shared.quotas import Quota, StorageQuota
from tests.support.members import PDF, PNG, Member

pytestmark = pytest.mark.integration


@pytest.fixture
def quotas(platform) -> Iterator[Any]:
    """`quotas("identity", document_quota=…)`: the service's dependencies with those quotas until
    the test ends."""
    originals: dict[str, Any] = {}

    def set_quotas(service: str, **changes: Any) -> None:
        runtime = platform.runtimes[service]
        originals.setdefault(service, runtime.dependencies)
        runtime.dependencies = replace(runtime.dependencies, **changes)

    yield set_quotas
    for service, dependencies in originals.items():
        platform.runtimes[service].dependencies = dependencies


def assert_quota_problem(answer, name: str, limit: int, used: int, owner: str = "organisation") -> None:
    body = answer.get_json()
    assert answer.status_code == 409, body
    assert answer.content_type == "application/problem+json"
    assert body["type"].endswith("/quota-exceeded")
    assert body["quota"] == {"name": name, "limit": limit, "used": used, "owner": owner}
    assert name in body["detail"] and str(limit) in body["detail"]


def documents_of(member: Member) -> list[dict]:
    answer = member.client.get(f"/api/v1/identity/organisations/{member.id}/documents", headers=member.auth)
    assert answer.status_code == 200
    return answer.get_json()["items"]


def test_an_organisation_at_its_document_quota_is_refused_and_another_is_not(client, quotas):
    quotas("identity", document_quota=StorageQuota(Quota("document_files", 2), Quota("document_bytes", 10**6)))
    member, other = Member(client), Member(client)
    member.upload_mandatory()
    refused = member.upload("authorization_letter", PDF, "授权书.pdf")
    assert_quota_problem(refused, "document_files", 2, 2)
    assert len(documents_of(member)) == 2
    assert other.upload("business_license").status_code == 201


def test_documents_past_the_byte_quota_are_refused(client, quotas):
    limit = len(PDF) + len(PNG)
    quotas("identity", document_quota=StorageQuota(Quota("document_files", 100), Quota("document_bytes", limit)))
    member = Member(client)
    member.upload_mandatory()  # exactly the quota
    refused = member.upload("business_license", PDF + b"%" * 10)
    assert_quota_problem(refused, "document_bytes", limit, limit)
    assert len(documents_of(member)) == 2
