"""Password hashing: argon2id, memory-hard; parameters of argon2-cffi's RFC 9106 low-memory profile."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class PasswordHashing:
    def __init__(self) -> None:
        self._hasher = PasswordHasher()
        # Verifying against this keeps a login for an unknown e-mail as slow as a real one.
        self._decoy = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        # No account, or one without a usable password yet (invited: "" or "!"): verify against
        # the decoy all the same, so that the answer takes as long as for a real account.
        usable = password_hash if password_hash and password_hash.startswith("$argon2") else None
        try:
            self._hasher.verify(usable or self._decoy, password)
        except (VerificationError, InvalidHashError):
            return False
        return usable is not None
