"""Real-name verification rules and the registry adapters (`checksum`, `file`, `http`)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from stdnum.cn import uscc as stdnum_uscc

from identity.adapters.registry import (
    ChecksumRegistry,
    FileRegistry,
    HttpRegistry,
    RegistryUnavailable,
    registry_from_settings,
)
from identity.domain.verification import (
    Claim,
    VerificationRefused,
    check_may_request,
    missing_documents,
    normalise_name,
)

pytestmark = pytest.mark.unit

ID_NUMBER = "11010519491231002X"


def uscc(body: str) -> str:
    return body + stdnum_uscc.calc_check_digit(body)


HUAWEI = Claim(uscc="914403001922038216", name="华为技术有限公司", legal_representative_name="赵明路",
               legal_representative_id_number=ID_NUMBER)
TENCENT = Claim(uscc="9144030071526726XG", name="腾讯科技（深圳）有限公司", legal_representative_name="马化腾",
                legal_representative_id_number=ID_NUMBER)


# --- the rules ----------------------------------------------------------------------------------

def test_both_mandatory_documents_are_named_when_missing():
    assert set(missing_documents([])) == {"documents.business_license", "documents.integrity_commitment"}
    assert set(missing_documents(["business_license", "authorization_letter"])) == {
        "documents.integrity_commitment"}
    assert missing_documents(["integrity_commitment", "business_license"]) == {}


@pytest.mark.parametrize("status", ["registered", "rejected"])
def test_registered_and_rejected_organisations_may_ask(status):
    check_may_request(status)


@pytest.mark.parametrize("status", ["pending_review", "verified", "anything"])
def test_others_may_not_ask(status):
    with pytest.raises(VerificationRefused):
        check_may_request(status)


def test_names_are_compared_as_a_person_reads_them():
    assert normalise_name("腾讯科技（深圳）有限公司") == normalise_name("腾讯科技(深圳)有限公司")
    assert normalise_name(" 华为技术 有限公司 ") == normalise_name("华为技术有限公司")
    assert normalise_name("华为技术有限公司") != normalise_name("华为终端有限公司")


# --- checksum -----------------------------------------------------------------------------------

def test_the_checksum_registry_accepts_valid_check_characters():
    assert ChecksumRegistry().check(HUAWEI) == {}


def test_the_checksum_registry_names_each_wrong_check_character():
    claim = Claim(uscc="914403001922038217", name="x", legal_representative_name="y",
                  legal_representative_id_number="110105194912310021")
    reasons = ChecksumRegistry().check(claim)
    assert set(reasons) == {"uscc", "legal_representative.id_number"}
    assert "check character" in reasons["uscc"][0]


# --- file -----------------------------------------------------------------------------------

@pytest.fixture
def registry_file(tmp_path):
    path = tmp_path / "registry.csv"
    path.write_text("uscc,name,legal_representative\n"
                    "914403001922038216,华为技术有限公司,赵明路\n"
                    "9144030071526726XG,腾讯科技(深圳)有限公司,马化腾\n", encoding="utf-8-sig")
    return path


def test_the_file_registry_agrees_with_a_matching_claim(registry_file):
    registry = FileRegistry(registry_file)
    assert registry.check(HUAWEI) == {}
    assert registry.check(TENCENT) == {}  # full-width brackets in the claim, half-width in the file


def test_the_file_registry_names_each_field_that_disagrees(registry_file):
    claim = Claim(uscc=HUAWEI.uscc, name="华为终端有限公司", legal_representative_name="张三",
                  legal_representative_id_number=ID_NUMBER)
    reasons = FileRegistry(registry_file).check(claim)
    assert set(reasons) == {"name", "legal_representative.name"}
    assert "华为技术有限公司" in reasons["name"][0]


def test_the_file_registry_does_not_know_an_unlisted_organisation(registry_file):
    claim = Claim(uscc=uscc("91440300MA5FQ1234"), name="某某有限公司", legal_representative_name="赵明路",
                  legal_representative_id_number=ID_NUMBER)
    reasons = FileRegistry(registry_file).check(claim)
    assert list(reasons) == ["uscc"] and "knows no organisation" in reasons["uscc"][0]


def test_the_file_registry_reads_the_file_again_when_it_changes(registry_file):
    registry = FileRegistry(registry_file)
    assert registry.check(HUAWEI) == {}
    time.sleep(0.01)
    registry_file.write_text("uscc,name,legal_representative\n914403001922038216,华为技术有限公司,徐直军\n",
                             encoding="utf-8")
    assert set(registry.check(HUAWEI)) == {"legal_representative.name"}


def test_a_missing_or_malformed_registry_file_is_unavailable_not_a_verdict(tmp_path):
    with pytest.raises(RegistryUnavailable):
        FileRegistry(tmp_path / "absent.csv").check(HUAWEI)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("code,title\n914403001922038216,华为技术有限公司\n", encoding="utf-8")
    with pytest.raises(RegistryUnavailable):
        FileRegistry(wrong).check(HUAWEI)


# --- http ------------------------------------------------------------------------------------

KNOWN = {"914403001922038216": {"name": "华为技术有限公司", "legal_representative": "赵明路"},
         "9144030071526726XG": {"name": "腾讯科技（深圳）有限公司", "legal_representative": {"name": "马化腾"}}}


class _Registry(BaseHTTPRequestHandler):
    requests: list[str] = []
    mode = "normal"

    def do_GET(self):
        type(self).requests.append(self.path)
        if self.mode == "broken":
            return self._send(500, b'{"error": "down"}')
        if self.mode == "slow":
            time.sleep(1.0)
        if self.mode == "garbage":
            return self._send(200, b"<html>maintenance</html>")
        uscc_code = self.path.rsplit("/", 1)[-1]
        if not self.path.startswith("/registry/organisations/") or uscc_code not in KNOWN:
            return self._send(404, b'{"error": "unknown"}')
        return self._send(200, json.dumps(KNOWN[uscc_code], ensure_ascii=False).encode())

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def http_registry():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Registry)
    _Registry.requests, _Registry.mode = [], "normal"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/registry", _Registry
    finally:
        server.shutdown()
        server.server_close()


def test_the_http_registry_asks_for_the_uscc_and_agrees_with_a_matching_claim(http_registry):
    url, handler = http_registry
    assert HttpRegistry(url).check(HUAWEI) == {}
    assert HttpRegistry(url).check(TENCENT) == {}  # legal representative as an object
    assert handler.requests == ["/registry/organisations/914403001922038216",
                                "/registry/organisations/9144030071526726XG"]


def test_the_http_registry_names_the_fields_that_disagree(http_registry):
    url, _ = http_registry
    claim = Claim(uscc=HUAWEI.uscc, name="华为技术有限公司", legal_representative_name="任正非",
                  legal_representative_id_number=ID_NUMBER)
    assert set(HttpRegistry(url).check(claim)) == {"legal_representative.name"}


def test_an_organisation_unknown_to_the_http_registry_fails_the_check(http_registry):
    url, _ = http_registry
    claim = Claim(uscc=uscc("91440300MA5FQ1234"), name="某某有限公司", legal_representative_name="x",
                  legal_representative_id_number=ID_NUMBER)
    assert list(HttpRegistry(url).check(claim)) == ["uscc"]


@pytest.mark.parametrize("mode", ["broken", "slow", "garbage"])
def test_a_failing_slow_or_garbled_http_registry_is_unavailable(http_registry, mode):
    url, handler = http_registry
    handler.mode = mode
    started = time.monotonic()
    with pytest.raises(RegistryUnavailable):
        HttpRegistry(url, timeout=0.3).check(HUAWEI)
    assert time.monotonic() - started < 0.9  # the timeout, not the server, ends a slow answer


def test_an_unreachable_http_registry_is_unavailable():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Registry)
    port = server.server_address[1]
    server.server_close()  # nothing listens there any more
    with pytest.raises(RegistryUnavailable):
        HttpRegistry(f"http://127.0.0.1:{port}", timeout=1).check(HUAWEI)


# --- configuration ---------------------------------------------------------------------------

def _setting(values: dict):
    return lambda name, default="": values.get(name, default)


def test_the_registry_is_chosen_by_configuration(tmp_path):
    assert isinstance(registry_from_settings(_setting({})), ChecksumRegistry)
    file_registry = registry_from_settings(_setting({"REGISTRY": "file", "REGISTRY_FILE": str(tmp_path / "r.csv")}))
    assert isinstance(file_registry, FileRegistry) and file_registry.path == tmp_path / "r.csv"
    http = registry_from_settings(_setting({"REGISTRY": "http", "REGISTRY_URL": "https://registry.example.cn/",
                                            "REGISTRY_TIMEOUT": "2.5"}))
    assert isinstance(http, HttpRegistry) and http.base_url == "https://registry.example.cn" and http.timeout == 2.5


@pytest.mark.parametrize("values", [{"REGISTRY": "file"}, {"REGISTRY": "http"},
                                    {"REGISTRY": "http", "REGISTRY_URL": "ftp://x"}, {"REGISTRY": "oracle"}])
def test_an_incomplete_registry_configuration_stops_the_start(values):
    with pytest.raises(ValueError):
        registry_from_settings(_setting(values))
