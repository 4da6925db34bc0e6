"""Province-level regions (platform_shared.regions)."""

from __future__ import annotations

import pytest

from platform_shared.regions import PROVINCES, XPCC_CODE, province_name, province_of

pytestmark = pytest.mark.unit


def test_there_are_32_province_level_regions():
    assert len(PROVINCES) == 32
    assert all(len(code) == 6 and code.endswith("0000") for code in PROVINCES)


def test_the_xpcc_has_the_platform_code_660000():
    assert XPCC_CODE == "660000"
    assert province_name("660000") == "新疆生产建设兵团"
    assert province_name("650000") == "新疆维吾尔自治区"


@pytest.mark.parametrize("outside", ["710000", "810000", "820000"])
def test_taiwan_hong_kong_and_macao_are_outside_the_platform(outside):
    assert outside not in PROVINCES
    assert province_of(outside) is None
    with pytest.raises(KeyError):
        province_name(outside)


@pytest.mark.parametrize("city", ["659001", "659002", "659010"])
def test_an_xpcc_city_belongs_to_the_xpcc_not_xinjiang(city):
    assert province_of(city) == "660000"


@pytest.mark.parametrize(("code", "province"), [("440300", "440000"), ("440000", "440000"), ("110105", "110000"),
                                            ("650100", "650000"), ("660000", "660000")])
def test_a_region_code_belongs_to_its_province(code, province):
    assert province_of(code) == province


@pytest.mark.parametrize("code", ["71", "4403", "4403000", "44030a", "", "990000", "000000"])
def test_a_code_that_is_not_six_digits_of_a_platform_province_has_none(code):
    assert province_of(code) is None


def test_every_province_code_is_its_own_province():
    assert all(province_of(code) == code for code in PROVINCES)
