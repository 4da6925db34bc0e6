"""The table every service keeps of deactivated accounts, and its handler: each event applied once
in order, a late or repeated one changing nothing, and what the token check asks of it."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from platform_shared.auth.revocations import RevocationCheck, bind_revocations, record, subscription
from platform_shared.events.contracts import build_event

pytestmark = pytest.mark.unit
AT = dt.datetime(2026, 5, 8, 6, 30, 0)


def event(kind: str, moment: dt.datetime, account_id: str = "acc-1"):
    data = {"account_id": account_id, "email": "left@example.cn", "role": "reviewer", "organisation_id": None,
            "by": "op-1", "reason": "离职", f"{kind}_at": moment.replace(tzinfo=dt.UTC).isoformat()}
    return build_event(f"identity.account.{kind}", data, producer="identity", aggregate_id=account_id)


@pytest.fixture
def table():
    database = peewee.SqliteDatabase(":memory:")
    revoked = bind_revocations(database)
    database.create_tables([revoked])
    yield revoked
    database.close()


def test_a_deactivation_then_a_reactivation(table):
    check = RevocationCheck(table)
    assert not check.refuses("acc-1", AT)
    record(table, event("deactivated", AT))
    assert check.refuses("acc-1", AT - dt.timedelta(minutes=1))
    assert check.refuses("acc-1", AT.replace(microsecond=0))  # issued in the deactivation's own second
    assert not check.refuses("acc-2", AT)
    assert check.refuses("acc-1", AT + dt.timedelta(minutes=3))  # while deactivated, every token
    record(table, event("reactivated", AT + dt.timedelta(minutes=2)))
    assert check.refuses("acc-1", AT - dt.timedelta(minutes=1))
    assert not check.refuses("acc-1", AT + dt.timedelta(minutes=3))


def test_within_one_second_the_milliseconds_of_iat_tell_before_from_after(table):
    check = RevocationCheck(table)
    deactivated = AT.replace(microsecond=400_000)
    record(table, event("deactivated", deactivated))
    record(table, event("reactivated", deactivated.replace(microsecond=450_000)))
    assert check.refuses("acc-1", AT.replace(microsecond=399_000))
    assert not check.refuses("acc-1", AT.replace(microsecond=401_000))  # signed in after a reactivation
    assert check.refuses("acc-1", AT.replace(microsecond=0))  # a whole-second iat of that second: before


def test_a_late_or_repeated_event_changes_nothing(table):
    record(table, event("deactivated", AT + dt.timedelta(hours=1)))
    record(table, event("deactivated", AT))  # an older one, late
    record(table, event("reactivated", AT + dt.timedelta(hours=2)))
    record(table, event("reactivated", AT + dt.timedelta(minutes=90)))
    row = table.get(table.account_id == "acc-1")
    assert (row.deactivated_at, row.reactivated_at) == (AT + dt.timedelta(hours=1), AT + dt.timedelta(hours=2))


def test_every_service_subscribes_to_both_events():
    from gateway.embedded import definitions

    for name, definition in definitions().items():
        [accounts] = [c for c in definition.consumes if c.name == "accounts"]
        assert sorted(accounts.patterns) == sorted(subscription().patterns), name
