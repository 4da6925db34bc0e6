"""A verified organisation's changes over the API (issue 17, part 3): its admin changes the contact
and address at once (audited; the previous and the new contact address are both mailed; reporting
follows the city), nobody else may; operators suspend an organisation from the console and
reinstate it (filing's view, public verification and reporting follow; mailed), nobody else may."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.test_account_deactivation_api import invited
from tests.integration.test_filing_products_api import filed_product
from tests.support.embedded import ApiClient, eventually, sent_deliveries
from tests.support.members import Member, bearer, filing_view_status, staff_token, verified_member

pytestmark = pytest.mark.integration
IDENTITY = "/api/v1/identity"
REASON = "经核实该单位已补交营业执照原件"


def contact_change(client: ApiClient, organisation_id: str, headers: dict, body: dict):
    return client.patch(f"{IDENTITY}/organisations/{organisation_id}/contact", json=body, headers=headers)


def viewed(platform, service: str, organisation_id: str, column: str) -> str | None:
    """A column of `service`'s (filing's or reporting's) view of the organisation, if it has one."""
    import importlib

    view = importlib.import_module(f"{service}.adapters.orm").OrganisationView
    with platform.runtimes[service].database.connection_context():
        row = view.get_or_none(view.organisation_id == organisation_id)
        return getattr(row, column) if row else None


def reporting_city(platform, organisation_id: str) -> str | None:
    return viewed(platform, "reporting", organisation_id, "city_code")


def test_a_verified_organisations_admin_changes_contact_and_address_at_once(platform, operator_token):
    client = ApiClient(platform.wsgi)
    admin = verified_member(platform, client, operator_token, "联系人变更测试有限公司")
    before = admin.organisation()
    old_email = before["contact"]["email"]
    new_email = f"new-contact-{uuid.uuid4().hex[:8]}@example.cn"
    body = {"address": "深圳市南山区科技园一路1号", "city_code": "440300",
            "contact": {"name": "王五", "phone": "13900139000", "email": new_email}}

    # Every wrong user: anonymous, another organisation, a colleague who is not the admin, staff.
    other = Member(client, "别家公司")
    _, colleague = invited(client, platform, admin.token, f"{IDENTITY}/organisations/{admin.id}/members",
                           {"email": f"colleague-{uuid.uuid4().hex[:8]}@example.cn"})
    assert contact_change(client, admin.id, {}, body).status_code == 401
    assert contact_change(client, admin.id, other.auth, body).status_code == 404
    refused = contact_change(client, admin.id, bearer(colleague["access_token"]), body)
    assert refused.status_code == 403 and refused.get_json()["type"].endswith("not-organisation-admin")
    for role in ("reviewer", "operator"):
        token = operator_token if role == "operator" else staff_token(platform, client, role)
        assert contact_change(client, admin.id, bearer(token), body).status_code == 403, role
    # An organisation not verified changes its data by correction, not this way.
    unverified = contact_change(client, other.id, other.auth, body)
    assert unverified.status_code == 409 and unverified.get_json()["type"].endswith("contact-change-not-allowed")
    # Bad input names the field.
    for bad, field in (({}, "address"), ({"contact": {"name": "王五"}}, "contact"),
                       ({"city_code": "110100"}, "city_code"), ({"address": ""}, "address"),
                       ({"contact": {**body["contact"], "email": "not-an-address"}}, "contact"),
                       ({"uscc": "914403001922038216"}, "uscc")):
        answer = contact_change(client, admin.id, admin.auth, bad)
        assert answer.status_code == 422, (bad, answer.get_json())
        assert any(key.split(".")[0] == field for key in answer.get_json()["errors"]), (bad, answer.get_json())
    assert admin.organisation()["version"] == before["version"]

    changed = contact_change(client, admin.id, admin.auth, body)
    assert changed.status_code == 200, changed.get_json()
    shown = changed.get_json()
    assert (shown["status"], shown["address"], shown["contact"]) == ("verified", body["address"], body["contact"])
    assert shown["version"] == before["version"] + 1
    # The same again changes nothing (no version, no event).
    assert contact_change(client, admin.id, admin.auth, body).get_json()["version"] == shown["version"]

    audit = client.get(f"{IDENTITY}/audit-log", headers=bearer(operator_token),
                       query_string={"subject_id": admin.id, "action": "organisation.contact_changed"})
    [entry] = audit.get_json()["items"]
    assert {c["field"] for c in entry["detail"]["changes"]} == {"address", "contact.name", "contact.phone",
                                                               "contact.email"}
    # Both the previous and the new contact address are told.
    for address in (old_email, new_email):
        assert eventually(lambda a=address: sent_deliveries(platform, a, "identity.organisation.contact_changed"),
                          20), address
    # notify writes to the new contact from now on: a suspension reaches the new address, not the old.
    assert client.post(f"{IDENTITY}/organisations/{admin.id}/suspension", json={"reason": REASON},
                       headers=bearer(operator_token)).status_code == 200
    assert eventually(lambda: sent_deliveries(platform, new_email, "identity.organisation.suspended"), 20)
    # (other organisations of the session share the sample contact address: this one's by its name)
    assert not [d for d in sent_deliveries(platform, old_email, "identity.organisation.suspended")
                if "联系人变更测试有限公司" in d.subject]
    # A suspended organisation changes nothing.
    suspended = contact_change(client, admin.id, admin.auth, {"address": "别处"})
    assert suspended.status_code == 409


