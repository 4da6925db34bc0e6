"""What the reviewer's task page makes of a snapshot (portal.review_checks) and which answers it
shows inline (portal.inline_files): words not codes, the category beside the declared kind with a
mismatch flagged, the changes since the previous decision with its reasons beside them, and only
bytes that prove their type shown inline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from portal.inline_files import IMAGE_POLICY, PDF_POLICY, inline_document, inline_type
from portal.review_checks import changes_shown, organisation_rows
from portal.transport import ApiResponse

pytestmark = pytest.mark.unit
SNAPSHOT = {"name": "深圳测试科技有限公司", "uscc": "914403001922038216", "kind": "enterprise",
            "province_code": "440000", "city_code": "440300", "address": "深圳市南山区科技园",
            "legal_representative": {"name": "赵明路", "id_number_masked": "110105********002X"},
            "contact": {"name": "张三", "phone": "13800138000", "email": "zhang@example.cn"}}


@pytest.fixture(params=["zh", "en"])
def language(request) -> Iterator[str]:
    with Flask(__name__).test_request_context(headers={"Cookie": f"lang={request.param}"}):
        yield request.param


def rows(snapshot, revealed=None) -> dict:
    return {row.path: row for row in organisation_rows(snapshot, revealed)}


def test_the_organisation_is_shown_in_words_with_the_number_masked(language):
    shown = rows(SNAPSHOT)
    assert shown["legal_representative.id_number"].value == "110105********002X"
    assert shown["province_code"].value == "广东省" and shown["city_code"].value == "广东省 深圳市"
    assert shown["kind"].value == {"zh": "企业", "en": "Enterprise"}[language]
    assert shown["uscc"].note == {"zh": "代码类别：企业（91）", "en": "Code category: enterprise (91)"}[language]
    assert not shown["kind"].flagged
    assert shown["contact.email"].value == "zhang@example.cn" and shown["address"].value == "深圳市南山区科技园"
    assert rows(SNAPSHOT, "11010519491231002X")["legal_representative.id_number"].value == "11010519491231002X"


def test_a_kind_the_codes_category_cannot_be_is_flagged(language):
    kind = rows({**SNAPSHOT, "uscc": "12100000470095016Q"})["kind"]
    assert kind.flagged
    assert kind.note == {"zh": "与代码类别事业单位（12）不符，请核对",
                         "en": "does not fit the code's category public institution (12): check it"}[language]


def test_a_snapshot_from_before_the_request_carried_the_representative_shows_dashes(language):
    old = {k: v for k, v in SNAPSHOT.items() if k not in ("legal_representative", "contact", "address")}
    shown = rows(old)
    assert {shown[p].value for p in ("address", "legal_representative.name", "contact.phone")} == {"—"}


def test_each_change_has_the_previous_reasons_about_that_field_beside_it(language):
    since = {"reasons": [{"field": "address", "message": "与执照不符"}, {"field": "documents", "message": "重新扫描"},
                         {"field": "", "message": "总体意见"}],
             "changes": [{"field": "address", "before": "南山区", "after": "粤海街道"},
                         {"field": "documents.business_license", "before": "aa", "after": "cc"},
                         {"field": "kind", "before": "enterprise", "after": "rd_institution"}]}
    address, licence, kind = changes_shown(since)
    assert (address["before"], address["after"], address["reasons"]) == ("南山区", "粤海街道", ["与执照不符"])
    assert licence["reasons"] == ["重新扫描"] and "aa" not in licence["before"] + licence["after"]
    assert kind["after"] == {"zh": "新型研发机构", "en": "New R&D institution"}[language]
    assert kind["reasons"] == []
    assert changes_shown(None) == []


def answer(content: bytes, media_type: str) -> ApiResponse:
    return ApiResponse(200, {"Content-Type": media_type}, content)


@pytest.mark.parametrize(("content", "claimed"), [
    (b"<html><script>alert(1)</script>", "application/pdf"),   # says PDF, is HTML
    (b"%PDF-1.7\n", "image/png"),                              # the API and the bytes disagree
    (b"GIF89a....", "image/gif"),                              # not a document type at all
])
def test_what_the_bytes_do_not_prove_is_never_shown_inline(content, claimed):
    assert inline_type(answer(content, claimed)) is None
    with Flask(__name__).test_request_context():
        assert inline_document(answer(content, claimed), "doc") is None


def test_a_pdf_and_an_image_are_shown_inline_with_their_type_nosniff_and_their_policy():
    with Flask(__name__).test_request_context():
        pdf = inline_document(answer(b"%PDF-1.7\n", "application/pdf"), "d-1")
        png = inline_document(answer(b"\x89PNG\r\n\x1a\n\x00", "image/png"), "d-2")
    assert pdf is not None and png is not None
    assert (pdf.mimetype, pdf.headers["Content-Disposition"]) == ("application/pdf", 'inline; filename="d-1.pdf"')
    assert pdf.headers["Content-Security-Policy"] == PDF_POLICY and "frame-ancestors 'none'" in PDF_POLICY
    assert png.headers["Content-Security-Policy"] == IMAGE_POLICY and IMAGE_POLICY.startswith("sandbox;")
    assert png.mimetype == "image/png" and "sandbox" not in PDF_POLICY  # Chromium's viewer will not run sandboxed
