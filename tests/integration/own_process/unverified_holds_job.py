"""The hold of unverified registrations on their USCC, end to end on a platform of its own (the job
releases every `registered` organisation old enough, so it must not run on the session's shared
platform): `python -m identity unverified-holds --at <moment>` at chosen moments warns the
squatter's contact once, then releases the registration (`lapsed`); filing and reporting follow;
the lapsed registration's member can no longer act for it, the rightful organisation registers
the USCC; a registration that asked for verification is never touched; a repeated run changes
nothing."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator

import pytest

from identity.entrypoints.scheduled import SCHEDULED
from tests.support.embedded import (
    OPERATOR,
    ApiClient,
    eventually,
    organisation_body,
    sent_deliveries,
    sign_in,
    start_platform,
)
from tests.support.members import Member, bearer, filing_view_status, new_uscc, register_organisation
from tests.support.servers import throwaway_vhost

IDENTITY = "/api/v1/identity"
JOB = SCHEDULED[0]


@pytest.fixture(scope="module")
def platform(tmp_path_factory) -> Iterator:
    with throwaway_vhost("holds") as amqp_url:
        platform = start_platform(tmp_path_factory.mktemp("holds"), AMQP_URL=amqp_url)
        try:
            yield platform
        finally:
            platform.stop()


def run_at(platform, moment: dt.datetime) -> int:
    command = JOB.command()
    parser = argparse.ArgumentParser()
    command.arguments(parser)
    return command.run(platform.runtimes["identity"], parser.parse_args(["--at", moment.isoformat()]))


def status_of(platform, organisation_id: str) -> str:
    from identity.adapters.orm import Organisation

    with platform.runtimes["identity"].database.connection_context():
        return Organisation.get_by_id(organisation_id).status


def outbox(platform, event_type: str, organisation_id: str) -> int:
    """How many `event_type` events identity queued for the organisation."""
    import json

    from identity.adapters.orm import Outbox

    with platform.runtimes["identity"].database.connection_context():
        bodies = [json.loads(row.body) for row in Outbox.select().where(Outbox.type == event_type)]
    return sum(1 for body in bodies if body["aggregate_id"] == organisation_id)


def test_an_unverified_registration_is_warned_then_released_and_the_uscc_registered_by_its_owner(platform):
    client = ApiClient(platform.wsgi)
    operator = sign_in(client, *OPERATOR)
    squatter = Member(client, "抢注测试有限公司")
    honest = Member(client, "按时认证有限公司")
    honest.upload_mandatory()
    assert honest.ask().status_code == 202
    contact = squatter.organisation()["contact"]["email"]
    now = dt.datetime.now(dt.UTC)

    assert run_at(platform, now + dt.timedelta(days=10)) == 0
    assert outbox(platform, "identity.organisation.hold_ending", squatter.id) == 0
    assert run_at(platform, now + dt.timedelta(days=24)) == 0
    assert run_at(platform, now + dt.timedelta(days=25)) == 0  # again: warned once
    assert outbox(platform, "identity.organisation.hold_ending", squatter.id) == 1
    assert eventually(lambda: sent_deliveries(platform, contact, "identity.organisation.hold_ending"), 20)

    assert run_at(platform, now + dt.timedelta(days=31)) == 0
    assert run_at(platform, now + dt.timedelta(days=31)) == 0  # retried: released once
    assert outbox(platform, "identity.organisation.lapsed", squatter.id) == 1
    assert (status_of(platform, squatter.id), status_of(platform, honest.id)) == ("lapsed", "pending_review")
    assert eventually(lambda: sent_deliveries(platform, contact, "identity.organisation.lapsed"), 20)
    assert eventually(lambda: filing_view_status(platform, squatter.id) == "lapsed"), "filing never heard"

    def counted() -> dict | None:
        answer = client.get("/api/v1/reporting/summary", headers=bearer(operator)).get_json()
        return answer if answer["organisations"]["by_status"].get("lapsed") == 1 else None

    assert eventually(counted), "reporting never counted the lapsed registration"

    # Its member can no longer act for it; the audit log says what the clock did.
    assert squatter.ask().status_code == 409
    invited = client.post(f"{IDENTITY}/organisations/{squatter.id}/members", json={"email": "x@example.cn"},
                          headers=squatter.auth)
    assert invited.status_code == 409 and invited.get_json()["type"].endswith("/organisation-released")
    audit = client.get(f"{IDENTITY}/audit-log", query_string={"subject_id": squatter.id},
                       headers=bearer(operator)).get_json()
    assert {"organisation.hold_ending", "organisation.lapsed"} <= {e["action"] for e in audit["items"]}

    # The rightful organisation registers the released USCC.
    body = organisation_body(uscc=squatter.uscc, name="抢注测试有限公司",
                             account={"email": "rightful@example.cn", "password": "correct horse battery"})
    rightful = register_organisation(client, body)
    assert rightful != squatter.id and status_of(platform, rightful) == "registered"
    again = client.post(f"{IDENTITY}/organisations", json=organisation_body(
        uscc=squatter.uscc, account={"email": "third@example.cn", "password": "correct horse battery"}))
    assert again.status_code == 409  # held again, by the rightful one
    assert new_uscc() != squatter.uscc
