"""The provincial management port through the gateway of the embedded platform: an office
applies with its signed form, an operator decides, the new province admin is mailed a one-time
link, sets a password and sees their own province's figures, and no one else's.

The platform is shared by the whole session (and fuzzed by schemathesis), so each test takes
the first province of its own list that is still free instead of counting on one.
"""

from __future__ import annotations

import io
import uuid

import pytest
from stdnum.cn import uscc

from tests.support.embedded import eventually, mailed_link, organisation_body, sent_deliveries, sign_in

URL = "/api/v1/identity/province-port-applications"
# A small but well-formed PDF, as an office's scanner would produce (only bigger).
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 100
OFFICES = {"650000": "新疆维吾尔自治区知识产权局", "660000": "新疆生产建设兵团知识产权局",
           "540000": "西藏自治区知识产权局", "630000": "青海省知识产权局"}


def _auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _fields(province: str, email: str, **changes) -> dict:
    fields = {"province_code": province, "office_name": OFFICES.get(province, "知识产权局"),
              "contact.name": "次仁多吉", "contact.title": "知识产权运用促进处处长",
              "contact.phone": "0891-6833333", "contact.email": email}
    fields.update(changes)
    return fields


def _apply(client, province: str, email: str, content: bytes = PDF, name: str = "申请表.pdf",
           content_type: str = "application/pdf", **changes):
    data = _fields(province, email, **changes)
    data["form"] = (io.BytesIO(content), name, content_type)
    return client.post(URL, data=data, content_type="multipart/form-data")


def _apply_where_free(client, provinces: list[str], email: str) -> tuple[str, str]:
    """Apply for the first province of `provinces` without a port or a pending application."""
    for province in provinces:
        response = _apply(client, province, email)
        if response.status_code == 201:
            assert response.get_json()["status"] == "submitted"
            return province, response.get_json()["id"]
        assert response.status_code == 409, response.get_json()
    pytest.fail(f"every one of {provinces} is taken")


def _email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@ipa.example.cn"


def _audit_actions(platform, subject_id: str) -> list[str]:
    from identity.adapters.orm import AuditLog

    with platform.runtimes["identity"].database.connection_context():
        return [row.action for row in AuditLog.select().where(AuditLog.subject_id == subject_id)]


