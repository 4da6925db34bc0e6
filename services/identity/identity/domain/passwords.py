"""The password policy: long enough, not the e-mail, not a commonly used password."""

from __future__ import annotations

from platform_shared.errors import Rule

MIN_LENGTH = 10
MAX_LENGTH = 128
# The most common passwords of public breach lists (and their Chinese favourites).
COMMON_PASSWORDS = frozenset({
    "1234567890", "12345678910", "123456789a", "1qaz2wsx3edc", "password123", "password1234",
    "qwertyuiop", "1q2w3e4r5t", "a123456789", "abc1234567", "iloveyou12", "woaini1314",
    "woaini520520", "5201314520", "1314520520", "0123456789", "9876543210", "qwerty1234",
    "administrator", "admin12345", "welcome123", "passw0rd12", "zhang123456", "abcdefghij",
    "1111111111", "0000000000", "8888888888", "6666666666", "aaaaaaaaaa", "qazwsxedcr",
})


class PasswordRejected(ValueError):
    """The policy refused the password; `reason` says which rule, in words and as a `Rule`."""

    def __init__(self, reason: Rule) -> None:
        super().__init__(reason)
        self.reason = reason


def check_password(password: str, email: str) -> None:
    """Raise `PasswordRejected` with the reason when `password` breaks the policy."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(Rule(f"Use at least {MIN_LENGTH} characters.", "password.too_short", min=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(Rule(f"Use at most {MAX_LENGTH} characters.", "password.too_long", max=MAX_LENGTH))
    lowered = password.lower()
    local_part = email.split("@", 1)[0].lower()
    if lowered == email.lower() or (len(local_part) >= 4 and local_part in lowered):
        raise PasswordRejected(Rule("The password must not contain your e-mail address.", "password.contains_email"))
    if lowered in COMMON_PASSWORDS or len(set(lowered)) <= 2:
        raise PasswordRejected(Rule("This password is too common; choose another.", "password.too_common"))
