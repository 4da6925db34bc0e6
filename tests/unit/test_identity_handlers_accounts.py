"""identity's handlers of accounts and tokens, with its unit of work in memory: signing in (rate
limits, lock-out, decoy verification, audit), refreshing tokens (reuse revokes the family),
setting a password with a one-time link, the first operator, invitations of staff and members,
the signed-in account, members and the audit log."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from identity.domain.commands import (
    BootstrapOperator,
    InviteMember,
    InviteStaff,
    RefreshTokens,
    SetPassword,
    SignIn,
)
from identity.domain.sign_in_guard import LockoutPolicy
from identity.service_layer import accounts, invitations, password_setup, sign_in, tokens
from identity.service_layer.tokens import ACCESS_TOKEN_SECONDS
from platform_shared.audit import Actor, AuditFilter
from platform_shared.errors import Conflict, Gone, NotFound, RuleBroken, TooManyRequests, Unauthenticated
from platform_shared.moments import utcnow
from platform_shared.pages import PageRequest
from platform_shared.principal import Principal
from tests.support.fakes.identity import (
    FakeHasher,
    FakeIdentityUnitOfWork,
    FakeLimits,
    FakeSigner,
    account_in,
    fake_dependencies,
    organisation_in,
)

pytestmark = pytest.mark.unit

EMAIL = "reviewer@example.cn"
RIGHT = "right password 2026"
ADDRESS = "203.0.113.7"
OPERATOR = Principal("olga", "operator")


@pytest.fixture
def uow() -> FakeIdentityUnitOfWork:
    return FakeIdentityUnitOfWork(actor=Actor(address=ADDRESS, request_id="req-1"))


def attempt(uow, deps, password: str, email: str = EMAIL) -> dict:
    protection = deps.sign_in_protection
    return sign_in.handle_sign_in(SignIn(email, password, ADDRESS), uow, protection, deps.password_hashing,
                                  deps.signing_keys)


# --- signing in ----------------------------------------------------------------------------------

def test_the_right_password_gives_a_token_pair_stores_the_refresh_token_and_is_audited_as_the_account(uow, tmp_path):
    deps = fake_dependencies(tmp_path)
    account = account_in(uow, EMAIL)
    pair = attempt(uow, deps, RIGHT, email="  Reviewer@Example.CN ")
    assert pair["token_type"] == "Bearer" and pair["expires_in"] == ACCESS_TOKEN_SECONDS
    assert pair["access_token"] == "token-1"
    claims = deps.signing_keys.signed[0]
    assert (claims["sub"], claims["role"], claims["typ"]) == (account.id, "reviewer", "access")
    assert claims["exp"] - int(claims["iat"]) == ACCESS_TOKEN_SECONDS
    assert [t.account_id for t in uow.refresh_tokens] == [account.id]
    assert uow.audit_actions() == ["sign_in.succeeded"]
    entry = uow.audit_log[0]
    assert (entry.actor.account_id, entry.actor.role, entry.actor.address) == (account.id, "reviewer", ADDRESS)
    assert entry.detail == {"email": EMAIL}


def test_enterprise_and_province_admin_tokens_carry_what_the_role_is_bound_to(uow, tmp_path):
    deps = fake_dependencies(tmp_path)
    organisation = organisation_in(uow)
    attempt(uow, deps, "member secret 2026", email=f"member@{organisation.id}.cn")
    account_in(uow, "admin@example.cn", role="province_admin", province_code="540000")
    attempt(uow, deps, RIGHT, email="admin@example.cn")
    member, admin = deps.signing_keys.signed
    assert member["org"] == organisation.id and "province" not in member
    assert admin["province"] == "540000" and "org" not in admin


def test_a_wrong_password_is_unauthenticated_counted_and_audited_without_an_actor(uow, tmp_path):
    limits = FakeLimits()
    deps = fake_dependencies(tmp_path, limits=limits)
    account = account_in(uow, EMAIL)
    with pytest.raises(Unauthenticated) as refused:
        attempt(uow, deps, "wrong password")
    assert refused.value.slug == "invalid-credentials"
    assert uow.sign_in_guard.failures(EMAIL).count == 1
    assert limits.failures == [ADDRESS]
    assert uow.audit_actions() == ["sign_in.failed"]
    entry = uow.audit_log[0]
    assert (entry.subject_id, entry.actor.account_id, entry.detail) == (account.id, None,
                                                                        {"email": EMAIL, "locked": False})
    assert len(uow.refresh_tokens) == 0


def test_an_unknown_address_is_checked_against_the_decoy_and_counted_like_a_known_one(uow, tmp_path):
    deps = fake_dependencies(tmp_path)
    with pytest.raises(Unauthenticated):
        attempt(uow, deps, RIGHT, email="nobody@example.cn")
    assert deps.password_hashing.verified == [None]  # verified all the same (the decoy, as slowly)
    assert uow.sign_in_guard.failures("nobody@example.cn").count == 1
    assert uow.audit_log[0].subject_id is None


def test_an_inactive_or_passwordless_account_cannot_sign_in(uow, tmp_path):
    deps = fake_dependencies(tmp_path)
    account_in(uow, EMAIL, active=False)
    account_in(uow, "invited@example.cn", password=None, active=False)
    for email in (EMAIL, "invited@example.cn"):
        with pytest.raises(Unauthenticated):
            attempt(uow, deps, RIGHT, email=email)


def test_the_failure_that_reaches_the_limit_locks_and_then_even_the_right_password_waits(uow, tmp_path):
    deps = fake_dependencies(tmp_path, lockout=LockoutPolicy(max_failures=3))
    account_in(uow, EMAIL)
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            attempt(uow, deps, "wrong password")
    with pytest.raises(TooManyRequests) as locking:
        attempt(uow, deps, "wrong password")
    assert locking.value.slug == "sign-in-locked" and 890 <= locking.value.retry_after <= 900
    with pytest.raises(TooManyRequests) as locked:
        attempt(uow, deps, RIGHT)
    assert locked.value.slug == "sign-in-locked" and locked.value.retry_after >= 1
    assert uow.audit_actions()[-2:] == ["sign_in.failed", "sign_in.locked"]
    assert uow.audit_log[-2].detail["locked"] is True
    assert len(uow.refresh_tokens) == 0


def test_a_success_clears_the_count_of_failures(uow, tmp_path):
    deps = fake_dependencies(tmp_path)
    account_in(uow, EMAIL)
    with pytest.raises(Unauthenticated):
        attempt(uow, deps, "wrong password")
    attempt(uow, deps, RIGHT)
    assert uow.sign_in_guard.failures(EMAIL) is None


@pytest.mark.parametrize(("limits", "message"), [
    (FakeLimits(address_wait=17), "from your address"), (FakeLimits(account_wait=17), "for this e-mail address")])
def test_rate_limits_refuse_before_anything_is_checked_or_audited(uow, tmp_path, limits, message):
    deps = fake_dependencies(tmp_path, limits=limits)
    account_in(uow, EMAIL)
    with pytest.raises(TooManyRequests) as refused:
        attempt(uow, deps, RIGHT)
    assert (refused.value.slug, refused.value.retry_after) == ("too-many-sign-ins", 17)
    assert message in refused.value.detail and "17 s" in refused.value.detail
    assert deps.password_hashing.verified == [] and uow.audit_log == []


# --- refresh tokens ----------------------------------------------------------------------------------

def signed_in(uow, tmp_path):
    deps = fake_dependencies(tmp_path)
    account = account_in(uow, EMAIL)
    return deps, account, attempt(uow, deps, RIGHT)["refresh_token"]


def test_a_refresh_token_gives_a_new_pair_of_its_family_once(uow, tmp_path):
    deps, account, refresh = signed_in(uow, tmp_path)
    family = next(iter(uow.refresh_tokens)).family_id
    pair = tokens.handle_refresh_tokens(RefreshTokens(refresh), uow, deps.signing_keys)
    assert pair["refresh_token"] != refresh
    assert {t.family_id for t in uow.refresh_tokens} == {family} and len(uow.refresh_tokens) == 2
    assert deps.signing_keys.signed[-1]["sub"] == account.id


def test_a_spent_refresh_token_presented_again_revokes_its_whole_family(uow, tmp_path):
    deps, _account, refresh = signed_in(uow, tmp_path)
    newer = tokens.handle_refresh_tokens(RefreshTokens(refresh), uow, deps.signing_keys)["refresh_token"]
    with pytest.raises(Unauthenticated) as reused:
        tokens.handle_refresh_tokens(RefreshTokens(refresh), uow, deps.signing_keys)
    assert reused.value.slug == "invalid-refresh-token" and "already used" in reused.value.detail
    assert all(t.revoked_at is not None for t in uow.refresh_tokens)
    with pytest.raises(Unauthenticated, match="revoked"):
        tokens.handle_refresh_tokens(RefreshTokens(newer), uow, deps.signing_keys)


def test_an_unknown_or_expired_refresh_token_or_a_disabled_account_is_refused(uow, tmp_path):
    deps, account, refresh = signed_in(uow, tmp_path)
    with pytest.raises(Unauthenticated, match="unknown"):
        tokens.handle_refresh_tokens(RefreshTokens("made-up"), uow, deps.signing_keys)
    stored = next(iter(uow.refresh_tokens))
    uow.refresh_tokens.items[stored.id].expires_at = utcnow() - dt.timedelta(seconds=1)
    with pytest.raises(Unauthenticated, match="expired"):
        tokens.handle_refresh_tokens(RefreshTokens(refresh), uow, deps.signing_keys)
    uow.refresh_tokens.items[stored.id].expires_at = utcnow() + dt.timedelta(days=1)
    uow.accounts.items[account.id].active = False
    with pytest.raises(Unauthenticated, match="disabled"):
        tokens.handle_refresh_tokens(RefreshTokens(refresh), uow, deps.signing_keys)
    assert uow.refresh_tokens.items[stored.id].used_at is None  # the refusal rolled the spending back


def test_the_public_keys_are_the_signers(tmp_path):
    signer = FakeSigner()
    assert tokens.published_keys(signer) == signer.jwks()


# --- password setup ----------------------------------------------------------------------------------

def link_for(uow, account_id: str) -> str:
    with uow:
        url, expires_at = password_setup.issue_password_setup(account_id, "staff", "https://p.example.cn/", uow)
    assert url.startswith("https://p.example.cn/password-setup#")
    assert expires_at - dt.datetime.now(dt.UTC) > dt.timedelta(days=2, hours=23)
    return url.split("#", 1)[1]


def test_a_link_sets_the_password_once_activates_the_account_and_is_audited_as_it(uow):
    account = account_in(uow, EMAIL, password=None, active=False)
    token = link_for(uow, account.id)
    hasher = FakeHasher()
    changed = password_setup.handle_set_password(SetPassword(token, "a long staff secret 2026"), uow, hasher)
    assert changed.active and uow.accounts.get(account.id).password_hash == hasher.hash("a long staff secret 2026")
    assert uow.audit_actions() == ["account.password_set"]
    assert (uow.audit_log[0].actor.account_id, uow.audit_log[0].actor.role) == (account.id, "reviewer")
    with pytest.raises(Gone) as again:
        password_setup.handle_set_password(SetPassword(token, "another long secret"), uow, hasher)
    assert again.value.slug == "password-setup-gone"


def test_a_newer_link_voids_the_older_and_an_expired_or_unknown_link_is_gone(uow):
    account = account_in(uow, EMAIL, password=None, active=False)
    older, newer = link_for(uow, account.id), link_for(uow, account.id)
    for token in (older, "made-up"):
        with pytest.raises(Gone):
            password_setup.handle_set_password(SetPassword(token, "a long staff secret 2026"), uow, FakeHasher())
    for setup in uow.password_setups:
        setup.expires_at = utcnow() - dt.timedelta(seconds=1)
    with pytest.raises(Gone):
        password_setup.handle_set_password(SetPassword(newer, "a long staff secret 2026"), uow, FakeHasher())


def test_a_weak_password_breaks_the_rule_and_leaves_the_link_usable(uow):
    account = account_in(uow, EMAIL, password=None, active=False)
    token = link_for(uow, account.id)
    with pytest.raises(RuleBroken) as weak:
        password_setup.handle_set_password(SetPassword(token, "short"), uow, FakeHasher())
    assert list(weak.value.errors) == ["password"]
    assert all(s.used_at is None for s in uow.password_setups) and not uow.accounts.get(account.id).active


# --- the first operator, the signed-in account --------------------------------------------------------

def test_the_bootstrap_operator_is_created_once(uow):
    command = accounts.bootstrap_command(" Olga@Example.CN:first operator secret")
    assert command == BootstrapOperator("olga@example.cn", "first operator secret")
    assert accounts.handle_bootstrap_operator(command, uow, FakeHasher()) is True
    assert accounts.handle_bootstrap_operator(command, uow, FakeHasher()) is False
    [operator] = list(uow.accounts)
    assert (operator.email, operator.role, operator.active) == ("olga@example.cn", "operator", True)
    # Its holder is mailed that it exists (once), never the password.
    [created] = uow.events
    assert (created.type, created.data["email"], created.data["account_id"]) == (
        "identity.account.bootstrapped", "olga@example.cn", operator.id)
    assert "first operator secret" not in str(created.data)
    with pytest.raises(ValueError, match="email:password"):
        accounts.bootstrap_command("no-password")


def test_the_signed_in_account_must_still_exist_and_be_active(uow):
    account = account_in(uow, EMAIL)
    assert accounts.signed_in_account(Principal(account.id, "reviewer"), uow).email == EMAIL
    uow.accounts.items[account.id].active = False
    with pytest.raises(Unauthenticated) as gone:
        accounts.signed_in_account(Principal(account.id, "reviewer"), uow)
    assert gone.value.slug == "invalid-token"
    with pytest.raises(Unauthenticated):
        accounts.signed_in_account(Principal("nobody", "reviewer"), uow)


# --- invitations ----------------------------------------------------------------------------------

def test_staff_are_invited_without_a_password_with_a_mailed_link_an_event_and_an_audit_entry(uow):
    account = invitations.handle_invite_staff(InviteStaff(" Admin@Example.CN", "province_admin", "540000", OPERATOR),
                                              uow, "https://p.example.cn")
    assert (account.email, account.role, account.province_code, account.active) == (
        "admin@example.cn", "province_admin", "540000", False)
    assert not FakeHasher().verify(uow.accounts.get(account.id).password_hash, "")
    [event] = uow.events_of("identity.account.invited")
    assert event.data["invited_by"] == "olga" and event.data["password_setup_url"].startswith(
        "https://p.example.cn/password-setup#")
    assert [s.purpose for s in uow.password_setups] == ["staff"]
    assert uow.audit_actions() == ["account.created"] and uow.audit_log[0].detail["invited"] is True


def test_staff_bound_against_the_rules_break_them_and_a_taken_e_mail_conflicts(uow):
    with pytest.raises(RuleBroken) as unbound:
        invitations.handle_invite_staff(InviteStaff("a@example.cn", "province_admin", None, OPERATOR), uow, "x")
    assert list(unbound.value.errors) == ["province_code"]
    account_in(uow, EMAIL)
    with pytest.raises(Conflict) as taken:
        invitations.handle_invite_staff(InviteStaff(EMAIL, "reviewer", None, OPERATOR), uow, "x")
    assert (taken.value.slug, taken.value.errors) == ("account-exists", {"email": ["already registered"]})
    assert uow.events == [] and len(uow.password_setups) == 0


def test_a_member_invites_a_colleague_into_their_own_organisation_only(uow):
    organisation, other = organisation_in(uow), organisation_in(uow)
    member = Principal("m1", "enterprise", organisation_id=organisation.id)
    colleague = invitations.handle_invite_member(InviteMember(organisation.id, "colleague@example.cn", member),
                                                 uow, "https://p.example.cn")
    assert (colleague.role, colleague.organisation_id) == ("enterprise", organisation.id)
    assert uow.events_of("identity.account.invited")[0].data["organisation_name"] == organisation.name
    with pytest.raises(NotFound):
        invitations.handle_invite_member(InviteMember(other.id, "x@example.cn", member), uow, "x")
    with pytest.raises(NotFound):
        invitations.handle_invite_member(InviteMember("gone", "x@example.cn", OPERATOR), uow, "x")


def test_a_concurrent_invitation_of_the_same_e_mail_is_the_same_conflict(uow, monkeypatch):
    monkeypatch.setattr(uow.accounts, "email_taken", lambda email: False)  # the other one was not committed yet
    account_in(uow, EMAIL)
    with pytest.raises(Conflict) as raced:
        invitations.handle_invite_staff(InviteStaff(EMAIL, "reviewer", None, OPERATOR), uow, "x")
    assert raced.value.slug == "account-exists" and uow.events == []


# --- members and the audit log ------------------------------------------------------------------------

def test_members_are_listed_for_the_organisation_and_operators_only(uow):
    organisation = organisation_in(uow)
    page = accounts.members_of(organisation.id, Principal("m", "enterprise", organisation_id=organisation.id),
                               PageRequest(), uow)
    assert [a.email for a in page.items] == [f"member@{organisation.id}.cn"] and page.total == 1
    assert accounts.members_of(organisation.id, OPERATOR, PageRequest(), uow).total == 1
    with pytest.raises(NotFound):
        accounts.members_of(organisation.id, Principal("x", "enterprise", organisation_id="other"), PageRequest(), uow)
    with pytest.raises(NotFound):
        accounts.members_of("unknown", OPERATOR, PageRequest(), uow)


def test_the_audit_log_is_read_newest_first_and_filtered(uow, tmp_path):
    deps = fake_dependencies(tmp_path)
    account_in(uow, EMAIL)
    with pytest.raises(Unauthenticated):
        attempt(uow, deps, "wrong password")
    attempt(uow, deps, RIGHT)
    page = uow.audit_entries.page(AuditFilter(), PageRequest())
    assert [e.action for e in page.items] == ["sign_in.succeeded", "sign_in.failed"]
    failed = uow.audit_entries.page(AuditFilter(action="sign_in.failed"), PageRequest())
    assert failed.total == 1 and failed.items[0].detail == {"email": EMAIL, "locked": False}
    assert dataclasses.asdict(failed.items[0])["address"] == ADDRESS
