"""Declared patents held against the register, end to end: the embedded platform configured with
a `file` patent registry (`FILING_PATENT_REGISTRY=file`, a patents CSV and a licences CSV), and
again with an `http` registry (a real HTTP server on 127.0.0.1 answering the same register as
JSON), each with a real RabbitMQ vhost (memory:// is one per process and the session's platform
has it).

A verified organisation declaring another company's patent as its own is refused under
`patents.0.number` with the rule `patent.not_holder`; its own patent (the register writing its
name with other brackets and spaces) and a patent under a running recorded licence are
accepted, and `filing.product.submitted` says so per patent; an ended licence is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.embedded import OPERATOR, ApiClient, sign_in, start_platform
from tests.support.members import Member, verified_member
from tests.support.servers import throwaway_vhost

API = "/api/v1/filing"
LAST_YEAR = dt.date.today().year - 1
OURS = "甲科技（深圳）有限公司"
FOREIGN = "201710601862.3"     # held by another company
OWN = "202011167667.2"         # held by us together with another company
LICENSED = "201310699744.2"    # the other company's, licensed to us
RUNNING, ENDED = "2023440000000101", "2019440000000102"


def write_registry(folder: Path) -> tuple[Path, Path]:
    patents = folder / "patents.csv"
    patents.write_text(
        "number,status,holder,holder_uscc,granted_on,expires_on,title\n"
        f"{FOREIGN},valid,乙电子（集团）股份有限公司,91110108MA01BMR94D,2019-05-03,2037-07-20,一种通信方法\n"
        f"ZL{OWN},valid,乙电子（集团）股份有限公司；甲科技 (深圳) 有限公司,,2021-02-09,2040-11-04,一种终端\n"
        f"{LICENSED},valid,乙电子（集团）股份有限公司,,2016-03-02,2033-12-20,一种天线\n", encoding="utf-8")
    licences = folder / "licences.csv"
    licences.write_text(
        "record_no,number,licensor,licensee,licensee_uscc,starts_on,ends_on\n"
        f"{RUNNING},{LICENSED},乙电子(集团)股份有限公司,甲科技(深圳)有限公司,,2023-01-01,2099-12-31\n"
        f"{ENDED},{LICENSED},乙电子(集团)股份有限公司,甲科技(深圳)有限公司,,2019-01-01,2020-12-31\n",
        encoding="utf-8")
    return patents, licences


FOREIGN_HOLDER = {"name": "乙电子（集团）股份有限公司", "uscc": "91110108MA01BMR94D"}
ANSWERS = {  # the same register as the CSV files, as the http registry answers it
    FOREIGN: {"status": "valid", "holders": [FOREIGN_HOLDER], "granted_on": "2019-05-03", "expires_on": "2037-07-20",
              "licences": []},
    OWN: {"status": "valid", "holders": [FOREIGN_HOLDER, {"name": "甲科技 (深圳) 有限公司"}],
          "granted_on": "2021-02-09", "expires_on": "2040-11-04", "licences": []},
    LICENSED: {"status": "valid", "holders": [FOREIGN_HOLDER], "granted_on": "2016-03-02", "expires_on": "2033-12-20",
               "licences": [{"record_no": record_no, "licensor": "乙电子(集团)股份有限公司",
                             "licensee": "甲科技(深圳)有限公司", "starts_on": starts, "ends_on": ends}
                            for record_no, starts, ends in ((RUNNING, "2023-01-01", "2099-12-31"),
                                                            (ENDED, "2019-01-01", "2020-12-31"))]},
}


def serve_registry() -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            answer = ANSWERS.get(self.path.removeprefix("/patents/"))
            payload = json.dumps(answer or {"error": "no such patent"}).encode("utf-8")
            self.send_response(200 if answer else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


@pytest.fixture(scope="module", params=["file", "http"])
def registered(request, tmp_path_factory) -> Iterator[tuple[object, Member]]:
    folder = tmp_path_factory.mktemp(f"register-platform-{request.param}")
    server = serve_registry() if request.param == "http" else None
    if server is not None:
        host, port = server.server_address[:2]
        settings = {"FILING_PATENT_REGISTRY": "http", "FILING_PATENT_REGISTRY_URL": f"http://{host}:{port}"}
    else:
        patents, licences = write_registry(folder)
        settings = {"FILING_PATENT_REGISTRY": "file", "FILING_PATENT_REGISTRY_FILE": str(patents),
                    "FILING_PATENT_REGISTRY_LICENCE_FILE": str(licences)}
    with throwaway_vhost("register") as amqp_url:
        platform = start_platform(folder, AMQP_URL=amqp_url, **settings)
        try:
            client = ApiClient(platform.wsgi)
            member = verified_member(platform, client, sign_in(client, *OPERATOR), OURS)
            yield platform, member
        finally:
            platform.stop()
            if server is not None:
                server.shutdown()
                server.server_close()


def submit(platform, member: Member, *patents: dict):
    client = ApiClient(platform.wsgi)
    body = {"name": "智能终端", "brand": "甲", "model": f"T-{uuid.uuid4().hex[:8]}", "industry_code": "01",
            "economic_data": [{"year": LAST_YEAR, "sales_revenue": "1000000.00", "sales_volume": 10}],
            "patents": list(patents)}
    created = client.post(f"{API}/products", json=body, headers=member.auth)
    assert created.status_code == 201, created.get_json()
    product_id = created.get_json()["id"]
    return product_id, client.post(f"{API}/products/{product_id}/submission", headers=member.auth)


def submitted_event(platform, product_id: str) -> dict:
    from filing.adapters.orm import Outbox

    with platform.runtimes["filing"].database.connection_context():
        rows = [json.loads(r.body) for r in Outbox.select().where(Outbox.type == "filing.product.submitted")]
    [event] = [e for e in rows if e["aggregate_id"] == product_id]
    return event["data"]


def test_another_companys_patent_declared_as_owned_is_refused(registered):
    platform, member = registered
    _, response = submit(platform, member, {"number": FOREIGN, "relation": "owner", "holder": OURS})

    assert response.status_code == 422, response.get_json()
    problem = response.get_json()
    assert "乙电子（集团）股份有限公司" in problem["errors"]["patents.0.number"][0]
    assert problem["rules"]["patents.0.number"] == [
        {"rule": "patent.not_holder", "number": FOREIGN, "holders": "乙电子（集团）股份有限公司"}]


def test_a_co_owned_patent_of_ones_own_is_accepted_and_marked_verified(registered):
    platform, member = registered
    product_id, response = submit(platform, member, {"number": "ZL " + OWN, "relation": "owner"})

    assert response.status_code == 202, response.get_json()
    register = submitted_event(platform, product_id)["patents"][0]["register"]
    assert (register["outcome"], register["match"]) == ("verified", "co_holder")
    assert register["registry"] == platform.env["FILING_PATENT_REGISTRY"]
    assert [h["name"] for h in register["holders"]] == ["乙电子（集团）股份有限公司", "甲科技 (深圳) 有限公司"]
    assert (register["granted_on"], register["expires_on"]) == ("2021-02-09", "2040-11-04")


def test_a_licensee_with_a_running_recorded_licence_is_accepted(registered):
    platform, member = registered
    product_id, response = submit(platform, member,
                                  {"number": LICENSED, "relation": "licensee", "license_record_no": RUNNING})

    assert response.status_code == 202, response.get_json()
    register = submitted_event(platform, product_id)["patents"][0]["register"]
    assert (register["outcome"], register["match"]) == ("verified", "licensee")
    assert register["licence"]["record_no"] == RUNNING and register["licence"]["ends_on"] == "2099-12-31"


def test_a_licensee_whose_licence_ended_is_refused(registered):
    platform, member = registered
    _, response = submit(platform, member, {"number": LICENSED, "relation": "licensee", "license_record_no": ENDED})

    assert response.status_code == 422, response.get_json()
    [rule] = response.get_json()["rules"]["patents.0.license_record_no"]
    assert (rule["rule"], rule["ends_on"]) == ("patent.licence_not_running", "2020-12-31")


def test_a_licence_number_the_register_does_not_know_is_refused(registered):
    platform, member = registered
    _, response = submit(platform, member,
                         {"number": LICENSED, "relation": "licensee", "license_record_no": "2024440000999999"})

    assert response.status_code == 422, response.get_json()
    assert response.get_json()["rules"]["patents.0.license_record_no"][0]["rule"] == "patent.licence_not_recorded"
