"""Encryption at rest of legal representatives' ID numbers (Fernet: AES-128-CBC + HMAC)."""

from __future__ import annotations

import os
import tempfile
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
            # The temporary file has a name of its own (threads of one process start together too).
            fallback_file.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=fallback_file.parent, prefix=f".{fallback_file.name}.",
                                             suffix=".tmp", delete=False) as tmp:
                tmp.write(Fernet.generate_key())
            os.chmod(tmp.name, 0o600)
            try:
                os.link(tmp.name, fallback_file)
            except FileExistsError:
                pass
            finally:
                os.unlink(tmp.name)
        return cls([fallback_file.read_bytes().strip()])

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, token: str) -> str:
        return self._fernet.decrypt(token.encode()).decode()
