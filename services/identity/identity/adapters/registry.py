"""The registry an organisation's real-name claim is checked against, behind one interface.

- `checksum` (the embedded default): the USCC's and the ID number's check characters;
- `file`: a CSV of known organisations (`uscc,name,legal_representative`, UTF-8, header row),
  re-read when the file changes;
- `http`: an external registry answering `GET {url}/organisations/{uscc}` with JSON
  `{"name": …, "legal_representative": …}` (404: unknown organisation).

`check(claim)` returns the reasons per field (empty: the registry agrees) or raises
`RegistryUnavailable` when the registry cannot answer now (the caller answers 503 and changes
nothing). Chosen by `IDENTITY_REGISTRY` (`checksum`, `file`, `http`) with
`IDENTITY_REGISTRY_FILE`, `IDENTITY_REGISTRY_URL` and `IDENTITY_REGISTRY_TIMEOUT` (seconds).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from identity.domain.verification import Claim, Reasons, RegistryRecord, check_claim_identifiers, compare_with_record
from identity.service_layer.dependencies import Registry
from platform_shared.registries import RegistryUnavailable, WatchedCsvFile, fetch_json

__all__ = ["ChecksumRegistry", "FileRegistry", "HttpRegistry", "Registry", "RegistryUnavailable",
           "registry_from_settings"]


class ChecksumRegistry:
    name = "checksum"

    def check(self, claim: Claim) -> Reasons:
        return check_claim_identifiers(claim)


class FileRegistry:
    """Known organisations from a CSV file with the columns `uscc,name,legal_representative`."""

    name = "file"
    COLUMNS = ("uscc", "name", "legal_representative")

    def __init__(self, path: Path):
        self.path = Path(path)
        self._file = WatchedCsvFile(self.path, self.COLUMNS, self._read_row)

    @staticmethod
    def _read_row(row: dict[str, str]) -> tuple[str, RegistryRecord] | None:
        uscc = row["uscc"].strip().upper()
        if not uscc:
            return None
        return uscc, RegistryRecord(uscc, row["name"].strip(), row["legal_representative"].strip())

    def check(self, claim: Claim) -> Reasons:
        record = self._file.records().get(claim.uscc.strip().upper())
        return compare_with_record(claim, record, self.name)


class HttpRegistry:
    """An external registry over HTTP; every failure to get an answer is `RegistryUnavailable`."""

    name = "http"

    def __init__(self, base_url: str, timeout: float = 5.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def lookup(self, uscc: str) -> RegistryRecord | None:
        body = fetch_json(f"{self.base_url}/organisations/{quote(uscc, safe='')}", self.timeout)
        if body is None:
            return None
        if not isinstance(body.get("name"), str):
            raise RegistryUnavailable("registry answer lacks the organisation's name")
        representative = body.get("legal_representative")
        if isinstance(representative, dict):
            representative = representative.get("name")
        if not isinstance(representative, str):
            raise RegistryUnavailable("registry answer lacks the legal representative")
        return RegistryRecord(str(body.get("uscc") or uscc), body["name"], representative)

    def check(self, claim: Claim) -> Reasons:
        return compare_with_record(claim, self.lookup(claim.uscc), self.name)


def registry_from_settings(setting: Callable[[str, str], str]) -> Registry:
    """The registry the configuration names; `setting(name, default)` reads `IDENTITY_<name>`."""
    kind = setting("REGISTRY", "checksum").strip().lower()
    if kind == "checksum":
        return ChecksumRegistry()
    if kind == "file":
        path = setting("REGISTRY_FILE", "")
        if not path:
            raise ValueError("IDENTITY_REGISTRY=file needs IDENTITY_REGISTRY_FILE (a CSV path)")
        return FileRegistry(Path(path))
    if kind == "http":
        url = setting("REGISTRY_URL", "")
        if not url.startswith(("http://", "https://")):
            raise ValueError("IDENTITY_REGISTRY=http needs IDENTITY_REGISTRY_URL (http:// or https://)")
        return HttpRegistry(url, timeout=float(setting("REGISTRY_TIMEOUT", "5")))
    raise ValueError(f"IDENTITY_REGISTRY must be checksum, file or http, not {kind!r}")
