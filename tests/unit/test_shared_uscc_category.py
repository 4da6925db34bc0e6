"""The USCC's category (GB 32100-2015, characters 1-2) beside the kind an organisation declares."""

from __future__ import annotations

import pytest

from platform_shared.uscc import category_name, kind_fits_category, uscc_category

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("uscc", "category", "words"), [
    ("914403001922038216", "91", "企业"),            # 工商 + 企业
    ("12100000470095016Q", "12", "事业单位"),         # 机构编制 + 事业单位
    ("53100000500019795A", "53", "基金会"),           # 民政 + 基金会
    ("51110000500000000X", "51", "社会团体"),
    ("93440300MA5XXXXXXX", "93", "农民专业合作社"),
    ("y1440300MA5XXXXXXX", "Y1", "其他"),            # read case-insensitively, as identity stores it upper
])
def test_the_first_two_characters_name_the_authority_and_the_category(uscc, category, words):
    assert uscc_category(uscc) == category
    assert category_name(uscc) == words


@pytest.mark.parametrize("uscc", ["", None, "99440300MA5XXXXXXX", "A1"])
def test_a_code_outside_the_standard_has_no_category(uscc):
    assert uscc_category(uscc) is None
    assert category_name(uscc) is None


@pytest.mark.parametrize(("kind", "uscc"), [
    ("enterprise", "914403001922038216"),
    ("university_institute", "12100000470095016Q"),
    ("rd_institution", "12100000470095016Q"),
    ("rd_institution", "52440300MJL000000X"),     # a private R&D institute: 民办非企业单位
    ("rd_institution", "914403001922038216"),      # or a company
    ("social_organisation", "53100000500019795A"),
])
def test_a_kind_that_the_category_may_be_fits(kind, uscc):
    assert kind_fits_category(kind, uscc)


@pytest.mark.parametrize(("kind", "uscc"), [
    ("enterprise", "12100000470095016Q"),          # declares 企业, the code says 事业单位
    ("university_institute", "914403001922038216"),
    ("social_organisation", "914403001922038216"),
    ("enterprise", "53100000500019795A"),
    ("enterprise", "Y1440300MA5XXXXXXX"),          # 其他: always for a person to look at
    ("enterprise", "99440300MA5XXXXXXX"),
])
def test_a_kind_the_category_cannot_be_is_a_mismatch(kind, uscc):
    assert not kind_fits_category(kind, uscc)
