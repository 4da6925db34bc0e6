"""What changed since the returned (or rejected) submission, field by field (review.domain.changes)."""

from __future__ import annotations

import pytest

from review.domain.changes import FieldChange, changes_between

pytestmark = pytest.mark.unit

ORGANISATION = {
    "organisation_id": "o-1", "name": "深圳测试科技有限公司", "uscc": "914403001922038216", "kind": "enterprise",
    "province_code": "440000", "address": "深圳市南山区科技园", "requested_at": "2026-12-01T08:00:00+00:00",
    "legal_representative": {"name": "赵明路", "id_number_masked": "110105********002X"},
    "contact": {"name": "张三", "phone": "13800138000", "email": "zhang@example.cn"},
    "documents": [{"id": "d-1", "kind": "business_license", "sha256": "aa", "media_type": "application/pdf"},
                  {"id": "d-2", "kind": "integrity_commitment", "sha256": "bb", "media_type": "image/png"}],
}


def test_the_same_submission_asked_again_has_no_changes_though_its_time_and_document_ids_differ():
    again = {**ORGANISATION, "requested_at": "2026-12-05T08:00:00+00:00",
             "documents": [{**d, "id": d["id"] + "-new"} for d in ORGANISATION["documents"]]}
    assert changes_between(ORGANISATION, again, "organisation") == []


def test_each_changed_field_is_named_by_the_dotted_path_a_reason_uses():
    again = {**ORGANISATION, "address": "深圳市南山区粤海街道",
             "legal_representative": {"name": "赵明", "id_number_masked": "110105********002X"}}
    assert changes_between(ORGANISATION, again, "organisation") == [
        FieldChange("address", "深圳市南山区科技园", "深圳市南山区粤海街道"),
        FieldChange("legal_representative.name", "赵明路", "赵明")]


def test_a_new_scan_of_a_document_is_a_change_of_that_document():
    documents = [ORGANISATION["documents"][0] | {"id": "d-3", "sha256": "cc"}, ORGANISATION["documents"][1]]
    assert changes_between(ORGANISATION, {**ORGANISATION, "documents": documents}, "organisation") == [
        FieldChange("documents.business_license", "aa", "cc")]


def test_a_document_added_or_a_field_removed_has_none_on_the_missing_side():
    documents = [*ORGANISATION["documents"],
                 {"id": "d-4", "kind": "authorization_letter", "sha256": "dd", "media_type": "application/pdf"}]
    without_contact = {k: v for k, v in ORGANISATION.items() if k != "contact"} | {"documents": documents}
    changes = changes_between(ORGANISATION, without_contact, "organisation")
    assert FieldChange("documents.authorization_letter", None, "dd") in changes
    assert FieldChange("contact.phone", "13800138000", None) in changes
    assert len(changes) == 4


def test_a_product_compares_rows_by_index_and_variants_whole():
    before = {"product_id": "p-1", "submission": 1, "name": "智能手机", "variants": ["黑色"],
              "economic_data": [{"year": 2025, "sales_revenue": "100.00"}]}
    after = {"product_id": "p-1", "submission": 2, "name": "智能手机", "variants": ["黑色", "白色"],
             "economic_data": [{"year": 2025, "sales_revenue": "120.00"}]}
    assert changes_between(before, after, "product") == [
        FieldChange("variants", ["黑色"], ["黑色", "白色"]),
        FieldChange("economic_data.0.sales_revenue", "100.00", "120.00")]
