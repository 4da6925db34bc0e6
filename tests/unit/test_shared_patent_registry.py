"""The patent registries a declared patent is checked against (platform_shared.patents.registry).

`checksum` on the number alone, `file` on a CSV in a temporary directory, `http` against a real
HTTP server started here on 127.0.0.1 (an ephemeral port), and the choice between them from the
`PATENT_REGISTRY*` settings (FILING_ or REVIEW_ prefixed, or not).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from filing.domain.rules import PatentVerdict
from platform_shared.patents.registry import (
    ChecksumRegistry,
    FileRegistry,
    HttpRegistry,
    RegistryUnavailable,
    registry_from_settings,
)
from platform_shared.patents.verdict import RecordedLicence, RegisteredHolder

pytestmark = pytest.mark.unit

VALID = "201710601862.3"
LAPSED = "201310699744.2"
INVALIDATED = "201911050262.8"
ABSENT = "202011167667.2"
HOLDERS, BAD_DATE, BAD_LICENCE = "202010566088.9", "202110000001.1", "202110000002.2"


# --- checksum ------------------------------------------------------------------------------------

def test_checksum_registry_takes_a_well_formed_number_as_valid():
    assert ChecksumRegistry().check(VALID) == PatentVerdict(True)
    assert ChecksumRegistry().check("95115608.X") == PatentVerdict(True)


@pytest.mark.parametrize(("number", "why"), [("202310123456.7", "check character"),
                                             ("12345", "not a patent application number")])
def test_checksum_registry_refuses_a_malformed_number_with_the_reason(number, why):
    verdict = ChecksumRegistry().check(number)

    assert verdict.valid is False
    assert why in verdict.reason


def test_checksum_registry_says_it_knows_no_holders_and_no_licences():
    record = ChecksumRegistry().check(VALID).record

    assert record is not None
    assert (record.registry, record.holders, record.licences) == ("checksum", None, None)


# --- file ----------------------------------------------------------------------------------------

def write_registry(path: Path, rows: list[tuple[str, str, str]], header: str = "number,status,holder") -> None:
    lines = [header, *(",".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def registry_file(tmp_path) -> Path:
    path = tmp_path / "patents.csv"
    write_registry(path, [(VALID, "valid", "深圳某某科技有限公司"), (LAPSED, "lapsed", "某某公司"),
                          (INVALIDATED, "invalidated", "某某公司"), ("not a number", "valid", "nobody")])
    return path


def test_file_registry_finds_a_valid_patent(registry_file):
    assert FileRegistry(registry_file).check(VALID) == PatentVerdict(True)


def test_file_registry_says_a_lapsed_patent_is_not_valid(registry_file):
    verdict = FileRegistry(registry_file).check(LAPSED)

    assert verdict.valid is False
    assert "lapsed" in verdict.reason
    assert LAPSED in verdict.reason


def test_file_registry_says_an_invalidated_patent_is_not_valid(registry_file):
    verdict = FileRegistry(registry_file).check(INVALIDATED)

    assert verdict.valid is False
    assert "invalid" in verdict.reason


def test_file_registry_says_an_absent_patent_is_not_in_the_registry(registry_file):
    verdict = FileRegistry(registry_file).check(ABSENT)

    assert verdict.valid is False
    assert "not in the patent registry" in verdict.reason


def test_file_registry_rereads_the_file_when_it_is_rewritten(registry_file):
    registry = FileRegistry(registry_file)
    assert registry.check(VALID).valid is True
    assert registry.check(ABSENT).valid is False

    write_registry(registry_file, [(VALID, "lapsed", "深圳某某科技有限公司"), (ABSENT, "valid", "某某公司")])
    stat = registry_file.stat()  # make sure the change shows however coarse the file system's clock is
    os.utime(registry_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))

    lapsed = registry.check(VALID)
    assert lapsed.valid is False and "lapsed" in lapsed.reason
    assert registry.check(ABSENT) == PatentVerdict(True)
    assert "not in the patent registry" in registry.check(LAPSED).reason


def test_file_registry_without_its_file_is_unavailable(tmp_path):
    registry = FileRegistry(tmp_path / "missing.csv")

    with pytest.raises(RegistryUnavailable, match="missing.csv"):
        registry.check(VALID)


def test_file_registry_whose_file_disappears_is_unavailable(registry_file):
    registry = FileRegistry(registry_file)
    assert registry.check(VALID).valid is True
    registry_file.unlink()

    with pytest.raises(RegistryUnavailable):
        registry.check(VALID)


@pytest.mark.parametrize("header", ["number,holder", "patent,status,holder", "num,state,holder"])
def test_file_registry_without_the_columns_is_unavailable(tmp_path, header):
    path = tmp_path / "patents.csv"
    write_registry(path, [(VALID, "valid", "x")], header=header)

    with pytest.raises(RegistryUnavailable, match="number,status"):
        FileRegistry(path).check(VALID)


def test_file_registry_that_is_not_utf8_is_unavailable(tmp_path):
    path = tmp_path / "patents.csv"
    path.write_bytes("number,status,holder\n201710601862.3,valid,深圳\n".encode("gb18030"))

    with pytest.raises(RegistryUnavailable):
        FileRegistry(path).check(VALID)


def test_file_registry_finds_numbers_written_in_other_forms_by_their_normal_form(tmp_path):
    path = tmp_path / "patents.csv"
    path.write_text("\ufeffnumber,status,holder\n"  # a byte-order mark, as spreadsheets write it
                    f"ZL{VALID},valid,甲公司\n"
                    f"ZL 2013 1 0699744.2,Valid ,乙公司\n"
                    f"cn{INVALIDATED},lapsed,丙公司\n", encoding="utf-8")
    registry = FileRegistry(path)

    assert registry.check(VALID) == PatentVerdict(True)
    assert registry.check(LAPSED) == PatentVerdict(True)  # status compared without case or spaces
    assert "lapsed" in registry.check(INVALIDATED).reason


# --- http ----------------------------------------------------------------------------------------

ANSWERS = {
    VALID: (200, json.dumps({"status": "valid", "holder": "甲公司", "title": "一种终端"})),
    INVALIDATED: (200, json.dumps({"status": "invalidated"})),
    ABSENT: (404, json.dumps({"error": "no such patent"})),
    "200510096239.4": (500, "internal error"),
    "201510958772.0": (200, "{not json"),
    "201811564288.X": (200, json.dumps({"holder": "no status"})),
    HOLDERS: (200, json.dumps({"status": "valid", "holders": [{"name": "甲公司", "uscc": "91440300ma5dc0tn0x"},
                                                              {"name": "乙（集团）公司"}],
                               "granted_on": "2019-05-03", "expires_on": "2037-07-20",
                               "licences": [{"record_no": "L-1", "licensor": "甲公司", "licensee": "丙公司",
                                             "starts_on": "2023-01-01", "ends_on": None}]})),
    BAD_DATE: (200, json.dumps({"status": "valid", "holders": [{"name": "甲公司"}], "granted_on": "yesterday"})),
    BAD_LICENCE: (200, json.dumps({"status": "valid", "licences": [{"record_no": "L-1"}]})),
}
SLOW = "201310699744.2"


class Registry:
    def __init__(self, server: ThreadingHTTPServer, release: threading.Event, seen: list[tuple[str, str]]):
        self.server = server
        self.release = release
        self.seen = seen

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"


@pytest.fixture
def http_registry() -> Iterator[Registry]:
    release = threading.Event()
    seen: list[tuple[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append((self.path, self.headers.get("Accept", "")))
            number = self.path.rsplit("/", 1)[-1]
            if not self.path.startswith("/patents/"):
                self.send_error(400)
                return
            if number == SLOW:
                release.wait(10)  # longer than the client's timeout; released at teardown
                return
            code, body = ANSWERS.get(number, (404, "{}"))
            payload = body.encode("utf-8")
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Registry(server, release, seen)
    finally:
        release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_http_registry_says_valid(http_registry):
    assert HttpRegistry(http_registry.url).check(VALID) == PatentVerdict(True)
    assert http_registry.seen == [(f"/patents/{VALID}", "application/json")]


def test_http_registry_url_may_end_in_a_slash(http_registry):
    assert HttpRegistry(http_registry.url + "/").check(VALID) == PatentVerdict(True)
    assert http_registry.seen[0][0] == f"/patents/{VALID}"


def test_http_registry_says_invalid_with_the_status(http_registry):
    verdict = HttpRegistry(http_registry.url).check(INVALIDATED)

    assert verdict.valid is False
    assert "invalid" in verdict.reason and "http registry" in verdict.reason


def test_http_registry_404_is_a_patent_not_found(http_registry):
    verdict = HttpRegistry(http_registry.url).check(ABSENT)

    assert verdict.valid is False
    assert "not in the patent registry" in verdict.reason


def test_http_registry_reads_holders_dates_and_licences(http_registry):
    record = HttpRegistry(http_registry.url).check(HOLDERS).record

    assert record.registry == "http"
    assert record.holders == (RegisteredHolder("甲公司", "91440300MA5DC0TN0X"), RegisteredHolder("乙（集团）公司"))
    assert (record.granted_on, record.expires_on) == (dt.date(2019, 5, 3), dt.date(2037, 7, 20))
    assert record.licences == (RecordedLicence("L-1", HOLDERS, "甲公司", "丙公司", None, dt.date(2023, 1, 1)),)


def test_http_registry_with_one_holder_string_and_no_licence_data(http_registry):
    record = HttpRegistry(http_registry.url).check(VALID).record

    assert record.holders == (RegisteredHolder("甲公司"),)
    assert record.licences is None  # no `licences` key: this registry keeps no licence data
    assert HttpRegistry(http_registry.url).check(INVALIDATED).record.holders is None


@pytest.mark.parametrize(("number", "why"), [(BAD_DATE, "YYYY-MM-DD"), (BAD_LICENCE, "licences without")])
def test_http_registry_with_broken_register_facts_is_unavailable(http_registry, number, why):
    with pytest.raises(RegistryUnavailable, match=why):
        HttpRegistry(http_registry.url).check(number)


@pytest.mark.parametrize(("number", "why"), [("200510096239.4", "answered 500"),
                                             ("201510958772.0", "unreadable"),
                                             ("201811564288.X", "lacks the patent's status")])
def test_http_registry_without_a_usable_answer_is_unavailable(http_registry, number, why):
    with pytest.raises(RegistryUnavailable, match=why):
        HttpRegistry(http_registry.url).check(number)


def test_http_registry_that_is_too_slow_is_unavailable(http_registry):
    with pytest.raises(RegistryUnavailable):
        HttpRegistry(http_registry.url, timeout=0.2).check(SLOW)
    assert http_registry.seen == [(f"/patents/{SLOW}", "application/json")]


def test_http_registry_that_is_not_there_is_unavailable(http_registry):
    url = http_registry.url
    http_registry.server.shutdown()
    http_registry.server.server_close()

    with pytest.raises(RegistryUnavailable):
        HttpRegistry(url, timeout=1).check(VALID)


# --- choosing the registry -----------------------------------------------------------------------

def settings(**values: str):
    def setting(name: str, default: str) -> str:
        return values.get(name, default)
    return setting


def test_file_registry_reads_holders_their_usccs_and_dates(tmp_path):
    path = tmp_path / "patents.csv"
    path.write_text("number,status,holder,holder_uscc,granted_on,expires_on\n"
                    f"{VALID},valid,甲公司；乙（集团）公司; ,91440300MA5DC0TN0x;,2019-05-03,2037-07-20\n"
                    f"{LAPSED},lapsed,丙公司,,,2020-01-31\n"
                    f"{INVALIDATED},valid,,,,\n", encoding="utf-8")
    registry = FileRegistry(path)

    record = registry.check(VALID).record
    assert record.holders == (RegisteredHolder("甲公司", "91440300MA5DC0TN0X"), RegisteredHolder("乙（集团）公司"))
    assert (record.granted_on, record.expires_on) == (dt.date(2019, 5, 3), dt.date(2037, 7, 20))
    assert record.licences is None  # no licence file: the registry cannot tell
    lapsed = registry.check(LAPSED)
    assert lapsed.valid is False and lapsed.record.expires_on == dt.date(2020, 1, 31)
    assert registry.check(INVALIDATED).record.holders is None  # no holder given: unknown, not "nobody"


def test_file_registry_reads_the_recorded_licences_of_a_patent(tmp_path):
    patents, licences = tmp_path / "patents.csv", tmp_path / "licences.csv"
    write_registry(patents, [(VALID, "valid", "甲公司"), (LAPSED, "valid", "甲公司")])
    licences.write_text("record_no,number,licensor,licensee,licensee_uscc,starts_on,ends_on\n"
                        f"L-1,ZL{VALID},甲公司,乙公司,91440300ma5dc0tn0x,2023-01-01,2025-12-31\n"
                        f"L-2,{VALID},甲公司,丙公司,,,\n"
                        f"L-2,{INVALIDATED},甲公司,丙公司,,,\n"  # one contract, another patent
                        f",{VALID},甲公司,丁公司,,,\n", encoding="utf-8")  # no record number: no licence
    registry = FileRegistry(patents, licences)

    assert registry.check(VALID).record.licences == (
        RecordedLicence("L-1", VALID, "甲公司", "乙公司", "91440300MA5DC0TN0X", dt.date(2023, 1, 1),
                        dt.date(2025, 12, 31)),
        RecordedLicence("L-2", VALID, "甲公司", "丙公司"))
    assert registry.check(LAPSED).record.licences == ()  # known: none recorded


def test_file_registry_with_an_unreadable_date_is_unavailable(tmp_path):
    path = tmp_path / "patents.csv"
    path.write_text(f"number,status,holder,granted_on\n{VALID},valid,甲公司,03/05/2019\n", encoding="utf-8")

    with pytest.raises(RegistryUnavailable, match="YYYY-MM-DD"):
        FileRegistry(path).check(VALID)


def test_file_registry_licence_file_without_its_columns_is_unavailable(registry_file, tmp_path):
    licences = tmp_path / "licences.csv"
    licences.write_text("record,number\nL-1,201710601862.3\n", encoding="utf-8")

    with pytest.raises(RegistryUnavailable, match="record_no,number,licensor,licensee"):
        FileRegistry(registry_file, licences).check(VALID)


def test_the_checksum_registry_is_the_default():
    assert isinstance(registry_from_settings(settings()), ChecksumRegistry)
    assert isinstance(registry_from_settings(settings(PATENT_REGISTRY="checksum")), ChecksumRegistry)


def test_the_file_registry_is_chosen_with_its_path(registry_file):
    registry = registry_from_settings(settings(PATENT_REGISTRY=" File ", PATENT_REGISTRY_FILE=str(registry_file)))

    assert isinstance(registry, FileRegistry)
    assert registry.path == registry_file
    assert registry.check(VALID) == PatentVerdict(True)


def test_the_http_registry_is_chosen_with_its_url_and_timeout(http_registry):
    registry = registry_from_settings(settings(PATENT_REGISTRY="http", PATENT_REGISTRY_URL=http_registry.url + "/",
                                               PATENT_REGISTRY_TIMEOUT="2.5"))

    assert isinstance(registry, HttpRegistry)
    assert registry.base_url == http_registry.url
    assert registry.timeout == 2.5
    assert registry.check(VALID) == PatentVerdict(True)
    assert registry_from_settings(settings(PATENT_REGISTRY="http", PATENT_REGISTRY_URL="https://x.example")).timeout \
        == 5.0


def test_the_file_registry_needs_a_path():
    with pytest.raises(ValueError, match="PATENT_REGISTRY_FILE"):
        registry_from_settings(settings(PATENT_REGISTRY="file"))


@pytest.mark.parametrize("url", ["", "ftp://registry.example", "registry.example/patents", "file:///etc/passwd"])
def test_the_http_registry_needs_an_http_url(url):
    with pytest.raises(ValueError, match="PATENT_REGISTRY_URL"):
        registry_from_settings(settings(PATENT_REGISTRY="http", PATENT_REGISTRY_URL=url))


@pytest.mark.parametrize("kind", ["ldap", "", "files"])
def test_an_unknown_registry_kind_is_refused(kind):
    with pytest.raises(ValueError, match="checksum, file or http"):
        registry_from_settings(settings(PATENT_REGISTRY=kind))
