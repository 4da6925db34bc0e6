"""Deactivating and reactivating accounts (issue 17, part 2): who may do it to whom (operators:
staff, never themselves; an organisation's admin: its members, never its last active admin),
what a deactivation does (no sign-in, sign-ins ended, the event, the audit with the reason), and
which tokens the services refuse after it (`platform_shared.auth.revocations`)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from identity.domain.commands import DeactivateAccount, ReactivateAccount
from identity.domain.deactivation import (
    Actor,
    Refused,
    Target,
    check_admin_change,
    check_deactivation,
    check_reactivation,
)
from identity.domain.model import RefreshToken
from identity.service_layer.deactivation import handle_deactivate, handle_reactivate
from platform_shared.auth.revocations import Revocation
from platform_shared.errors import Conflict, Forbidden, NotFound
from platform_shared.moments import utcnow
from platform_shared.principal import Principal
from tests.support.fakes.identity import FakeIdentityUnitOfWork, account_in, organisation_in

pytestmark = pytest.mark.unit

OPERATOR = Actor("op-1", "operator")
ADMIN = Actor("adm-1", "enterprise", "org-1", organisation_admin=True)
MEMBER = Actor("mem-1", "enterprise", "org-1")


def target(role: str = "reviewer", organisation_id: str | None = None, *, admin: bool = False,
           deactivated: bool = False, account_id: str = "acc-9") -> Target:
    return Target(account_id, role, organisation_id, admin, deactivated)


@pytest.mark.parametrize("role", ["reviewer", "operator", "province_admin"])
def test_an_operator_deactivates_and_reactivates_staff(role):
    check_deactivation(OPERATOR, target(role), active_admins=0)
    check_reactivation(OPERATOR, target(role, deactivated=True))


def test_an_operator_never_deactivates_itself():
    with pytest.raises(Refused) as refused:
        check_deactivation(OPERATOR, target("operator", account_id=OPERATOR.account_id), active_admins=0)
    assert (refused.value.kind, refused.value.slug) == ("conflict", "own-account")


def test_an_operator_leaves_members_to_their_organisations_admin():
    with pytest.raises(Refused) as refused:
        check_deactivation(OPERATOR, target("enterprise", "org-1"), active_admins=1)
    assert refused.value.kind == "forbidden"


def test_an_admin_deactivates_a_member_of_its_own_organisation_only():
    check_deactivation(ADMIN, target("enterprise", "org-1"), active_admins=1)
    with pytest.raises(Refused) as elsewhere:
        check_deactivation(ADMIN, target("enterprise", "org-2"), active_admins=1)
    assert elsewhere.value.kind == "not-found"  # another organisation's accounts are not shown to exist
    with pytest.raises(Refused) as staff:
        check_deactivation(ADMIN, target("reviewer"), active_admins=1)
    assert staff.value.kind == "not-found"


def test_a_member_who_is_not_admin_may_not():
    for check in (lambda: check_deactivation(MEMBER, target("enterprise", "org-1"), active_admins=1),
                  lambda: check_reactivation(MEMBER, target("enterprise", "org-1", deactivated=True))):
        with pytest.raises(Refused) as refused:
            check()
        assert (refused.value.kind, refused.value.slug) == ("forbidden", "not-organisation-admin")


@pytest.mark.parametrize("role", ["reviewer", "province_admin"])
def test_other_staff_may_not(role):
    with pytest.raises(Refused) as refused:
        check_deactivation(Actor("x", role, None), target("reviewer"), active_admins=0)
    assert refused.value.kind == "forbidden"


def test_never_the_last_active_admin_of_an_organisation():
    last = target("enterprise", "org-1", admin=True, account_id=ADMIN.account_id)
    with pytest.raises(Refused) as refused:
        check_deactivation(ADMIN, last, active_admins=1)
    assert refused.value.slug == "last-organisation-admin"
    check_deactivation(ADMIN, last, active_admins=2)  # another admin remains: it may step down


def test_twice_is_refused_either_way():
    with pytest.raises(Refused) as twice:
        check_deactivation(OPERATOR, target(deactivated=True), active_admins=0)
    assert twice.value.slug == "account-already-deactivated"
    with pytest.raises(Refused) as active:
        check_reactivation(OPERATOR, target())
    assert active.value.slug == "account-not-deactivated"


def test_an_admin_or_an_operator_appoints_admins_never_removing_the_last():
    colleague = target("enterprise", "org-1")
    check_admin_change(ADMIN, colleague, True, active_admins=1)
    check_admin_change(OPERATOR, target("enterprise", "org-2"), True, active_admins=0)  # its admin left
    last = target("enterprise", "org-1", admin=True)
    for actor in (ADMIN, OPERATOR):
        with pytest.raises(Refused) as refused:
            check_admin_change(actor, last, False, active_admins=1)
        assert refused.value.slug == "last-organisation-admin"
    check_admin_change(ADMIN, last, False, active_admins=2)
    with pytest.raises(Refused) as member:
        check_admin_change(MEMBER, colleague, True, active_admins=1)
    assert member.value.slug == "not-organisation-admin"
    with pytest.raises(Refused) as elsewhere:
        check_admin_change(ADMIN, target("enterprise", "org-2"), True, active_admins=1)
    assert elsewhere.value.kind == "not-found"
    with pytest.raises(Refused) as staff:
        check_admin_change(OPERATOR, target("reviewer"), True, active_admins=0)
    assert staff.value.slug == "not-a-member"


# --- the service layer, on fakes -------------------------------------------------------------------


def _principal(account) -> Principal:
    return Principal(account.id, account.role, account.organisation_id)


def test_deactivating_ends_sign_ins_publishes_the_event_and_audits_the_reason():
    uow = FakeIdentityUnitOfWork()
    operator = account_in(uow, "op@example.cn", role="operator")
    reviewer = account_in(uow, "rev@example.cn")
    uow.refresh_tokens.add(RefreshToken(id="t-1", account_id=reviewer.id, family_id="f-1", token_hash="h",
                                        issued_at=utcnow(), expires_at=utcnow() + dt.timedelta(days=1)))
    changed = handle_deactivate(DeactivateAccount(reviewer.id, "离职", _principal(operator)), uow)

    assert changed.status == "deactivated" and not changed.can_sign_in
    assert uow.accounts.get(reviewer.id).deactivated_at is not None
    assert uow.refresh_tokens.items["t-1"].revoked_at is not None
    [event] = uow.events
    assert event.type == "identity.account.deactivated"
    assert (event.data["account_id"], event.data["by"], event.data["reason"]) == (reviewer.id, operator.id, "离职")
    [entry] = uow.audit_log
    assert (entry.action, entry.subject_id, entry.detail["reason"]) == ("account.deactivated", reviewer.id, "离职")

    again = handle_reactivate(ReactivateAccount(reviewer.id, "回来了", _principal(operator)), uow)
    assert again.status == "active" and again.can_sign_in
    assert [e.type for e in uow.events][-1] == "identity.account.reactivated"
    assert uow.audit_log[-1].action == "account.reactivated" and uow.audit_log[-1].detail["reason"] == "回来了"


def test_an_admin_and_its_organisation_as_the_service_layer_sees_them():
    uow = FakeIdentityUnitOfWork()
    organisation = organisation_in(uow, "verified")
    [admin] = [a for a in uow.accounts.items.values() if a.organisation_id == organisation.id]
    admin.organisation_admin = True
    uow.accounts.save(admin)
    colleague = account_in(uow, "colleague@example.cn", role="enterprise", organisation_id=organisation.id)
    other = organisation_in(uow, "verified")
    [stranger] = [a for a in uow.accounts.items.values() if a.organisation_id == other.id]

    with pytest.raises(Conflict) as last:
        handle_deactivate(DeactivateAccount(admin.id, "自己", _principal(admin)), uow)
    assert last.value.slug == "last-organisation-admin"
    with pytest.raises(Forbidden):
        handle_deactivate(DeactivateAccount(admin.id, "越权", _principal(colleague)), uow)
    with pytest.raises(NotFound):
        handle_deactivate(DeactivateAccount(stranger.id, "别家的", _principal(admin)), uow)
    with pytest.raises(NotFound):
        handle_deactivate(DeactivateAccount(str(uuid.uuid4()), "没有", _principal(admin)), uow)
    assert handle_deactivate(DeactivateAccount(colleague.id, "离职", _principal(admin)), uow).deactivated
    assert uow.events[-1].data["organisation_id"] == organisation.id


# --- which tokens the services refuse --------------------------------------------------------------

T0 = dt.datetime(2026, 5, 8, 6, 30, 0, 500_000)


def test_while_deactivated_every_token_is_refused():
    revocation = Revocation(deactivated_at=T0)
    assert revocation.refuses(T0 - dt.timedelta(minutes=5))
    assert revocation.refuses(T0 + dt.timedelta(minutes=5))
    assert revocation.refuses(None)


def test_after_reactivation_only_tokens_from_before_the_deactivation_are_refused():
    revocation = Revocation(deactivated_at=T0, reactivated_at=T0 + dt.timedelta(minutes=1))
    assert revocation.refuses(T0 - dt.timedelta(minutes=5))
    assert revocation.refuses(T0.replace(microsecond=0))  # `iat` of the deactivation's own second
    assert not revocation.refuses(T0 + dt.timedelta(minutes=1, seconds=1))


def test_deactivated_again_after_a_reactivation():
    revocation = Revocation(deactivated_at=T0 + dt.timedelta(hours=1), reactivated_at=T0)
    assert revocation.deactivated and revocation.refuses(T0 + dt.timedelta(minutes=30))
