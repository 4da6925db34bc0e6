"""What a registration, an invitation and a port application hold, and for how long: the rules
(`identity.domain.holds`) and the clock on unverified registrations (`service_layer.holds`)."""

from __future__ import annotations

import datetime as dt

import pytest

from identity.domain.holds import HoldBounds, hold_state, invitation_yields, lapses_at, port_application_blocks
from identity.service_layer.holds import handle_unverified_holds
from identity.service_layer.invitations import yield_lapsed_invitation
from tests.support.fakes.identity import FakeIdentityUnitOfWork, organisation_in

pytestmark = pytest.mark.unit
BOUNDS = HoldBounds()
T0 = dt.datetime(2026, 1, 1, 8, 0)


def days(n: float) -> dt.timedelta:
    return dt.timedelta(days=n)


def test_the_default_bounds_are_30_7_7_and_14_days():
    assert (BOUNDS.unverified_days, BOUNDS.warn_days, BOUNDS.invitation_days, BOUNDS.port_pending_days) == \
        (30, 7, 7, 14)
    assert lapses_at(T0, BOUNDS) == T0 + days(30)


@pytest.mark.parametrize("bad", [{"unverified_days": 0}, {"warn_days": 30}, {"warn_days": -1},
                                 {"invitation_days": 0}, {"port_pending_days": 0}])
def test_bounds_that_make_no_sense_are_refused(bad):
    with pytest.raises(ValueError):
        HoldBounds(**bad)


@pytest.mark.parametrize(("age", "state"), [(0, "held"), (22.9, "held"), (23, "warn"), (29.99, "warn"),
                                            (30, "lapse"), (400, "lapse")])
def test_an_unverified_registration_is_warned_a_week_before_and_lapses_after_30_days(age, state):
    assert hold_state("registered", T0, T0 + days(age), BOUNDS) == state


@pytest.mark.parametrize("status", ["pending_review", "verified", "rejected", "lapsed", "suspended"])
def test_only_a_registration_that_never_asked_for_verification_is_on_the_clock(status):
    assert hold_state(status, T0, T0 + days(400), BOUNDS) == "held"


def test_an_invitation_yields_only_unaccepted_and_after_its_bound():
    assert invitation_yields("", False, T0, T0 + days(7), BOUNDS)
    assert invitation_yields("!unset", False, T0, T0 + days(8), BOUNDS)
    assert not invitation_yields("", False, T0, T0 + days(6.9), BOUNDS)
    assert not invitation_yields("$argon2id$...", False, T0, T0 + days(400), BOUNDS)  # accepted, then deactivated
    assert not invitation_yields("", True, T0, T0 + days(400), BOUNDS)


def test_a_pending_port_application_blocks_its_province_for_14_days():
    assert port_application_blocks(T0, T0 + days(13.9), BOUNDS)
    assert not port_application_blocks(T0, T0 + days(14), BOUNDS)


# --- the clock ---------------------------------------------------------------------------------

def _at(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC)


def test_the_clock_warns_once_then_releases_once_and_leaves_the_others_alone():
    uow = FakeIdentityUnitOfWork()
    squatter = organisation_in(uow, "registered", registered_at=T0)
    young = organisation_in(uow, "registered", registered_at=T0 + days(20))
    asked = organisation_in(uow, "pending_review", registered_at=T0 - days(100))

    assert handle_unverified_holds(uow, BOUNDS, _at(T0 + days(10))).warned == 0
    first = handle_unverified_holds(uow, BOUNDS, _at(T0 + days(24)))
    assert (first.warned, first.lapsed) == (1, 0)
    again = handle_unverified_holds(uow, BOUNDS, _at(T0 + days(25)))  # a repeated run: nothing twice
    assert (again.warned, again.lapsed) == (0, 0)
    [ending] = [e for e in uow.events if e.type == "identity.organisation.hold_ending"]
    assert ending.data["organisation_id"] == squatter.id and ending.data["lapses_at"].startswith("2026-01-31")

    released = handle_unverified_holds(uow, BOUNDS, _at(T0 + days(30)))
    assert (released.warned, released.lapsed) == (0, 1)
    assert handle_unverified_holds(uow, BOUNDS, _at(T0 + days(30))).lapsed == 0
    stored = uow.organisations.get(squatter.id)
    assert stored is not None and (stored.status, stored.released_at) == ("lapsed", T0 + days(30))
    [lapsed] = [e for e in uow.events if e.type == "identity.organisation.lapsed"]
    assert (lapsed.data["uscc"], lapsed.aggregate_version) == (squatter.uscc, stored.version)
    assert not uow.organisations.uscc_taken(squatter.uscc)  # free for the rightful registration
    assert [o.status for o in (uow.organisations.get(young.id), uow.organisations.get(asked.id))] == \
        ["registered", "pending_review"]
    assert "organisation.lapsed" in uow.audit_actions()


def test_a_missed_warning_does_not_delay_the_release():
    uow = FakeIdentityUnitOfWork()
    organisation = organisation_in(uow, "registered", registered_at=T0)
    done = handle_unverified_holds(uow, BOUNDS, _at(T0 + days(45)))
    assert (done.warned, done.lapsed) == (0, 1)
    assert uow.organisations.get(organisation.id).status == "lapsed"


def test_a_shorter_bound_from_the_settings_is_obeyed():
    uow = FakeIdentityUnitOfWork()
    organisation_in(uow, "registered", registered_at=T0)
    assert handle_unverified_holds(uow, HoldBounds(unverified_days=3, warn_days=1), _at(T0 + days(3))).lapsed == 1


def test_a_lapsed_invitation_is_forgotten_and_audited_a_fresh_one_is_kept():
    from identity.domain.model import Account

    uow = FakeIdentityUnitOfWork()
    for email, created in (("old@example.cn", T0), ("new@example.cn", T0 + days(5))):
        uow.accounts.add(Account(id=email, email=email, password_hash="", role="enterprise", created_at=created,
                                 active=False))
    with uow:
        assert yield_lapsed_invitation("old@example.cn", uow, _at(T0 + days(8)))
        assert not yield_lapsed_invitation("new@example.cn", uow, _at(T0 + days(8)))
    assert not uow.accounts.email_taken("old@example.cn") and uow.accounts.email_taken("new@example.cn")
    assert "account.invitation_lapsed" in uow.audit_actions()
