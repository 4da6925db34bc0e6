"""identity's password policy (identity.domain.passwords)."""

from __future__ import annotations

import pytest

from identity.domain.passwords import PasswordRejected, check_password

pytestmark = pytest.mark.unit

EMAIL = "zhang.wei@example.cn"


def test_a_long_uncommon_password_passes():
    assert check_password("Blue-Heron-Delta-42", EMAIL) is None


def test_a_password_shorter_than_twelve_characters_is_refused():  # OWASP ASVS 4.0.3 V2.1.1
    with pytest.raises(PasswordRejected, match="at least 12") as refused:
        check_password("Ab3$efgh9Kq", EMAIL)
    assert refused.value.reason.described() == {"rule": "password.too_short", "min": 12}


def test_a_password_of_exactly_twelve_characters_passes():
    check_password("Ab3$efgh9Kq!", EMAIL)


@pytest.mark.parametrize("password", ["qwertyuiop123", "iloveyou12345", "abcdefgh12345678", "Password2024!"])
def test_a_long_but_guessable_password_is_refused_by_its_zxcvbn_score(password):
    with pytest.raises(PasswordRejected) as refused:
        check_password(password, EMAIL)
    assert refused.value.reason.code in ("password.too_guessable", "password.too_common")


def test_a_password_over_the_maximum_length_is_refused():
    with pytest.raises(PasswordRejected, match="at most 128"):
        check_password("Xy7-" * 33, EMAIL)


@pytest.mark.parametrize("password", ["zhang.wei@example.cn", "ZHANG.WEI2024!!", "my-zhang.wei-pass"])
def test_a_password_containing_the_email_is_refused(password):
    with pytest.raises(PasswordRejected, match="e-mail"):
        check_password(password, EMAIL)


def test_a_short_local_part_alone_does_not_forbid_a_password():
    check_password("abc-Orchard-77", "abc@example.cn")


@pytest.mark.parametrize("password", ["1qaz2wsx3edc", "ababababababab"])
def test_a_common_password_is_refused(password):
    with pytest.raises(PasswordRejected, match="too common"):
        check_password(password, EMAIL)