def _stored(platform) -> tuple[int, list[str]]:
    """How many applications identity holds, and which files its content store holds."""
    from identity.adapters.orm import ProvincePortApplication

    with platform.runtimes["identity"].database.connection_context():
        count = ProvincePortApplication.select().count()
    folder = platform.runtimes["identity"].dependencies.document_store.folder
    files = sorted(str(p) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
    return count, files


def _enterprise_token(client) -> str:
    code = "91540000" + str(uuid.uuid4().int)[:9]
    code += uscc.calc_check_digit(code)
    email = _email("enterprise")
    body = organisation_body(uscc=code, name="拉萨高原科技有限公司", province_code="540000", city_code="540100",
                             account={"email": email, "password": "correct horse battery"})
    assert client.post("/api/v1/identity/organisations", json=body).status_code == 202
    return sign_in(client, email, "correct horse battery")


def test_an_approved_office_sets_its_password_and_sees_its_own_province(platform, client, operator_token):
    email = _email("xinjiang")
    province, application_id = _apply_where_free(client, ["660000", "650000", "630000", "540000"], email)

    listed = client.get(f"{URL}?status=submitted&per_page=200", headers=_auth(operator_token)).get_json()
    assert application_id in [item["id"] for item in listed["items"]]
    shown = client.get(f"{URL}/{application_id}", headers=_auth(operator_token)).get_json()
    assert shown["province_code"] == province and shown["status"] == "submitted"
    assert shown["contact"] == {"name": "次仁多吉", "title": "知识产权运用促进处处长", "phone": "0891-6833333",
                                "email": email}
    assert shown["form"]["media_type"] == "application/pdf" and shown["form"]["size"] == len(PDF)
    form = client.get(f"{URL}/{application_id}/form", headers=_auth(operator_token))
    assert form.status_code == 200 and form.data == PDF and form.mimetype == "application/pdf"

    decided = client.post(f"{URL}/{application_id}/decision", json={"outcome": "approve"},
                          headers={**_auth(operator_token), "X-Request-ID": f"port-{application_id}"})
    assert decided.status_code == 200, decided.get_json()
    assert decided.get_json()["status"] == "approved"
    account_id = decided.get_json()["account_id"]

    from identity.adapters.orm import Account, Outbox

    with platform.runtimes["identity"].database.connection_context():
        account = Account.get_by_id(account_id)
        events = list(Outbox.select().where(Outbox.correlation_id == f"port-{application_id}"))
    assert (account.email, account.role, account.province_code) == (email, "province_admin", province)
    assert [e.type for e in events] == ["identity.province_port.approved"]
    assert set(_audit_actions(platform, application_id)) >= {"province_port.applied", "province_port.approved",
                                                              "province_port.form_read"}
    assert _audit_actions(platform, account_id) == ["account.created"]

    [mail] = eventually(lambda: sent_deliveries(platform, email, "identity.province_port.approved"))
    assert mail.correlation_id == f"port-{application_id}"
    link = mailed_link(platform, email, "identity.province_port.approved")  # as the office's contact gets it
    token = link.split("#", 1)[1]
    # No usable token at rest: identity's outbox row and notify's delivery hold none once sent.
    from identity.adapters.orm import Outbox as IdentityOutbox
    from notify.adapters.orm import Delivery

    def redacted() -> bool:  # the relay redacts right after the broker's confirm: a moment after publishing
        with platform.runtimes["identity"].database.connection_context():
            return all(token not in row.body for row in IdentityOutbox.select())

    assert eventually(redacted)
    with platform.runtimes["notify"].database.connection_context():
        kept = Delivery.get_by_id(mail.id)
        assert token not in kept.text_body + kept.html_body + kept.subject and kept.sealed is None

    assert client.post("/api/v1/identity/password-setup",
                       json={"token": token, "password": "高原雪山 province 2026"}).status_code == 204
    admin = sign_in(client, email, "高原雪山 province 2026")
    me = client.get("/api/v1/identity/me", headers=_auth(admin)).get_json()
    assert (me["role"], me["province_code"]) == ("province_admin", province)

    own = client.get(f"/api/v1/reporting/summary?province={province}", headers=_auth(admin))
    assert own.status_code == 200 and own.get_json()["province"] == province
    assert client.get("/api/v1/reporting/summary?province=440000", headers=_auth(admin)).status_code == 403
    default = client.get("/api/v1/reporting/summary", headers=_auth(admin))
    assert default.status_code == 200 and default.get_json()["province"] == province

    again = client.post(f"{URL}/{application_id}/decision", json={"outcome": "reject", "reason": "改主意"},
                        headers=_auth(operator_token))
    assert again.status_code == 409
    second = _apply(client, province, _email("another"))
    assert second.status_code == 409
    assert "province_code" in second.get_json()["errors"]


def test_a_rejection_needs_a_reason_is_mailed_and_frees_the_province(platform, client, operator_token):
    email = _email("qinghai")
    province, application_id = _apply_where_free(client, ["630000", "540000", "650000", "660000"], email)
    decision = f"{URL}/{application_id}/decision"

    without = client.post(decision, json={"outcome": "reject"}, headers=_auth(operator_token))
    assert without.status_code == 422 and "reason" in without.get_json()["errors"]
    assert client.post(decision, json={"outcome": "reject", "reason": "  "},
                       headers=_auth(operator_token)).status_code == 422
    rejected = client.post(decision, json={"outcome": "reject", "reason": "申请表缺少单位盖章。"},
                           headers=_auth(operator_token))
    assert rejected.status_code == 200
    assert (rejected.get_json()["status"], rejected.get_json()["reason"]) == ("rejected", "申请表缺少单位盖章。")
    assert rejected.get_json()["account_id"] is None
    assert client.post(decision, json={"outcome": "approve"}, headers=_auth(operator_token)).status_code == 409
    assert "province_port.rejected" in _audit_actions(platform, application_id)

    [mail] = eventually(lambda: sent_deliveries(platform, email, "identity.province_port.rejected"))
    assert "申请表缺少单位盖章。" in mail.text_body

    listed = client.get(f"{URL}?status=rejected&province_code={province}", headers=_auth(operator_token))
    assert application_id in [item["id"] for item in listed.get_json()["items"]]

    # A rejected application frees its province; the new one holds it while it is pending.
    renewed = _apply(client, province, email)
    assert renewed.status_code == 201
    assert _apply(client, province, _email("third")).status_code == 409
    client.post(f"{URL}/{renewed.get_json()['id']}/decision", json={"outcome": "reject", "reason": "测试结束"},
                headers=_auth(operator_token))


def test_an_approval_for_an_e_mail_that_has_an_account_is_a_conflict_and_changes_nothing(platform, client,
                                                                                        operator_token):
    from tests.support.embedded import OPERATOR

    _province, application_id = _apply_where_free(client, ["540000", "630000", "660000", "650000"], OPERATOR[0])
    response = client.post(f"{URL}/{application_id}/decision", json={"outcome": "approve"},
                           headers=_auth(operator_token))
    assert response.status_code == 409
    assert response.get_json()["errors"] == {"contact.email": ["an account with this e-mail exists"]}
    shown = client.get(f"{URL}/{application_id}", headers=_auth(operator_token)).get_json()
    assert shown["status"] == "submitted" and shown["account_id"] is None
    assert client.post(f"{URL}/{application_id}/decision", json={"outcome": "reject", "reason": "请更换联系邮箱。"},
                       headers=_auth(operator_token)).status_code == 200


def test_only_operators_read_and_decide_applications(client, operator_token):
    enterprise = _enterprise_token(client)
    unknown = f"{URL}/{uuid.uuid4()}"
    for method, path, body in [("get", URL, None), ("get", unknown, None), ("get", f"{unknown}/form", None),
                               ("post", f"{unknown}/decision", {"outcome": "approve"})]:
        call = getattr(client, method)
        assert call(path, json=body).status_code == 401
        forbidden = call(path, json=body, headers=_auth(enterprise))
        assert forbidden.status_code == 403, path
        assert forbidden.content_type == "application/problem+json"
    assert client.get(unknown, headers=_auth(operator_token)).status_code == 404
    assert client.post(f"{unknown}/decision", json={"outcome": "approve"},
                       headers=_auth(operator_token)).status_code == 404


@pytest.mark.parametrize(("content", "name", "content_type"), [
    (ELF, "申请表.pdf", "application/pdf"),
    (ZIP, "form.pdf", "application/pdf"),
    (ZIP, "scan.png", "image/png"),
    (b"", "empty.pdf", "application/pdf"),
], ids=["elf-named-pdf", "zip-named-pdf", "zip-named-png", "empty"])
def test_a_disguised_form_file_is_a_415_and_nothing_is_stored(platform, client, content, name, content_type):
    before = _stored(platform)
    response = _apply(client, "630000", _email("disguised"), content=content, name=name, content_type=content_type)
    assert response.status_code == 415, response.get_json()
    assert response.content_type == "application/problem+json"
    assert "form" in response.get_json()["errors"]
    assert _stored(platform) == before


BAD_FIELDS = [
    ("missing fields", lambda f: {k: v for k, v in f.items() if k not in ("office_name", "contact.title")},
     {"office_name", "contact.title"}),
    ("Taiwan is outside the platform", lambda f: dict(f, province_code="710000"), {"province_code"}),
    ("not a province-level code", lambda f: dict(f, province_code="540100"), {"province_code"}),
    ("bad phone and e-mail", lambda f: dict(f, **{"contact.phone": "12345", "contact.email": "nobody"}),
     {"contact.phone", "contact.email"}),
    ("unknown field", lambda f: dict(f, priority="high"), {"priority"}),
]


@pytest.mark.parametrize(("case", "change", "fields"), BAD_FIELDS, ids=[c[0] for c in BAD_FIELDS])
def test_bad_application_fields_are_a_422_naming_them_and_nothing_is_stored(platform, client, case, change,
                                                                           fields):
    before = _stored(platform)
    data = change(_fields("630000", _email("bad")))
    data["form"] = (io.BytesIO(PDF), "申请表.pdf", "application/pdf")
    response = client.post(URL, data=data, content_type="multipart/form-data")
    assert response.status_code == 422, response.get_json()
    assert set(response.get_json()["errors"]) == fields
    assert _stored(platform) == before


def test_the_application_must_be_a_multipart_form_with_the_file(platform, client):
    before = _stored(platform)
    as_json = client.post(URL, json={**_fields("630000", _email("json")), "form": "JVBERi0xLjQ="})
    assert as_json.status_code == 415
    without_file = client.post(URL, data=_fields("630000", _email("nofile")), content_type="multipart/form-data")
    assert without_file.status_code == 422 and "form" in without_file.get_json()["errors"]
    assert _stored(platform) == before


def test_the_list_is_paginated_and_refuses_unknown_filters(client, operator_token):
    auth = _auth(operator_token)
    assert client.get(f"{URL}?per_page=201", headers=auth).status_code == 422
    assert client.get(f"{URL}?status=pending", headers=auth).status_code == 422
    assert client.get(f"{URL}?stauts=submitted", headers=auth).status_code == 422
    page = client.get(f"{URL}?per_page=1&page=1", headers=auth).get_json()
    assert set(page) == {"items", "total"} and len(page["items"]) <= 1
