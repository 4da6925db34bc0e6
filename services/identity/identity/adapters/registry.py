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

import csv
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Protocol

from identity.domain.verification import Claim, Reasons, RegistryRecord, check_claim_identifiers, compare_with_record


class RegistryUnavailable(Exception):
    """The registry cannot answer right now (unreachable, timed out, broken answer)."""


class Registry(Protocol):
    name: str

    def check(self, claim: Claim) -> Reasons:
        """Where the registry disagrees with `claim` (field -> reasons); empty if it agrees."""


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
        self._lock = threading.Lock()
        self._loaded_stamp: tuple[int, int] | None = None
        self._records: dict[str, RegistryRecord] = {}

    def _records_now(self) -> dict[str, RegistryRecord]:
        try:
            stat = self.path.stat()
        except OSError as exc:
            raise RegistryUnavailable(f"registry file {self.path} unreadable: {exc}") from exc
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._loaded_stamp:
                self._records = self._load()
                self._loaded_stamp = stamp
            return self._records

    def _load(self) -> dict[str, RegistryRecord]:
        try:
            with self.path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                if not set(self.COLUMNS) <= set(reader.fieldnames or ()):
                    raise RegistryUnavailable(f"registry file {self.path} lacks the columns {self.COLUMNS}")
                records = {}
                for row in reader:
                    uscc = (row["uscc"] or "").strip().upper()
                    if uscc:
                        records[uscc] = RegistryRecord(uscc, (row["name"] or "").strip(),
                                                       (row["legal_representative"] or "").strip())
                return records
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise RegistryUnavailable(f"registry file {self.path} unreadable: {exc}") from exc

    def check(self, claim: Claim) -> Reasons:
        record = self._records_now().get(claim.uscc.strip().upper())
        return compare_with_record(claim, record, self.name)


class HttpRegistry:
    """An external registry over HTTP; every failure to get an answer is `RegistryUnavailable`."""

    name = "http"

    def __init__(self, base_url: str, timeout: float = 5.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def lookup(self, uscc: str) -> RegistryRecord | None:
        url = f"{self.base_url}/organisations/{urllib.parse.quote(uscc, safe='')}"
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                body = json.loads(response.read(1_048_576))
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise RegistryUnavailable(f"registry answered {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            raise RegistryUnavailable(f"registry unreachable or unreadable: {exc}") from exc
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            raise RegistryUnavailable("registry answer lacks the organisation's name")
        representative = body.get("legal_representative")
        if isinstance(representative, dict):
            representative = representative.get("name")
        if not isinstance(representative, str):
            raise RegistryUnavailable("registry answer lacks the legal representative")
        return RegistryRecord(str(body.get("uscc") or uscc), body["name"], representative)

    def check(self, claim: Claim) -> Reasons:
        return compare_with_record(claim, self.lookup(claim.uscc), self.name)


def registry_from_settings(setting) -> Registry:
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
