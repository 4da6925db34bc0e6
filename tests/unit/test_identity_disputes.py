"""A dispute on a USCC (identity's unit of work in memory): the holder is suspended and the USCC
released, in any holding status, with the reason audited and published; nothing without a reason
or a holder."""

from __future__ import annotations

import pytest

from identity.domain.commands import InviteMember, OpenDispute
from identity.service_layer.disputes import handle_open_dispute
from identity.service_layer.invitations import handle_invite_member
from platform_shared.errors import Conflict, NotFound, RuleBroken
from platform_shared.principal import Principal
from tests.support.fakes.identity import FakeIdentityUnitOfWork, organisation_in

pytestmark = pytest.mark.unit
OPERATOR = Principal("olga", "operator")
REASON = "营业执照显示该代码属于深圳另一家公司"


@pytest.mark.parametrize("status", ["registered", "pending_review", "verified", "rejected"])
def test_a_dispute_suspends_the_holder_in_any_holding_status_and_releases_the_uscc(status):
    uow = FakeIdentityUnitOfWork()
    holder = organisation_in(uow, status)
    suspended = handle_open_dispute(OpenDispute(holder.uscc, f"  {REASON} ", OPERATOR), uow)
    assert (suspended.status, suspended.version) == ("suspended", holder.version + 1)
    assert suspended.released_at is not None
    assert not uow.organisations.uscc_taken(holder.uscc)
    [event] = uow.events
    assert event.type == "identity.organisation.suspended"
    assert (event.data["reason"], event.data["previous_status"], event.data["suspended_by"]) == (REASON, status, "olga")
    assert event.aggregate_version == suspended.version
    [entry] = [e for e in uow.audit_log if e.action == "organisation.suspended"]
    assert entry.detail["reason"] == REASON and entry.subject_id == holder.id


def test_a_dispute_needs_a_reason_and_a_holder():
    uow = FakeIdentityUnitOfWork()
    holder = organisation_in(uow, "verified")
    with pytest.raises(RuleBroken) as bare:
        handle_open_dispute(OpenDispute(holder.uscc, "   ", OPERATOR), uow)
    assert list(bare.value.errors) == ["reason"]
    with pytest.raises(NotFound):
        handle_open_dispute(OpenDispute("91110000600037341L", REASON, OPERATOR), uow)
    handle_open_dispute(OpenDispute(holder.uscc, REASON, OPERATOR), uow)
    with pytest.raises(NotFound):  # released: no one holds it any more
        handle_open_dispute(OpenDispute(holder.uscc, REASON, OPERATOR), uow)
    assert len(uow.events) == 1


def test_a_dispute_that_lost_a_race_is_a_conflict(monkeypatch):
    uow = FakeIdentityUnitOfWork()
    holder = organisation_in(uow, "verified")
    monkeypatch.setattr(uow.organisations, "change", lambda *args: False)
    with pytest.raises(Conflict):
        handle_open_dispute(OpenDispute(holder.uscc, REASON, OPERATOR), uow)
    assert uow.events == []


def test_a_suspended_registration_no_longer_invites_and_the_rightful_one_registers_the_uscc():
    from identity.service_layer import registration
    from tests.support.fakes.identity import FakeCipher, FakeHasher
    from tests.unit.test_identity_handlers_organisations import registering

    uow = FakeIdentityUnitOfWork()
    holder = organisation_in(uow, "verified")
    handle_open_dispute(OpenDispute(holder.uscc, REASON, OPERATOR), uow)
    member = Principal(f"member-of-{holder.id}", "enterprise", organisation_id=holder.id)
    with pytest.raises(Conflict) as refused:
        handle_invite_member(InviteMember(holder.id, "new@example.cn", member), uow, "https://p.example.cn")
    assert refused.value.slug == "organisation-released"
    rightful = registration.handle_register_organisation(registering(uscc=holder.uscc, email="owner@example.cn"),
                                                         uow, FakeCipher(), FakeHasher())
    assert rightful is not None and rightful.status == "registered" and rightful.uscc == holder.uscc
