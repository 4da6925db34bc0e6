"""A dispute on a USCC through the API (issue 17): an operator opens it with a reason, the holding
registration is suspended (audited, its contact mailed, filing and reporting follow), the USCC
released for the rightful organisation; no one but an operator may open one."""

from __future__ import annotations

import pytest

from tests.integration.test_filing_products_api import filed_product, product_body
from tests.support.embedded import ApiClient, eventually, organisation_body, sent_deliveries
from tests.support.members import bearer, filing_view_status, register_organisation, staff_token, verified_member

pytestmark = pytest.mark.integration
IDENTITY = "/api/v1/identity"
REASON = "营业执照原件显示该统一社会信用代码属于另一家公司"


def test_an_operator_suspends_the_holder_of_a_disputed_uscc_and_the_rightful_one_registers_it(
        platform, operator_token):
    client = ApiClient(platform.wsgi)
    holder = verified_member(platform, client, operator_token, "争议测试有限公司")
    contact = holder.organisation()["contact"]["email"]
    number = filed_product(platform, client, holder)["filing_number"]
    public = f"/api/v1/filing/public/filings/{number}"
    assert client.get(public).get_json()["organisation_suspended"] is False
    dispute = {"uscc": holder.uscc, "reason": REASON}

    wrong = {"anonymous": {}, "the holder's own member": holder.auth,
             "reviewer": bearer(staff_token(platform, client, "reviewer")),
             "province admin": bearer(staff_token(platform, client, "province_admin", "440000"))}
    for who, headers in wrong.items():
        answer = client.post(f"{IDENTITY}/disputes", json=dispute, headers=headers)
        assert answer.status_code == (401 if who == "anonymous" else 403), who
    operator = bearer(operator_token)
    assert client.post(f"{IDENTITY}/disputes", json={"uscc": holder.uscc}, headers=operator).status_code == 422
    bad = client.post(f"{IDENTITY}/disputes", json={"uscc": holder.uscc[:-1] + "0", "reason": REASON},
                      headers=operator)
    assert bad.status_code == 422 and "uscc" in bad.get_json()["errors"]
    assert holder.organisation()["status"] == "verified"

    opened = client.post(f"{IDENTITY}/disputes", json=dispute, headers=operator)
    assert opened.status_code == 201, opened.get_json()
    assert opened.get_json() == {"organisation_id": holder.id, "name": "争议测试有限公司", "uscc": holder.uscc,
                                 "status": "suspended", "reason": REASON}
    assert client.post(f"{IDENTITY}/disputes", json=dispute, headers=operator).status_code == 404  # released
    assert holder.organisation()["status"] == "suspended"  # its members still read why
    audit = client.get(f"{IDENTITY}/audit-log", query_string={"subject_id": holder.id, "action":
                                                              "organisation.suspended"}, headers=operator)
    assert audit.get_json()["items"][0]["detail"]["reason"] == REASON
    assert eventually(lambda: sent_deliveries(platform, contact, "identity.organisation.suspended"), 20)

    # Its members no longer act for it: filing takes no product from it.
    assert eventually(lambda: filing_view_status(platform, holder.id) == "suspended"), "filing never heard"
    created = client.post("/api/v1/filing/products", json=product_body(), headers=holder.auth)
    if created.status_code == 201:  # a draft may be kept; it is never submitted
        submitted = client.post(f"/api/v1/filing/products/{created.get_json()['id']}/submission",
                                headers=holder.auth)
        assert submitted.status_code in (403, 409, 422), submitted.get_json()
    else:
        assert created.status_code in (403, 409), created.get_json()
    # The public verification of its products says the registration is suspended.
    verified = client.get(public).get_json()
    assert (verified["valid"], verified["organisation_suspended"]) == (True, True)

    # The rightful organisation registers the USCC and goes through the normal verification.
    body = organisation_body(uscc=holder.uscc, name="争议测试有限公司",
                             account={"email": "rightful-dispute@example.cn", "password": "correct horse battery"})
    rightful = register_organisation(client, body)
    assert rightful != holder.id
