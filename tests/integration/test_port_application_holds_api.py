"""A province-port application does not hold its province for good (issue 17): a pending one older
than the bound no longer blocks a new one (it is `expired`), applying is rate-limited per client
address, and an operator dismisses one with a reason (audited, mailed to the applicant's contact)
— anyone else may not."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.integration.test_anonymous_rate_limits import strict  # noqa: F401 - the fixture
from tests.integration.test_identity_province_port_api import (
    PDF,
    URL,
    _apply,
    _apply_where_free,
    _audit_actions,
    _auth,
    _email,
    _enterprise_token,
    _fields,
)
from tests.support.embedded import ApiClient, eventually, sent_deliveries
from tests.support.members import staff_token

pytestmark = pytest.mark.integration
PROVINCES = ["150000", "450000", "460000", "620000", "640000", "520000", "530000"]


def _status(client, operator_token: str, application_id: str) -> str:
    return client.get(f"{URL}/{application_id}", headers=_auth(operator_token)).get_json()["status"]


def test_an_operator_dismisses_an_application_with_a_reason_and_no_one_else_may(platform, client, operator_token):
    contact = _email("dismissed")
    province, application_id = _apply_where_free(client, PROVINCES, contact)
    dismissal = {"outcome": "dismiss", "reason": "经电话核实，该局未提交过申请"}

    wrong = {"anonymous": {}, "enterprise": _auth(_enterprise_token(client)),
             "reviewer": _auth(staff_token(platform, client, "reviewer")),
             "province admin": _auth(staff_token(platform, client, "province_admin", "440000"))}
    for who, headers in wrong.items():
        answer = client.post(f"{URL}/{application_id}/decision", json=dismissal, headers=headers)
        assert answer.status_code == (401 if who == "anonymous" else 403), who
    bare = client.post(f"{URL}/{application_id}/decision", json={"outcome": "dismiss"},
                       headers=_auth(operator_token))
    assert bare.status_code == 422 and "reason" in bare.get_json()["errors"]
    assert _status(client, operator_token, application_id) == "submitted"

    done = client.post(f"{URL}/{application_id}/decision", json=dismissal, headers=_auth(operator_token))
    assert done.status_code == 200, done.get_json()
    assert (done.get_json()["status"], done.get_json()["reason"]) == ("dismissed", dismissal["reason"])
    assert "province_port.dismissed" in _audit_actions(platform, application_id)
    assert eventually(lambda: sent_deliveries(platform, contact, "identity.province_port.dismissed"), 20)
    again = client.post(f"{URL}/{application_id}/decision", json=dismissal, headers=_auth(operator_token))
    assert again.status_code == 409
    # The province is free for the real office.
    assert _apply(client, province, _email("real")).status_code == 201


def test_a_pending_application_past_the_bound_no_longer_blocks_its_province(platform, client, operator_token):
    from identity.adapters.orm import ProvincePortApplication as Port

    province, stale = _apply_where_free(client, PROVINCES, _email("stale"))
    assert _apply(client, province, _email("early")).status_code == 409
    with platform.runtimes["identity"].database.connection_context():
        Port.update(submitted_at=Port.get_by_id(stale).submitted_at - dt.timedelta(days=15)) \
            .where(Port.id == stale).execute()
    fresh = _apply(client, province, _email("fresh"))
    assert fresh.status_code == 201, fresh.get_json()
    assert _status(client, operator_token, stale) == "expired"
    assert "province_port.expired" in _audit_actions(platform, stale)
    listed = client.get(URL, query_string={"status": "expired", "per_page": 200}, headers=_auth(operator_token))
    assert stale in [item["id"] for item in listed.get_json()["items"]]
    assert _apply(client, province, _email("third")).status_code == 409  # the fresh one holds it


def test_applying_is_rate_limited_per_client_address(platform, strict):  # noqa: F811 - the fixture
    strict("identity", province_port_application="1/hour")
    client = ApiClient(platform.wsgi)

    def apply_from(address: str):
        data = {**_fields("650000", _email("limited")), "form": (io.BytesIO(PDF), "申请表.pdf", "application/pdf")}
        return client.post(URL, data=data, content_type="multipart/form-data", environ_base={"REMOTE_ADDR": address})

    assert apply_from("198.51.100.77").status_code in (201, 409)
    limited = apply_from("198.51.100.77")
    assert limited.status_code == 429 and "Retry-After" in limited.headers
    assert limited.get_json()["type"].endswith("/too-many-requests")
    assert apply_from("203.0.113.77").status_code in (201, 409)  # another client is not held back