def test_reporting_follows_a_city_change(platform, operator_token):
    client = ApiClient(platform.wsgi)
    admin = verified_member(platform, client, operator_token, "城市变更测试有限公司")
    assert eventually(lambda: reporting_city(platform, admin.id) == "440300"), reporting_city(platform, admin.id)
    assert contact_change(client, admin.id, admin.auth, {"city_code": "440400"}).status_code == 200
    assert eventually(lambda: reporting_city(platform, admin.id) == "440400"), reporting_city(platform, admin.id)


def test_an_operator_suspends_an_organisation_from_the_console_and_reinstates_it(platform, operator_token):
    client = ApiClient(platform.wsgi)
    member = verified_member(platform, client, operator_token, "暂停恢复测试有限公司")
    contact = member.organisation()["contact"]["email"]
    number = filed_product(platform, client, member)["filing_number"]
    public = f"/api/v1/filing/public/filings/{number}"
    operator = bearer(operator_token)
    suspension = f"{IDENTITY}/organisations/{member.id}/suspension"
    reinstatement = f"{IDENTITY}/organisations/{member.id}/reinstatement"

    wrong = {"anonymous": {}, "its own member": member.auth,
             "reviewer": bearer(staff_token(platform, client, "reviewer")),
             "province admin": bearer(staff_token(platform, client, "province_admin", "440000"))}
    for who, headers in wrong.items():
        for path in (suspension, reinstatement):
            answer = client.post(path, json={"reason": REASON}, headers=headers)
            assert answer.status_code == (401 if who == "anonymous" else 403), (who, path)
    assert client.post(suspension, json={}, headers=operator).get_json()["errors"].keys() == {"reason"}
    blank = client.post(suspension, json={"reason": "   "}, headers=operator)
    assert blank.status_code == 422 and "reason" in blank.get_json()["errors"]
    assert client.post(f"{IDENTITY}/organisations/{uuid.uuid4()}/suspension", json={"reason": REASON},
                       headers=operator).status_code == 404
    not_suspended = client.post(reinstatement, json={"reason": REASON}, headers=operator)
    assert not_suspended.status_code == 409 and not_suspended.get_json()["type"].endswith("organisation-not-suspended")

    suspended = client.post(suspension, json={"reason": REASON}, headers=operator)
    assert suspended.status_code == 200 and suspended.get_json()["status"] == "suspended"
    again = client.post(suspension, json={"reason": REASON}, headers=operator)
    assert again.status_code == 409 and again.get_json()["type"].endswith("organisation-not-suspendable")
    assert eventually(lambda: filing_view_status(platform, member.id) == "suspended")
    assert client.get(public).get_json()["organisation_suspended"] is True
    assert eventually(lambda: sent_deliveries(platform, contact, "identity.organisation.suspended"), 20)

    reinstated = client.post(reinstatement, json={"reason": REASON}, headers=operator)
    assert reinstated.status_code == 200, reinstated.get_json()
    assert reinstated.get_json()["status"] == "verified"
    assert eventually(lambda: filing_view_status(platform, member.id) == "verified"), "filing never heard"
    assert client.get(public).get_json()["organisation_suspended"] is False
    assert eventually(lambda: sent_deliveries(platform, contact, "identity.organisation.reinstated"), 20)
    audit = client.get(f"{IDENTITY}/audit-log", headers=operator,
                       query_string={"subject_id": member.id, "action": "organisation.reinstated"})
    assert audit.get_json()["items"][0]["detail"]["reason"] == REASON


def test_a_suspended_organisation_whose_uscc_another_registration_took_is_not_reinstated(platform, operator_token):
    client = ApiClient(platform.wsgi)
    holder = Member(client, "被取代的注册")
    operator = bearer(operator_token)
    assert client.post(f"{IDENTITY}/disputes", json={"uscc": holder.uscc, "reason": REASON},
                       headers=operator).status_code == 201
    from tests.support.embedded import organisation_body
    from tests.support.members import register_organisation

    register_organisation(client, organisation_body(
        uscc=holder.uscc, name="真正的单位", account={"email": f"r-{uuid.uuid4().hex[:8]}@example.cn",
                                                   "password": "correct horse battery"}))
    refused = client.post(f"{IDENTITY}/organisations/{holder.id}/reinstatement", json={"reason": REASON},
                          headers=operator)
    assert refused.status_code == 409 and refused.get_json()["type"].endswith("uscc-held")
    assert holder.organisation()["status"] == "suspended"
