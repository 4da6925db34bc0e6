"""The patent registry a declared patent is checked against at submission, behind one interface.

- `checksum` (the embedded default): a well-formed number with the right check character is
  taken as valid — the number proves nothing more, so deployments configure a real registry;
- `file`: a CSV of patents (`number,status[,holder,title]`, UTF-8, header row; `status` is
  `valid` for a granted patent in force, anything else — `lapsed`, `invalidated`, `pending`… —
  is not), re-read when the file changes;
- `http`: an external registry answering `GET {url}/patents/{number}` with JSON
  `{"status": "valid" | …, "holder": …, "title": …}` (404: no such patent).

`check(number)` returns a `PatentVerdict`, or raises `RegistryUnavailable` when the registry
cannot answer now (the submission answers 503 and changes nothing). Chosen by
`<SERVICE>_PATENT_REGISTRY` (`checksum`, `file`, `http`) with `<SERVICE>_PATENT_REGISTRY_FILE`,
`<SERVICE>_PATENT_REGISTRY_URL` and `<SERVICE>_PATENT_REGISTRY_TIMEOUT` (seconds), or the same
names without the service prefix (filing and review ask the same registry).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from platform_shared.errors import Rule
from platform_shared.patents.numbers import InvalidPatentNumber, parse_patent_number
from platform_shared.patents.verdict import PatentVerdict
from platform_shared.registries import RegistryUnavailable, WatchedCsvFile, fetch_json

__all__ = ["ChecksumRegistry", "FileRegistry", "HttpRegistry", "PatentRegistry", "PatentVerdict",
           "RegistryUnavailable", "registry_from_settings"]

VALID = "valid"
STATUS_WORDING = {"lapsed": "has lapsed (终止)", "invalidated": "was declared invalid (无效)",
                  "pending": "is not granted yet", "withdrawn": "was withdrawn", "rejected": "was refused"}


class PatentRegistry(Protocol):
    name: str

    def check(self, number: str) -> PatentVerdict:
        """Whether the patent with this (normalised) number is granted and in force."""


def _verdict_of_status(number: str, status: str, registry: str) -> PatentVerdict:
    status = (status or "").strip().lower()
    if status == VALID:
        return PatentVerdict(True)
    wording = STATUS_WORDING.get(status, f"is {status or 'of unknown status'}")
    return PatentVerdict(False, Rule(f"The patent {number} {wording} according to the {registry} registry.",
                                     "patent.not_in_force", number=number, status=status or "unknown"))


class ChecksumRegistry:
    name = "checksum"

    def check(self, number: str) -> PatentVerdict:
        try:
            parse_patent_number(number)
        except InvalidPatentNumber as exc:
            return PatentVerdict(False, Rule(str(exc), "patent.malformed", number=number))
        return PatentVerdict(True)


class FileRegistry:
    """Known patents from a CSV file with at least the columns `number,status`."""

    name = "file"

    def __init__(self, path: Path):
        self.path = Path(path)
        self._file = WatchedCsvFile(self.path, ("number", "status"), self._read_row, "patent registry file")

    @staticmethod
    def _read_row(row: dict[str, str]) -> tuple[str, str] | None:
        try:
            return parse_patent_number(row["number"]).text, row["status"]
        except InvalidPatentNumber:
            return None  # a line we cannot read names no patent anyone can declare

    def check(self, number: str) -> PatentVerdict:
        status = self._file.records().get(number)
        if status is None:
            return PatentVerdict(False, Rule(f"The patent {number} is not in the patent registry.", "patent.unknown",
                                             number=number))
        return _verdict_of_status(number, status, self.name)


class HttpRegistry:
    """An external registry over HTTP; every failure to get an answer is `RegistryUnavailable`."""

    name = "http"

    def __init__(self, base_url: str, timeout: float = 5.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def check(self, number: str) -> PatentVerdict:
        body = fetch_json(f"{self.base_url}/patents/{quote(number, safe='')}", self.timeout, "patent registry")
        if body is None:
            return PatentVerdict(False, Rule(f"The patent {number} is not in the patent registry.", "patent.unknown",
                                             number=number))
        if not isinstance(body.get("status"), str):
            raise RegistryUnavailable("patent registry answer lacks the patent's status")
        return _verdict_of_status(number, body["status"], self.name)


def registry_from_settings(setting: Callable[[str, str], str]) -> PatentRegistry:
    """The registry the configuration names; `setting(name, default)` reads `<SERVICE>_<name>` or `<name>`."""
    kind = setting("PATENT_REGISTRY", "checksum").strip().lower()
    if kind == "checksum":
        return ChecksumRegistry()
    if kind == "file":
        path = setting("PATENT_REGISTRY_FILE", "")
        if not path:
            raise ValueError("PATENT_REGISTRY=file needs PATENT_REGISTRY_FILE (a CSV path)")
        return FileRegistry(Path(path))
    if kind == "http":
        url = setting("PATENT_REGISTRY_URL", "")
        if not url.startswith(("http://", "https://")):
            raise ValueError("PATENT_REGISTRY=http needs PATENT_REGISTRY_URL (http:// or https://)")
        return HttpRegistry(url, timeout=float(setting("PATENT_REGISTRY_TIMEOUT", "5")))
    raise ValueError(f"PATENT_REGISTRY must be checksum, file or http, not {kind!r}")
