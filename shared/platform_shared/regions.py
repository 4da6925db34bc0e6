"""Province-level regions of the platform (GB/T 2260), plus the XPCC by platform convention.

Identity validates registrations against these codes and reporting groups its figures by
them. 台湾省 (71), 香港 (81) and 澳门 (82) exist in the standard but are outside the platform.
"""

from __future__ import annotations

import functools

from stdnum import numdb

# 新疆生产建设兵团 has its own IP office but no province-level code in GB/T 2260 (its cities are
# 6590xx under Xinjiang). PLATFORM CONVENTION: it is given the province-level code 660000.
XPCC_CODE = "660000"

PROVINCES: dict[str, str] = {
    "110000": "北京市",
    "120000": "天津市",
    "130000": "河北省",
    "140000": "山西省",
    "150000": "内蒙古自治区",
    "210000": "辽宁省",
    "220000": "吉林省",
    "230000": "黑龙江省",
    "310000": "上海市",
    "320000": "江苏省",
    "330000": "浙江省",
    "340000": "安徽省",
    "350000": "福建省",
    "360000": "江西省",
    "370000": "山东省",
    "410000": "河南省",
    "420000": "湖北省",
    "430000": "湖南省",
    "440000": "广东省",
    "450000": "广西壮族自治区",
    "460000": "海南省",
    "500000": "重庆市",
    "510000": "四川省",
    "520000": "贵州省",
    "530000": "云南省",
    "540000": "西藏自治区",
    "610000": "陕西省",
    "620000": "甘肃省",
    "630000": "青海省",
    "640000": "宁夏回族自治区",
    "650000": "新疆维吾尔自治区",
    XPCC_CODE: "新疆生产建设兵团",
}


def province_name(code: str) -> str:
    """The region's name; `KeyError` for a code outside the platform."""
    return PROVINCES[code]


def province_of(code: str) -> str | None:
    """The province-level code a 6-digit region code belongs to, or None if outside the platform.

    XPCC cities (6590xx) belong to the XPCC region, not to Xinjiang.
    """
    if len(code) != 6 or not code.isdigit():
        return None
    if code.startswith("6590"):
        return XPCC_CODE
    province = code[:2] + "0000"
    return province if province in PROVINCES else None


# Exports name a city per row: the table's lookup is a walk of stdnum's tree (~0.3 ms), and
# there are only some 3,000 codes, so each is looked up once a process.
@functools.lru_cache(maxsize=8192)
def region_name(code: str | None) -> str:
    """The name of a GB/T 2260 code as people read it: `440300` → 深圳市, `440305` → 南山区,
    `440000` → 广东省; the code itself when the table does not know it (or '' for none).

    From python-stdnum's table of the published editions: a code renamed over time gives its
    latest name, a retired code its last."""
    if not code:
        return ""
    if code in PROVINCES:
        return PROVINCES[code]
    *_, (_, names) = numdb.get("cn/loc").info(code)
    latest = (names.get("county") or "").split(",")[-1]
    return latest.split("]")[-1] or code
