"""identity's steps that had no mail: the first operator's account (created from
`IDENTITY_BOOTSTRAP_OPERATOR` when the platform starts: mailed without the password) and the
receipt of a province-port application (to the contact the office gave) — each read as the mail
sink wrote it: subject, addressee, language, link."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

from tests.integration.test_identity_province_port_api import URL, _apply_where_free, _auth, _email
from tests.support.embedded import OPERATOR, eventually, sent_deliveries


def sunk(platform, delivery):
    eml = platform.runtimes["notify"].settings.data_dir / "mail" / f"{delivery.id}.eml"
    return BytesParser(policy=policy.default).parsebytes(eml.read_bytes())


def test_the_first_operator_is_mailed_that_the_account_exists_without_its_password(platform):
    email, password = OPERATOR
    [delivery] = eventually(lambda: sent_deliveries(platform, email, "identity.account.bootstrapped"), timeout=20)
    assert (delivery.language, delivery.template) == ("zh", "account_bootstrapped")
    mail = sunk(platform, delivery)
    assert " ".join(str(mail["Subject"]).split()) == "【专利产品备案平台】平台首个运营账号已创建"
    assert email in str(mail["To"])
    text = mail.get_body(("plain",)).get_content()
    assert "http://127.0.0.1:8000/login" in text and "http://127.0.0.1:8000/account/password" in text
    for part in (text, mail.get_body(("html",)).get_content(), delivery.text_body, delivery.html_body):
        assert password not in part


def test_an_offices_application_is_acknowledged_to_its_contact(platform, client, operator_token):
    email = _email("receipt")
    _province, application_id = _apply_where_free(client, ["540000", "650000", "660000", "630000"], email)
    try:
        [delivery] = eventually(lambda: sent_deliveries(platform, email, "identity.province_port.applied"),
                                timeout=20)
        assert delivery.language == "zh"
        mail = sunk(platform, delivery)
        assert email in str(mail["To"])
        assert "省级管理端口开通申请" in str(mail["Subject"]) and "已收到" in str(mail["Subject"])
        text = mail.get_body(("plain",)).get_content()
        assert application_id in text and "http://127.0.0.1:8000/manual/province-admin" in text
    finally:  # the province is free again for the other tests
        client.post(f"{URL}/{application_id}/decision", json={"outcome": "reject", "reason": "测试结束"},
                    headers=_auth(operator_token))
