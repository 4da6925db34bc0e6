"""Chinese patent application numbers (platform_shared.patents.numbers, ZC 0006-2003).

The published numbers of DOMAIN.md must parse with the right kind, every written form of one
number must give the same normal text, and a wrong check character, a mangled layout or a
foreign prefix must be refused, with a message that says why.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from platform_shared.patents.numbers import (
    KIND_OF_TYPE_DIGIT,
    InvalidPatentNumber,
    PatentNumber,
    check_character,
    parse_patent_number,
)

pytestmark = pytest.mark.unit

PUBLISHED = {  # DOMAIN.md, "Patent numbers": verified published application numbers, and their kind
    "201710601862.3": "invention",
    "201310699744.2": "invention",
    "201911050262.8": "invention",
    "202011167667.2": "invention",
    "201510958772.0": "invention",
    "200510096239.4": "invention",
    "201811564288.X": "invention",
}
EXPECTED_KIND = {"1": "invention", "2": "utility_model", "3": "design", "8": "invention", "9": "utility_model"}
FULL_WIDTH = str.maketrans("0123456789.XZLCN ", "０１２３４５６７８９．ＸＺＬＣＮ\u3000")


@pytest.mark.parametrize("number", sorted(PUBLISHED))
def test_published_numbers_parse_to_themselves_with_their_kind(number):
    parsed = parse_patent_number(number)

    assert parsed.text == number
    assert str(parsed) == number
    assert parsed.digits == number[:12]
    assert parsed.check == number[-1]
    assert parsed.kind == PUBLISHED[number]
    assert check_character(number[:12]) == number[-1]


def test_the_check_x_stands_for_ten():
    assert check_character("201811564288") == "X"
    assert parse_patent_number("201811564288.x").text == "201811564288.X"  # a lower-case x is read as X


@pytest.mark.parametrize("type_digit", sorted(EXPECTED_KIND))
def test_the_type_digit_gives_the_kind(type_digit):
    digits = f"2019{type_digit}1050262"
    number = f"{digits}.{check_character(digits)}"

    assert parse_patent_number(number).kind == EXPECTED_KIND[type_digit]
    assert KIND_OF_TYPE_DIGIT == EXPECTED_KIND


@pytest.mark.parametrize("type_digit", ["0", "4", "5", "6", "7"])
def test_a_type_digit_that_names_no_kind_is_refused(type_digit):
    digits = f"2019{type_digit}1050262"

    with pytest.raises(InvalidPatentNumber):
        parse_patent_number(f"{digits}.{check_character(digits)}")


def forms_number() -> str:
    """202010566088.9 from DOMAIN.md's written forms, if its check character is right; else one built valid."""
    digits = "202010566088"
    return f"{digits}.{check_character(digits)}"


def test_the_written_forms_example_has_a_correct_check_character():
    # Computed, not assumed: the weights 2..9,2..5 over 202010566088 sum to 9 mod 11.
    assert check_character("202010566088") == "9"
    assert forms_number() == "202010566088.9"


@pytest.mark.parametrize("written", [
    "{n}",
    "ZL{n}",
    "ZL {y} {t} {s}.{c}",
    "CN{n}",
    "CN {y}{t}{s}.{c}",
    "zl{n}",
    "  ZL{n}\t",
    "{y} {t} {s}.{c}",
])
def test_every_written_form_normalises_to_the_same_text(written):
    number = forms_number()
    digits, check = number.split(".")
    text = written.format(n=number, y=digits[:4], t=digits[4], s=digits[5:], c=check)

    parsed = parse_patent_number(text)

    assert parsed == PatentNumber(digits, check)
    assert parsed.text == number
    assert parsed.kind == "invention"


def test_full_width_forms_normalise_to_the_same_text():
    number = forms_number()
    compact = f"ZL{number}".translate(FULL_WIDTH)
    spaced = f"ZL {number[:4]} {number[4]} {number[5:]}".translate(FULL_WIDTH)  # ideographic spaces
    assert compact == "ＺＬ２０２０１０５６６０８８．９"
    assert "\u3000" in spaced

    assert parse_patent_number(compact).text == number
    assert parse_patent_number(spaced).text == number
    assert parse_patent_number(number.translate(FULL_WIDTH)) == parse_patent_number(number)


