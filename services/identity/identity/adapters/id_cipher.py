"""Encryption at rest of legal representatives' ID numbers (Fernet: AES-128-CBC + HMAC)."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet


class IdNumberCipher:
    """Encrypts with the first key, decrypts with any: keys can rotate (`k1,k2` newest first)."""

    def __init__(self, keys: list[bytes]):
        self._fernet = MultiFernet([Fernet(k) for k in keys])

    @classmethod
    def from_config(cls, configured: str, fallback_file: Path) -> IdNumberCipher:
        if configured:
            return cls([k.strip().encode() for k in configured.split(",") if k.strip()])
        if not fallback_file.exists():
            # Written aside, then linked into place: of processes starting together, exactly
            # one key wins and nobody ever reads a half-written file.
            fallback_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = fallback_file.with_name(f"{fallback_file.name}.{os.getpid()}.tmp")
            tmp.write_bytes(Fernet.generate_key())
            os.chmod(tmp, 0o600)
            try:
                os.link(tmp, fallback_file)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        return cls([fallback_file.read_bytes().strip()])

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, token: str) -> str:
        return self._fernet.decrypt(token.encode()).decode()
