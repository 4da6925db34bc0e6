"""notify through the embedded platform: operators retry a failed delivery, the mail counters
on `/metrics`, and the verification mails sent to the contacts notify learnt from identity."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from stdnum.cn import uscc

from tests.support.embedded import eventually, organisation_body, sign_in
from tests.support.members import register_organisation

DELIVERIES = "/api/v1/notify/deliveries"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _fresh_uscc() -> str:
    while True:
        body = "91440300" + "".join(secrets.choice("0123456789") for _ in range(9))
        code = body + uscc.calc_check_digit(body)
        if uscc.is_valid(code):
            return code


def _register(client) -> tuple[str, str, str]:
    """A new organisation through identity's API: (its id, contact e-mail, account e-mail)."""
    tag = uuid.uuid4().hex[:8]
    contact, account = f"contact-{tag}@example.cn", f"admin-{tag}@example.cn"
    body = organisation_body(uscc=_fresh_uscc(), name=f"深圳测试科技有限公司{tag}",
                             contact={"name": "陈六", "phone": "13800138000", "email": contact})
    body["account"] = {"email": account, "password": "correct horse battery"}
    return register_organisation(client, body), contact, account


def _failed_delivery(platform, template: str = "province_port_rejected") -> str:
    from notify.adapters.orm import Delivery

    delivery_id = str(uuid.uuid4())
    with platform.runtimes["notify"].database.connection_context():
        Delivery.create(id=delivery_id, event_id=str(uuid.uuid4()), event_type="identity.province_port.rejected",
                        template=template, recipient=f"retry-{delivery_id[:8]}@example.cn", language="zh",
                        subject="【专利产品备案平台】测试", text_body="正文", html_body="<p>正文</p>",
                        state="failed", attempts=8, next_attempt_at=_now(), last_error="550 User unknown",
                        created_at=_now())
    return delivery_id


def _delivery(platform, delivery_id: str):
    from notify.adapters.orm import Delivery

    with platform.runtimes["notify"].database.connection_context():
        return Delivery.get_by_id(delivery_id)


def test_an_operator_sends_a_failed_delivery_again(platform, client, operator_token):
    delivery_id = _failed_delivery(platform)
    auth = {"Authorization": f"Bearer {operator_token}"}

    response = client.post(f"{DELIVERIES}/{delivery_id}/retry", headers=auth)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["id"], body["state"], body["attempts"]) == (delivery_id, "pending", 0)
    assert body["last_error"] == "550 User unknown"  # why it had failed, until the next attempt

    sent = eventually(lambda: (lambda d: d if d.state == "sent" else None)(_delivery(platform, delivery_id)))
    assert sent and sent.attempts == 1 and sent.last_error is None
    assert (platform.data_dir / "mail" / f"{delivery_id}.eml").exists()

    again = client.post(f"{DELIVERIES}/{delivery_id}/retry", headers=auth)
    assert again.status_code == 409
    assert again.headers["Content-Type"].startswith("application/problem+json")
    assert client.post(f"{DELIVERIES}/{uuid.uuid4()}/retry", headers=auth).status_code == 404


def test_only_operators_retry_deliveries(platform, client):
    delivery_id = _failed_delivery(platform)
    assert client.post(f"{DELIVERIES}/{delivery_id}/retry").status_code == 401
    _, _, account = _register(client)
    token = sign_in(client, account, "correct horse battery")
    response = client.post(f"{DELIVERIES}/{delivery_id}/retry", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    assert _delivery(platform, delivery_id).state == "failed"


def test_sent_mails_are_counted_by_template_on_metrics(platform, client):
    delivery_id = _failed_delivery(platform, template="metrics_probe")
    from notify.adapters.orm import Delivery

    with platform.runtimes["notify"].database.connection_context():
        Delivery.update(state="pending", attempts=0).where(Delivery.id == delivery_id).execute()
    assert eventually(lambda: _delivery(platform, delivery_id).state == "sent")

    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'mails_total{outcome="sent",service="notify",template="metrics_probe"} 1.0' in metrics


def test_a_verified_organisation_is_mailed_at_the_addresses_notify_learnt(platform, client):
    from notify.adapters.orm import Delivery

    organisation_id, contact, account = _register(client)

    def registered_mails():
        with platform.runtimes["notify"].database.connection_context():
            return Delivery.select().where(Delivery.template == "organisation_registered",
                                           Delivery.recipient.in_([contact, account])).count() == 2

    assert eventually(registered_mails)  # notify has seen the registration (and kept its contacts)

    identity = platform.runtimes["identity"]
    with identity.database.connection_context(), identity.unit_of_work(f"verified-{organisation_id}") as uow:
        uow.publish("identity.organisation.verified", {
            "organisation_id": organisation_id, "name": "深圳测试科技有限公司", "uscc": "914403001922038216",
            "kind": "enterprise", "province_code": "440000",
            "verified_at": dt.datetime.now(dt.UTC).isoformat()}, aggregate_id=organisation_id)

    def verified_mails():
        with platform.runtimes["notify"].database.connection_context():
            rows = list(Delivery.select().where(Delivery.template == "organisation_verified",
                                                Delivery.event_type == "identity.organisation.verified",
                                                Delivery.state == "sent",
                                                Delivery.recipient.in_([contact, account])))
            return rows if len(rows) == 2 else None

    mails = eventually(verified_mails)
    assert mails, "no verification mail to the contact and the account"
    assert all("可以备案专利产品" in m.subject and "陈六" in m.text_body for m in mails)
    assert all(m.correlation_id == f"verified-{organisation_id}" for m in mails)