def test_a_made_up_number_fails_naming_the_check():
    assert check_character("202310123456") != "7"

    with pytest.raises(InvalidPatentNumber, match="check character") as refused:
        parse_patent_number("202310123456.7")
    assert f"give {check_character('202310123456')}" in str(refused.value)
    assert "mistyped" in str(refused.value)


@pytest.mark.parametrize("number", ["95115608.X", "97101765.4"])
def test_pre_2003_eight_digit_numbers_parse(number):
    parsed = parse_patent_number(number)

    assert parsed.text == number
    assert parsed.digits == number[:8]
    assert check_character(number[:8]) == number[-1]
    assert parsed.kind == "invention"
    assert parse_patent_number(f"ZL{number}").text == number


def test_a_pre_2003_number_with_a_wrong_check_fails():
    with pytest.raises(InvalidPatentNumber, match="check character"):
        parse_patent_number("97101765.5")


@pytest.mark.parametrize("written", [
    "202010566088 .9",       # space before the dot
    "202010566088. 9",       # space after the dot
    "202010566088 . 9",
    "2020105660A8.9",        # a letter among the digits
    "202010566088.A",        # a letter as check character
    "20201056608.9",         # 11 digits
    "2020105660889.9",       # 13 digits
    "202010566088",          # no check character
    "2020105660889",         # no dot
    "US202010566088.9",      # a foreign prefix
    "ZN202010566088.9",
    "ZLCN202010566088.9",
    "ZL 2020  1 0566088.9",  # two spaces between year and type
    "2020 10 566088.9",      # space inside the serial
    "",
    "   ",
    "ZL",
])
def test_malformed_numbers_fail(written):
    with pytest.raises(InvalidPatentNumber, match="not a patent application number"):
        parse_patent_number(written)


def test_none_is_refused_like_an_empty_number():
    with pytest.raises(InvalidPatentNumber):
        parse_patent_number(None)  # type: ignore[arg-type]


def test_digits_other_than_ascii_and_full_width_are_refused():
    # NFKC turns full-width digits into ASCII but leaves Devanagari ones alone; a "normal form"
    # holding them would match no registry entry.
    with pytest.raises(InvalidPatentNumber):
        parse_patent_number("२०१७1०६०१८६२.3")


@pytest.mark.parametrize("year", ["1984", "2100", "0000"])
def test_a_twelve_digit_number_needs_a_patent_year(year):
    digits = f"{year}10566088"

    with pytest.raises(InvalidPatentNumber, match=f"year {year}"):
        parse_patent_number(f"{digits}.{check_character(digits)}")


CHECK_CHARACTERS = "0123456789X"


@given(year=st.integers(min_value=2003, max_value=2099), type_digit=st.sampled_from(sorted(EXPECTED_KIND)),
       serial=st.integers(min_value=0, max_value=9_999_999))
def test_any_number_with_its_computed_check_parses_and_no_other_check_does(year, type_digit, serial):
    digits = f"{year}{type_digit}{serial:07d}"
    assert len(digits) == 12
    # The check worked out independently of check_character: weights, sum, mod 11, 10 → X.
    total = sum(int(d) * w for d, w in zip(digits, (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True)) % 11
    check = "X" if total == 10 else str(total)
    assert check_character(digits) == check

    parsed = parse_patent_number(f"{digits}.{check}")
    assert parsed.text == f"{digits}.{check}"
    assert parsed.kind == EXPECTED_KIND[type_digit]
    assert parse_patent_number(f"ZL {digits[:4]} {digits[4]} {digits[5:]}.{check}") == parsed

    for other in CHECK_CHARACTERS.replace(check, ""):
        with pytest.raises(InvalidPatentNumber, match="check character"):
            parse_patent_number(f"{digits}.{other}")
