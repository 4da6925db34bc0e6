"""What a registration tells and what it takes (issue 17, squatting remedies), through the API:

- registering with the e-mail of an existing account answers exactly as a new registration does,
  stores nothing and mails the account's holder (sign in, reset the password);
- an invitation no one accepted holds its address only for the bound: after it the address's
  owner registers with it.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.support.embedded import ApiClient, eventually, organisation_body, sent_deliveries, sign_in
from tests.support.members import bearer, new_uscc, organisation_of, register_organisation

pytestmark = pytest.mark.integration
IDENTITY = "/api/v1/identity"
PASSWORD = "correct horse battery"


def _email(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex[:10]}@example.cn"


def _body(email: str, password: str = PASSWORD, uscc: str | None = None) -> dict:
    return organisation_body(uscc=uscc or new_uscc(), name=f"占用测试{email[:6]}有限公司",
                             account={"email": email, "password": password})


def mail_text(platform, delivery) -> str:
    """The plain text of a mail notify sent, as the mail sink wrote it."""
    from email import policy
    from email.parser import BytesParser

    eml = platform.runtimes["notify"].settings.data_dir / "mail" / f"{delivery.id}.eml"
    return BytesParser(policy=policy.default).parsebytes(eml.read_bytes()).get_body(("plain",)).get_content()


def _counts(platform) -> tuple[int, int]:
    from identity.adapters.orm import Account, Organisation

    with platform.runtimes["identity"].database.connection_context():
        return Organisation.select().count(), Account.select().count()


def test_registering_with_a_known_address_answers_alike_stores_nothing_and_mails_the_holder(platform):
    client = ApiClient(platform.wsgi)
    known = _email("holder")
    holder_organisation = register_organisation(client, _body(known))
    before = _counts(platform)

    unknown = _email("newcomer")
    answers = [client.post(f"{IDENTITY}/organisations", json=_body(address, "an attacker's pass phrase"))
               for address in (known.upper(), unknown)]
    assert [a.status_code for a in answers] == [201, 201]
    assert [set(a.get_json()) for a in answers] == [{"id", "status"}] * 2
    assert answers[0].get_json()["status"] == answers[1].get_json()["status"] == "registered"
    assert answers[0].headers.get("Content-Type") == answers[1].headers.get("Content-Type")
    # Only the new address got an organisation and an account; the known one kept its own.
    assert _counts(platform) == (before[0] + 1, before[1] + 1)
    assert client.post(f"{IDENTITY}/tokens", json={"email": known, "password": "an attacker's pass phrase"}) \
        .status_code == 401
    assert organisation_of(client, sign_in(client, known, PASSWORD)) == holder_organisation

    mails = eventually(lambda: sent_deliveries(platform, known, "identity.account.registration_attempted"), 20)
    assert len(mails) == 1
    text = mail_text(platform, mails[0])
    assert "/login" in text and "/password-reset" in text
    assert sent_deliveries(platform, unknown, "identity.account.registration_attempted") == []


def test_a_held_uscc_is_a_conflict_whoever_registers_it(platform):
    client = ApiClient(platform.wsgi)
    first = _email("first")
    body = _body(first)
    register_organisation(client, body)
    for email in (first, _email("second")):
        again = client.post(f"{IDENTITY}/organisations", json=_body(email, uscc=body["uscc"]))
        assert again.status_code == 409
        assert again.get_json()["type"].endswith("/organisation-already-registered")


def _age_account(platform, email: str, days: int) -> None:
    from identity.adapters.orm import Account

    with platform.runtimes["identity"].database.connection_context():
        row = Account.get(Account.email == email)
        Account.update(created_at=row.created_at - dt.timedelta(days=days)).where(Account.id == row.id).execute()


def test_an_unaccepted_invitation_holds_its_address_only_for_the_bound(platform):
    client = ApiClient(platform.wsgi)
    inviter = _email("inviter")
    organisation_id = register_organisation(client, _body(inviter))
    token = sign_in(client, inviter, PASSWORD)
    invited = _email("invited")
    answer = client.post(f"{IDENTITY}/organisations/{organisation_id}/members", json={"email": invited},
                         headers=bearer(token))
    assert answer.status_code == 201

    # Within the bound the invitation holds: the registration stores nothing.
    before = _counts(platform)
    assert client.post(f"{IDENTITY}/organisations", json=_body(invited)).status_code == 201
    assert _counts(platform) == before
    assert client.post(f"{IDENTITY}/tokens", json={"email": invited, "password": PASSWORD}).status_code == 401

    # Seven days on, never accepted: the address's owner registers an organisation of their own.
    _age_account(platform, invited, 8)
    assert client.post(f"{IDENTITY}/organisations", json=_body(invited)).status_code == 201
    own = organisation_of(client, sign_in(client, invited, PASSWORD))
    assert own != organisation_id
    members = client.get(f"{IDENTITY}/organisations/{organisation_id}/members", headers=bearer(token)).get_json()
    assert invited not in [m["email"] for m in members["items"]]


def test_an_accepted_account_never_yields_its_address(platform):
    client = ApiClient(platform.wsgi)
    email = _email("kept")
    organisation_id = register_organisation(client, _body(email))
    _age_account(platform, email, 400)
    assert client.post(f"{IDENTITY}/organisations", json=_body(email, "another long pass phrase")).status_code == 201
    assert organisation_of(client, sign_in(client, email, PASSWORD)) == organisation_id
