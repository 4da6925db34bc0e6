"""Values sealed at rest (Fernet: AES-128-CBC + HMAC) with keys kept outside the database: a
legal representative's ID number in identity, a one-time link in notify until its mail is sent.

Keys rotate: `k1,k2` newest first — the first seals, any opens. Without configured keys (the
embedded default) one is generated into a file at first start; processes starting together agree
on it (written aside under a name of its own, then linked into place: exactly one key wins, and
nobody reads a half-written file). In deployment the keys come from a Secret, the same in every
pod of the service.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Self

from cryptography.fernet import Fernet, MultiFernet


def _generated_key(file: Path) -> bytes:
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp",
                                         delete=False) as tmp:
            tmp.write(Fernet.generate_key())
        os.chmod(tmp.name, 0o600)
        try:
            os.link(tmp.name, file)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp.name)
    return file.read_bytes().strip()


class Sealer:
    """Seals with the first key, opens with any (rotation)."""

    def __init__(self, keys: list[bytes]) -> None:
        self._fernet = MultiFernet([Fernet(k) for k in keys])

    @classmethod
    def from_config(cls, configured: str, fallback_file: Path) -> Self:
        """From `configured` keys (comma-separated, newest first), else the generated file's."""
        keys = [k.strip().encode() for k in configured.split(",") if k.strip()]
        return cls(keys or [_generated_key(fallback_file)])

    def seal(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode()

    def open(self, token: str) -> str:
        return self._fernet.decrypt(token.encode()).decode()
