"""The portal's settings, from environment variables (`PORTAL_X`, some also as the platform-wide `X`).

- `PORTAL_API_URL`: the platform's public API (the gateway or the Ingress); embedded: this
  process; `serve`: `http://127.0.0.1:8000`.
- `PORTAL_API_TIMEOUT`: seconds per API call (30).
- `PORTAL_SESSION_KEY`: Fernet key(s) of the session cookie, newest first, comma-separated;
  without it one is generated once at `DATA_DIR/portal/session.key` (fine for one process or
  one volume; replicas must share a key, so deployment sets it from a Secret).
- `PORTAL_COOKIE_SECURE`: mark the session cookie `Secure` (HTTPS only): `true`, except in the
  embedded default, which is served over http://127.0.0.1.
- `PORTAL_SESSION_HOURS`: how long a sign-in lasts at most (12).
- `PORTAL_PDF_FONT`: the CJK TrueType font embedded in the manual's PDF (`path` or `path.ttc#index`);
  without it Debian's fonts-wqy-microhei (or zenhei, arphic) is looked for (`platform_shared.pdf`).
- `DATA_DIR` (`var`); `TRUSTED_PROXIES` (networks of the proxies in front, CIDR, comma-separated)
  or `TRUSTED_PROXY_HOPS` (0: how many): the client's address, which the portal passes on to the
  API in `X-Forwarded-For` for its rate limits and audit log (`platform_shared.web.client_address`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet


def _flag(value: str, default: bool) -> bool:
    if not value:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class PortalSettings:
    api_url: str | None  # None: the embedding process gives the transport
    api_timeout: float
    session_keys: tuple[bytes, ...]
    cookie_secure: bool
    session_hours: int
    trusted_proxy_hops: int
    trusted_proxies: str = ""
    pdf_font: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, api_url_default: str | None = "http://127.0.0.1:8000",
                 cookie_secure_default: bool = True) -> PortalSettings:
        env = os.environ if env is None else env

        def get(name: str, default: str = "") -> str:
            return env.get(f"PORTAL_{name}") or env.get(name) or default

        data_dir = Path(get("DATA_DIR", "var")).resolve()
        keys = get("SESSION_KEY")
        return cls(
            api_url=(env.get("PORTAL_API_URL") or api_url_default or None),
            api_timeout=float(get("API_TIMEOUT", "30")),
            session_keys=tuple(k.strip().encode() for k in keys.split(",") if k.strip()) if keys
            else (generated_key(data_dir / "portal" / "session.key"),),
            cookie_secure=_flag(env.get("PORTAL_COOKIE_SECURE", ""), cookie_secure_default),
            session_hours=int(get("SESSION_HOURS", "12")),
            trusted_proxy_hops=int(get("TRUSTED_PROXY_HOPS", "0")),
            trusted_proxies=get("TRUSTED_PROXIES"),
            pdf_font=get("PDF_FONT") or None,
        )


def generated_key(path: Path) -> bytes:
    """The Fernet key kept at `path`, made on first use (readable by its owner only)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker made it first
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(Fernet.generate_key())
    return path.read_bytes().strip()
