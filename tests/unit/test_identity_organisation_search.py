"""Organisations found for operators: by status, province, kind and a text that is part of the
name or the USCC, whatever its width or letter case; newest registration first."""

from __future__ import annotations

import datetime as dt

import pytest

from identity.domain.model import Organisation
from identity.domain.organisation_search import ORGANISATION_STATUSES, OrganisationFilter, fold_text, matches
from identity.service_layer.organisation_search import search_organisations
from platform_shared.pages import PageRequest
from tests.support.fakes.identity import FakeIdentityUnitOfWork

pytestmark = pytest.mark.unit


def organisation(number: int, name: str, uscc: str, **changes) -> Organisation:
    values: dict[str, object] = {
        "id": f"org-{number}", "name": name, "uscc": uscc, "kind": "enterprise", "province_code": "440000",
        "city_code": None, "address": "深圳", "legal_representative_name": "赵明路",
        "legal_representative_id_encrypted": "x", "legal_representative_id_masked": "1101**********002X",
        "contact_name": "张三", "contact_phone": "13800138000", "contact_email": "z@example.cn",
        "registered_at": dt.datetime(2026, 1, number)}
    values.update(changes)
    return Organisation(**values)  # type: ignore[arg-type]


@pytest.fixture
def uow() -> FakeIdentityUnitOfWork:
    uow = FakeIdentityUnitOfWork()
    with uow:
        uow.organisations.add(organisation(1, "华为技术有限公司", "914403001922038216", status="verified"))
        uow.organisations.add(organisation(2, "ABC（深圳）电子有限公司", "91440300MA5ABCDE1X"))
        uow.organisations.add(organisation(3, "北京大学", "12100000400000624D", kind="university_institute",
                                           province_code="110000"))
    return uow


def found(uow, **which) -> list[str]:
    return [o.id for o in search_organisations(OrganisationFilter(**which), PageRequest(), uow).items]


def test_the_text_is_folded_to_half_width_lower_case():
    assert fold_text("  ＡＢＣ（深圳）") == "abc(深圳)"
    assert fold_text("   ") is None and fold_text(None) is None


def test_a_text_matches_part_of_the_name_or_the_uscc():
    assert matches("ABC（深圳）电子有限公司", "91440300MA5ABCDE1X", "abc(深圳)")
    assert matches("华为技术有限公司", "914403001922038216", "1922038")
    assert matches("华为技术有限公司", "91440300MA5ABCDE1X", "ma5abc")
    assert not matches("华为技术有限公司", "914403001922038216", "中兴")


def test_every_status_is_known():
    assert ORGANISATION_STATUSES == ("registered", "pending_review", "verified", "rejected", "lapsed", "suspended")


def test_organisations_are_found_newest_first_by_each_filter(uow):
    assert found(uow) == ["org-3", "org-2", "org-1"]
    assert found(uow, status="verified") == ["org-1"]
    assert found(uow, province_code="440000") == ["org-2", "org-1"]
    assert found(uow, kind="university_institute") == ["org-3"]
    assert found(uow, text=fold_text("ａｂｃ")) == ["org-2"]
    assert found(uow, text=fold_text("ma5abcde")) == ["org-2"]
    assert found(uow, text="大学", province_code="440000") == []
