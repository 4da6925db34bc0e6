"""Quotas as plain rules: room is `used + adding <= limit`, 0 means none, a refusal names the
quota, its limit and what is used; the settings `<SERVICE>_QUOTA_<NAME>` set them."""

from __future__ import annotations

import pytest

from platform_shared.config import ServiceSettings
from platform_shared.errors import Conflict, QuotaExceeded
from platform_shared.quotas import Owner, Quota, StorageQuota, Usage, owner_of, quota_from, storage_quota_from
from platform_shared.web.app import create_service_app

pytestmark = pytest.mark.unit


def test_room_is_up_to_the_limit_and_not_past_it():
    quota = Quota("drafts", 3)
    quota.ensure_room(used=2)            # the third fits
    quota.ensure_room(used=0, adding=3)  # three at once fit
    with pytest.raises(QuotaExceeded) as refused:
        quota.ensure_room(used=3)
    assert (refused.value.quota, refused.value.limit, refused.value.used, refused.value.owner) == (
        "drafts", 3, 3, "organisation")
    with pytest.raises(QuotaExceeded):
        quota.ensure_room(used=1, adding=3, owner="account")


def test_zero_is_no_quota():
    Quota("drafts", 0).ensure_room(used=10**9, adding=10**9)


def test_a_storage_quota_bounds_files_and_bytes_alike():
    quota = StorageQuota(Quota("material_files", 2), Quota("material_bytes", 100))
    quota.ensure_room(Usage(files=1, bytes=40), 60)
    with pytest.raises(QuotaExceeded) as files:
        quota.ensure_room(Usage(files=2, bytes=0), 1)
    assert files.value.quota == "material_files"
    with pytest.raises(QuotaExceeded) as size:
        quota.ensure_room(Usage(files=1, bytes=40), 61)
    assert (size.value.quota, size.value.limit, size.value.used) == ("material_bytes", 100, 40)


def test_settings_name_each_quota_per_service_and_refuse_a_negative_one():
    settings = ServiceSettings.from_env("filing", {"FILING_QUOTA_DRAFTS": "7", "QUOTA_MATERIAL_BYTES": "5"})
    assert quota_from(settings.setting, "drafts", 1000) == Quota("drafts", 7)
    assert storage_quota_from(settings.setting, "material", files=9, size=99) == StorageQuota(
        Quota("material_files", 9), Quota("material_bytes", 5))
    with pytest.raises(ValueError, match="QUOTA_DRAFTS"):
        quota_from(ServiceSettings.from_env("filing", {"FILING_QUOTA_DRAFTS": "-1"}).setting, "drafts", 1)


def test_the_owner_is_the_organisation_or_else_the_account():
    assert owner_of("org-1", "acc-1") == Owner("organisation", "org-1")
    assert owner_of(None, "acc-1").key == "account:acc-1"


def test_a_quota_refusal_is_a_409_problem_naming_the_quota_its_limit_and_the_use():
    app = create_service_app("unit", title="unit")

    @app.post("/api/v1/unit/files")
    def upload() -> None:
        Quota("document_files", 100).ensure_room(used=100)

    answer = app.test_client().post("/api/v1/unit/files")
    body = answer.get_json()
    assert answer.status_code == 409 and body["type"].endswith("/quota-exceeded")
    assert body["quota"] == {"name": "document_files", "limit": 100, "used": 100, "owner": "organisation"}
    assert "document_files" in body["detail"] and "100" in body["detail"]
    assert isinstance(QuotaExceeded("x", limit=1, used=1, owner="account"), Conflict)
