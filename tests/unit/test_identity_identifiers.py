"""identity's identifier checks: USCC, resident ID number, phone (identity.domain.identifiers)."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import ric, uscc

from identity.domain.identifiers import IdentifierError, check_id_number, check_phone, check_uscc, mask_id_number

pytestmark = pytest.mark.unit

VALID_USCC = ["914403001922038216", "9144030071526726XG", "12100000470095016Q", "12100000425006117P",
              "53100000500019795A"]


@pytest.mark.parametrize("code", VALID_USCC)
def test_the_real_codes_of_the_domain_notes_pass(code):
    assert check_uscc(code) == code


def test_a_code_is_normalised_to_upper_case_without_spaces():
    assert check_uscc(" 9144030071526726xg ") == "9144030071526726XG"
    assert check_uscc("91440300 1922038216") == "914403001922038216"


@pytest.mark.parametrize("written", ["91440300-1922038216", "９１４４０３００１９２２０３８２１６"])
def test_a_code_written_with_a_hyphen_or_full_width_is_returned_in_its_18_character_form(written):
    # What is returned is what gets stored and compared for duplicates.
    assert check_uscc(written) == "914403001922038216"


def test_a_pilot_code_that_fails_the_check_character_names_the_check():
    with pytest.raises(IdentifierError) as caught:
        check_uscc("91350100M0001TGQXM")

    assert "check character" in str(caught.value)
    assert "GB 32100-2015" in str(caught.value)


def test_a_single_changed_character_is_caught_by_the_check():
    with pytest.raises(IdentifierError, match="check character"):
        check_uscc("914403001922038217")


@pytest.mark.parametrize("code", ["91440300192203821", "9144030019220382160", ""])
def test_a_code_of_the_wrong_length_is_refused_naming_the_length(code):
    with pytest.raises(IdentifierError, match="18 characters"):
        check_uscc(code)


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_a_code_with_a_letter_outside_the_alphabet_is_refused(letter):
    code = "91440300" + letter + "922038216"

    with pytest.raises(IdentifierError, match="I, O, S, V, Z"):
        check_uscc(code)


def test_an_individual_business_is_refused_as_not_a_legal_person():
    code = _with_check("92440300MA5F0000")  # category 92, a well-formed code

    with pytest.raises(IdentifierError) as caught:
        check_uscc(code)

    message = str(caught.value)
    assert "92" in message
    assert "legal person" in message


def test_a_category_outside_the_standard_is_refused_naming_it():
    code = _with_check("21440300MA5F0000")

    with pytest.raises(IdentifierError, match="category '21'"):
        check_uscc(code)


def _with_check(first_16: str) -> str:
    first_17 = first_16 + "0"
    return first_17 + uscc.calc_check_digit(first_17)


# --- resident identity card number --------------------------------------------------------------

def test_a_valid_id_number_passes():
    assert check_id_number("11010519491231002X") == "11010519491231002X"


def test_a_lower_case_check_character_is_normalised():
    assert check_id_number("11010519491231002x") == "11010519491231002X"


def test_a_wrong_check_character_is_refused_naming_the_check():
    with pytest.raises(IdentifierError, match="check character"):
        check_id_number("110105194912310021")


def test_an_impossible_birth_date_is_refused():
    # 1949-02-30 with a correct check character: only the date is wrong.
    first_17 = "11010519490230002"
    number = first_17 + ric.calc_check_digit(first_17 + "?")

    with pytest.raises(IdentifierError, match="birth date"):
        check_id_number(number)


@pytest.mark.parametrize("number", ["11010519491231002", "11010519491231002XX", ""])
def test_an_id_number_of_the_wrong_length_is_refused(number):
    with pytest.raises(IdentifierError, match="18 characters"):
        check_id_number(number)


def test_an_address_code_that_names_no_county_is_refused_not_a_crash():
    # 110003 is inside Beijing's range but no county: python-stdnum raises KeyError there.
    body = "11000319900101001"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8,
                                                                   4, 2), strict=True)) % 11]
    with pytest.raises(IdentifierError, match="address code"):
        check_id_number(body + check)


def _id_with_check(first_17: str) -> str:
    return first_17 + ric.calc_check_digit(first_17 + "?")


@pytest.mark.parametrize("number", [
    "440305197803152318",        # 南山区, created 1983 (南头区办事处) / 1990: born 1978, card issued later
    _id_with_check("11010320150101001"),  # 崇文区, retired 2010: a card first issued there before
    _id_with_check("44030019900101001"),  # 深圳市 as a whole: cards issued by the city's bureau
])
def test_an_address_code_valid_at_any_time_is_accepted_whatever_the_birth_year(number):
    assert check_id_number(number) == number


def test_a_birth_date_in_the_future_is_refused():
    with pytest.raises(IdentifierError, match="birth date"):
        check_id_number(_id_with_check("44030520300101001"), today=dt.date(2026, 12, 7))


def test_a_birth_date_before_1900_is_refused():
    with pytest.raises(IdentifierError, match="birth date"):
        check_id_number(_id_with_check("44030518991231001"))


def test_an_address_code_outside_gb_t_2260_is_refused():
    with pytest.raises(IdentifierError, match="address code"):
        check_id_number(_id_with_check("99999919900101001"))


@pytest.mark.parametrize("number", ["1101051949123100Y2", "11010519491231OO2X", "11010519491231002A"])
def test_characters_other_than_digits_and_a_final_x_are_refused(number):
    with pytest.raises(IdentifierError, match="not well formed|18 characters|check character"):
        check_id_number(number)


def test_full_width_digits_are_folded():
    assert check_id_number("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"


def test_an_id_number_is_masked_keeping_region_order_and_check():
    assert mask_id_number("11010519491231002X") == "110105********002X"


# --- phone -------------------------------------------------------------------------------------

@pytest.mark.parametrize("phone", ["13800138000", "+8613800138000", "86 13800138000", "010-12345678",
                                   "0755-26728888", "075526728888", "010-12345678-123"])
def test_mobiles_and_landlines_with_area_code_pass(phone):
    assert check_phone(phone) == phone


@pytest.mark.parametrize("phone", ["12800138000", "1380013800", "138001380001", "12345678", "abc",
                                   "", "+1 415 555 0100"])
def test_anything_else_is_refused_with_an_example(phone):
    with pytest.raises(IdentifierError, match="13800138000"):
        check_phone(phone)
