"""Encryption at rest of legal representatives' ID numbers: the platform's `Sealer` (Fernet, keys
that rotate, a generated key in the embedded default)."""

from __future__ import annotations

from platform_shared.sealing import Sealer


class IdNumberCipher(Sealer):
    """Encrypts with the first key, decrypts with any: keys can rotate (`k1,k2` newest first)."""

    def encrypt(self, value: str) -> str:
        return self.seal(value)

    def decrypt(self, token: str) -> str:
        return self.open(token)
