"""The identifiers identity checks: USCC (GB 32100-2015), ID numbers (GB 11643-1999), phones.

Plain Python: each check returns the normalised value or raises `IdentifierError` with a
message a person can act on, naming the rule that failed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from platform_shared.uscc import NOT_A_LEGAL_PERSON, USCC_CATEGORIES


class IdentifierError(ValueError):
    """An identifier that breaks its standard; the message says which rule."""


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


def check_id_number(value: str, today: dt.date | None = None) -> str:
    """The normalised resident ID number, or `IdentifierError` naming the rule that failed.

    GB 11643-1999: 17 digits and a check character (ISO 7064 MOD 11-2), a birth date that
    exists and lies between 1900-01-01 and today, and an address code that is, or once was, a
    county-level code of GB/T 2260. The address code is where the card was first issued, not
    where or when the person was born: a code created after the birth year (南山区 440305 for
    someone born in 1978) or retired since (崇文区 110103) is as valid as any.
    """
    number = ric.compact(unicodedata.normalize("NFKC", value or "")).replace(" ", "")
    if len(number) != 18:
        raise IdentifierError("居民身份证号码 must be 18 characters (GB 11643-1999).")
    if not number[:17].isdigit() or not number[:17].isascii() or number[17] not in "0123456789X":
        raise IdentifierError(
            "居民身份证号码 is not well formed: 17 digits and a check digit or X (GB 11643-1999).")
    if number[17] != ric.calc_check_digit(number):
        raise IdentifierError("居民身份证号码 check character is wrong (GB 11643-1999).")
    try:
        born = ric.get_birth_date(number)
    except ValidationError:
        raise IdentifierError("居民身份证号码 birth date does not exist (GB 11643-1999).") from None
    if not _EARLIEST_BIRTH <= born <= (today or dt.datetime.now(_CHINA).date()):
        raise IdentifierError("居民身份证号码 birth date is before 1900 or in the future (GB 11643-1999).")
    if not county_ever_existed(number[:6]):
        raise IdentifierError("居民身份证号码 address code is not a county of GB/T 2260 (GB 11643-1999).")
    return number


_EARLIEST_BIRTH = dt.date(1900, 1, 1)
_CHINA = dt.timezone(dt.timedelta(hours=8))  # birth dates are dates of China Standard Time


def county_ever_existed(code: str) -> bool:
    """Whether `code` is, or at any time since 1980 was, a county-level code of GB/T 2260.

    python-stdnum's table (from the published editions) marks each code with the years it was
    in use; its own check demands that the code existed in the birth year, which refuses
    ordinary numbers, so only the code's existence is asked here.
    """
    *_, (_, names) = numdb.get("cn/loc").info(code)
    return bool(names.get("county"))


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
