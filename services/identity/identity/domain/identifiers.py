"""The identifiers identity checks: USCC (GB 32100-2015), ID numbers (GB 11643-1999), phones.

Plain Python: each check returns the normalised value or raises `IdentifierError` with a
message a person can act on, naming the rule that failed.
"""

from __future__ import annotations

import re

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError


class IdentifierError(ValueError):
    """An identifier that breaks its standard; the message says which rule."""


# First two characters of a USCC: registration authority and organisation category.
USCC_CATEGORIES = {
    "11": "机关", "12": "事业单位", "13": "群众团体", "19": "其他（机构编制）",
    "51": "社会团体", "52": "民办非企业单位", "53": "基金会", "59": "其他（民政）",
    "91": "企业", "92": "个体工商户", "93": "农民专业合作社", "Y1": "其他",
}
NOT_A_LEGAL_PERSON = {"92"}


def check_uscc(value: str) -> str:
    """The normalised USCC, or `IdentifierError` naming the failed check."""
    code = (value or "").strip().upper().replace(" ", "")
    try:
        code = uscc.validate(code)  # stdnum's normal form: no '-', full-width characters folded
    except InvalidLength:
        raise IdentifierError("统一社会信用代码 must be 18 characters (GB 32100-2015).") from None
    except InvalidChecksum:
        raise IdentifierError(
            "统一社会信用代码 check character is wrong (GB 32100-2015, weights 3^i mod 31).") from None
    except (InvalidFormat, InvalidComponent, ValidationError):
        raise IdentifierError(
            "统一社会信用代码 has characters outside 0-9 and A-Y without I, O, S, V, Z (GB 32100-2015)."
        ) from None
    category = code[:2]
    if category not in USCC_CATEGORIES:
        raise IdentifierError(f"统一社会信用代码 category {category!r} is not one of GB 32100-2015.")
    if category in NOT_A_LEGAL_PERSON:
        raise IdentifierError(
            "An individual business (个体工商户, category 92) is not an independent legal person; "
            "the notice requires one.")
    return code


def check_id_number(value: str) -> str:
    """The normalised resident ID number (check character and birth date), or `IdentifierError`."""
    number = (value or "").strip().upper().replace(" ", "")
    try:
        number = ric.validate(number)  # stdnum's normal form: full-width characters folded
    except InvalidLength:
        raise IdentifierError("居民身份证号码 must be 18 characters (GB 11643-1999).") from None
    except InvalidChecksum:
        raise IdentifierError("居民身份证号码 check character is wrong (GB 11643-1999).") from None
    except (InvalidFormat, InvalidComponent, ValidationError):
        raise IdentifierError(
            "居民身份证号码 is not well formed: address code, birth date or digits (GB 11643-1999)."
        ) from None
    except KeyError:
        # python-stdnum 2.2 fails this way on an address code naming a province or prefecture
        # but no county (e.g. 110003): not a county of GB/T 2260, so not a valid ID number.
        raise IdentifierError("居民身份证号码 address code is not a county of GB/T 2260 (GB 11643-1999).") from None
    return number


def mask_id_number(number: str) -> str:
    """`110105********002X`: address code and order with check character, birth date hidden."""
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


_MOBILE = re.compile(r"^(?:\+?86[- ]?)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(?:\+?86[- ]?)?0\d{2,3}[- ]?\d{7,8}(?:[- ]?\d{1,6})?$")


def check_phone(value: str) -> str:
    """A mainland mobile (11 digits, 1[3-9]…) or landline with area code (0xx-xxxxxxxx)."""
    phone = (value or "").strip()
    if _MOBILE.match(phone) or _LANDLINE.match(phone):
        return phone
    raise IdentifierError("Give a mobile number (e.g. 13800138000) or a landline with area code "
                          "(e.g. 010-12345678).")
