"""When two filings are the same product (filing.domain.product_identity).

Brand and model are the identity: spellings that differ only in case, width, whitespace or
punctuation are one product; a meaningful symbol (`+`, `&`) makes another one; and the brand
never runs into the model.
"""

from __future__ import annotations

import pytest

from filing.domain.product_identity import model_key, normalise_part, normalise_variants

pytestmark = pytest.mark.unit

SAME_PRODUCT = [
    ("HUAWEI", "Mate-60 Pro"),
    ("huawei", "mate60pro"),
    ("ＨＵＡＷＥＩ", "Ｍａｔｅ６０\u3000Ｐｒｏ"),  # full-width letters, digits and an ideographic space
    ("ＨＵＡＷＥＩ\u3000", "Ｍａｔｅ６０ Ｐｒｏ"),
    ("Huawei", "Mate·60，Pro"),  # Chinese middle dot and full-width comma
    (" Huawei ", "Mate_60 (Pro)"),
    ("Huawei", "《Mate 60 Pro》"),
]


@pytest.mark.parametrize(("brand", "model"), SAME_PRODUCT)
def test_spellings_of_one_product_give_one_key(brand, model):
    assert model_key(brand, model) == model_key("HUAWEI", "Mate-60 Pro")


def test_the_key_is_the_folded_brand_and_model():
    key = model_key("HUAWEI", "Mate-60 Pro")

    assert "huawei" in key and "mate60pro" in key
    assert key != model_key("HUAWEI", "Mate-60")
    assert key != model_key("HONOR", "Mate-60 Pro")


@pytest.mark.parametrize(("one", "other"), [
    ("X+", "X"),
    ("X＋", "X"),     # the full-width plus is a plus
    ("A&B", "AB"),    # `&` is kept like `+`, though Unicode files it under punctuation
    ("60 Pro+", "60 Pro"),
])
def test_meaningful_symbols_make_another_model(one, other):
    assert model_key("Brand", one) != model_key("Brand", other)


def test_a_full_width_plus_is_the_same_plus():
    assert model_key("Brand", "X＋") == model_key("Brand", "X+")
    assert model_key("Brand", "A＆B") == model_key("Brand", "A&B")


def test_brand_and_model_never_run_together():
    assert model_key("AB", "C") != model_key("A", "BC")
    assert model_key("", "ABC") != model_key("ABC", "")
    assert model_key("A B", "C") == model_key("AB", "C")  # inside one part, spaces still do not count


def test_the_separator_typed_into_a_part_does_not_make_parts_run_together():
    separator = "\u241f"

    assert model_key(f"A{separator}B", "C") != model_key("A", f"B{separator}C")
    assert separator not in normalise_part(f"A{separator}B")


def test_case_folding_is_full_unicode_folding():
    assert normalise_part("STRASSE") == normalise_part("straße")
    assert normalise_part("") == normalise_part(None) == ""  # type: ignore[arg-type]


def test_normalise_variants_drops_blanks_and_repeats_keeping_the_first_spelling():
    variants = ["Mate 60 Pro 12GB", "", "   ", None, "mate60pro12gb", "Ｍａｔｅ６０ Ｐｒｏ １２ＧＢ",
                " Mate 60 Pro 16GB ", "Mate-60-Pro-16GB", "Mate 60 Pro+ 16GB", "--"]

    assert normalise_variants(variants) == ["Mate 60 Pro 12GB", "Mate 60 Pro 16GB", "Mate 60 Pro+ 16GB"]


def test_normalise_variants_keeps_distinct_variants_in_order():
    assert normalise_variants(["B", "A", "C"]) == ["B", "A", "C"]
    assert normalise_variants([]) == []
