"""identity's signing keys: RS256 private keys in a folder, their public halves as a JWKS.

Each `<kid>.pem` in the keys folder is a key; the newest name signs, all are published, so a
new key can be added (and an old one removed later) without logging anyone out. Deployment
mounts the folder from a Secret; the embedded default generates a first key into `var/`.
The JWKS is also written to a file beside the keys, for services on the same machine.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


class SigningKeys:
    def __init__(self, folder: Path, generate_if_missing: bool = True):
        self.folder = folder
        if generate_if_missing and not any(folder.glob("*.pem")):
            self.generate()
        self._keys = self._load()
        if not self._keys:
            raise RuntimeError(f"no signing key (*.pem) in {folder}")

    def generate(self) -> str:
        """Write a new 2048-bit RSA key; its file name (a sortable time stamp) is its kid."""
        self.folder.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        # Microseconds in the kid, and never an existing name: a second key made in the same
        # second must not replace the first (that would invalidate every token it signed).
        while True:
            now = time.time()
            kid = (time.strftime("%Y%m%dT%H%M%S", time.gmtime(now))
                   + f"{int(now % 1 * 1_000_000):06d}-{os.getpid()}")
            path = self.folder / f"{kid}.pem"
            if not path.exists():
                break
        write_atomically(path, pem, mode=0o600)
        return kid

    def _load(self) -> dict[str, rsa.RSAPrivateKey]:
        keys = {}
        for path in sorted(self.folder.glob("*.pem")):
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(key, rsa.RSAPrivateKey):
                raise RuntimeError(f"{path} is not an RSA private key")
            keys[path.stem] = key
        return keys

    @property
    def current_kid(self) -> str:
        return max(self._keys)

    def sign(self, claims: dict[str, Any]) -> str:
        kid = self.current_kid
        return jwt.encode(claims, self._keys[kid], algorithm="RS256", headers={"kid": kid})

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid, key in sorted(self._keys.items()):
            jwk: dict[str, Any] = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
            jwk.update({"kid": kid, "use": "sig", "alg": "RS256"})
            keys.append(jwk)
        return {"keys": keys}

    def write_jwks(self, path: Path) -> None:
        """The JWKS as a file, replaced in one step: serve, consume and relay of identity write it
        at once into one folder, each through a temporary file of its own."""
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(self.jwks()).encode())


def write_atomically(path: Path, content: bytes, *, mode: int | None = None) -> None:
    """Write `content` to a temporary file of a unique name beside `path`, then move it into place
    (`os.replace`): a reader sees the old file or the new one, never half of one, and writers at
    once (threads or processes) never share a temporary file."""
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp",
                                     delete=False) as tmp:
        tmp.write(content)
    try:
        if mode is not None:
            os.chmod(tmp.name, mode)
        os.replace(tmp.name, path)
    except BaseException:
        Path(tmp.name).unlink(missing_ok=True)
        raise
