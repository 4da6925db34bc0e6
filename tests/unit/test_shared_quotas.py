"""Quotas as plain rules: room is `used + adding <= limit`, 0 means none, a refusal names the
quota, its limit and what is used; the settings `<SERVICE>_QUOTA_<NAME>` set them."""

from __future__ import annotations

import importlib

import pytest

from platform_shared.config import ServiceSettings
from platform_shared.errors import Conflict, QuotaExceeded
from platform_shared.quotas import Owner, Quota, StorageQuota, Usage, owner_of, quota_of
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


@pytest.mark.parametrize(("service", "settings", "expected"), [
    ("identity", {"IDENTITY_QUOTA_DOCUMENT_FILES": "7"}, ("document_quota", StorageQuota(
        Quota("document_files", 7), Quota("document_bytes", 500 * 1024 * 1024)))),
    ("filing", {"QUOTA_DRAFTS": "0"}, ("draft_quota", Quota("drafts", 0))),
    ("filing", {}, ("material_quota", StorageQuota(Quota("material_files", 2000),
                                                   Quota("material_bytes", 2 * 1024 ** 3)))),
    ("review", {"REVIEW_QUOTA_OPEN_OBJECTIONS": "3"}, ("objection_quota", Quota("open_objections", 3))),
    ("review", {}, ("evidence_quota", StorageQuota(Quota("evidence_files", 100),
                                                   Quota("evidence_bytes", 200 * 1024 * 1024)))),
])
def test_each_service_reads_its_quotas_from_its_settings_with_the_stated_defaults(tmp_path, service, settings,
                                                                                  expected):
    module = importlib.import_module(f"{service}.service")
    env = {"DATA_DIR": str(tmp_path), **settings}
    built = ServiceSettings.from_env(service, env)
    dependencies = module.dependencies_from(built, *((module.signing_keys_from(built),) if service == "identity"
                                                     else ()))
    field, quota = expected
    assert getattr(dependencies, field) == quota


def test_a_negative_quota_is_refused_when_read():
    assert quota_of("drafts", " 12 ") == Quota("drafts", 12)
    with pytest.raises(ValueError, match="drafts"):
        quota_of("drafts", "-1")


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
    assert body["params"] == {"quota": "document_files", "limit": 100, "used": 100, "owner": "organisation"}
    assert "document_files" in body["detail"] and "100" in body["detail"]
    assert isinstance(QuotaExceeded("x", limit=1, used=1, owner="account"), Conflict)
