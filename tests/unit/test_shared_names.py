"""Organisation names compared however they are written (platform_shared.names).

Hypothesis writes one name in the ways registers and people do (width, spaces, case, bracket
kind) and they must all match; a name with any character of substance changed never does.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from platform_shared.names import normalise_name, normalise_uscc, same_name

pytestmark = pytest.mark.unit

# What a company name is made of: Han characters, Latin letters, digits, and brackets around a part.
SUBSTANCE = st.characters(codec="utf-8", categories=("Lo", "Lu", "Ll", "Nd"))
PART = st.text(SUBSTANCE, min_size=1, max_size=8)
NAME = st.tuples(PART, st.none() | PART, PART)

FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


def written(parts: tuple[str, str | None, str], style: dict[str, object]) -> str:
    """One way of writing the name: brackets full- or half-width or 【】, spaces, case, width."""
    head, inner, tail = parts
    opening, closing = style["brackets"]  # type: ignore[misc]
    text = head + (f"{opening}{inner}{closing}" if inner is not None else "") + tail
    if style["upper"]:
        text = text.upper()
    if style["full_width"]:
        text = "".join(FULL_WIDTH.get(ch, ch) for ch in text)
    if style["spaces"]:
        text = " ".join(text) + "\u3000"
    return text


STYLE = st.fixed_dictionaries({"brackets": st.sampled_from(["()", "（）", "【】", "〔〕", "[]"]),
                               "upper": st.booleans(), "full_width": st.booleans(), "spaces": st.booleans()})


def stable(parts: tuple[str, str | None, str]) -> bool:
    # Letters whose case or width folding changes their length (ß → SS…) are not what registers differ by.
    text = "".join(p for p in parts if p)
    return all(len(ch.upper()) == 1 and len(unicodedata.normalize("NFKC", ch)) == 1
               and ch.upper().casefold() == ch.casefold() for ch in text)


@settings(max_examples=300)
@given(NAME, STYLE, STYLE)
def test_writing_only_differences_match(parts, one, other):
    if not stable(parts):
        return
    assert same_name(written(parts, one), written(parts, other))


@settings(max_examples=300)
@given(NAME, STYLE, STYLE, st.data())
def test_a_different_company_never_matches(parts, one, other, data):
    if not stable(parts):
        return
    head, inner, tail = parts
    changed = data.draw(PART.filter(lambda p: normalise_name(p) != normalise_name(tail)))
    if not stable((changed, None, "")):
        return
    assert not same_name(written(parts, one), written((head, inner, changed), other))


def test_the_usual_ways_of_writing_one_company():
    assert same_name("深圳市腾讯计算机系统有限公司", "深圳市 腾讯计算机系统 有限公司")
    assert same_name("华为技术（深圳）有限公司", "华为技术(深圳)有限公司")
    assert same_name("ABB（中国）有限公司", "abb(中国)有限公司")
    assert same_name("ＴＣＬ科技集团股份有限公司", "TCL科技集团股份有限公司")
    assert same_name("北京·小米科技有限责任公司", "北京小米科技有限责任公司")


def test_other_companies_and_nothing_do_not_match():
    assert not same_name("华为技术有限公司", "华为终端有限公司")
    assert not same_name("华为技术（深圳）有限公司", "华为技术（东莞）有限公司")
    assert not same_name("", "")
    assert not same_name("（）", " ")


def test_a_uscc_is_compared_without_spaces_or_case():
    assert normalise_uscc(" 91440300 708461136t ") == "91440300708461136T"
    assert normalise_uscc(None) == ""
