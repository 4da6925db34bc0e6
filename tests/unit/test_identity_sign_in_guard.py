"""The lock-out rule of signing in (identity.domain.sign_in_guard), its settings, and the rate
limits' counting in one process (identity.adapters.sign_in_limits on `memory://`)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from identity.adapters.sign_in_limits import SignInLimits, protection_from_settings
from identity.domain.sign_in_guard import NONE_YET, FailedSignIns, LockoutPolicy, after_failure, remaining_lock

pytestmark = pytest.mark.unit

T0 = dt.datetime(2026, 3, 1, 9, 0, 0)
POLICY = LockoutPolicy(max_failures=5, window=dt.timedelta(minutes=15), lock_for=dt.timedelta(minutes=15))


def fail(times: int, start: dt.datetime = T0, every: dt.timedelta = dt.timedelta(seconds=10),
         state: FailedSignIns | None = None, policy: LockoutPolicy = POLICY) -> FailedSignIns:
    for i in range(times):
        state = after_failure(state, policy, start + i * every)
    return state


def test_the_defaults_are_five_failures_in_fifteen_minutes_locking_for_fifteen_minutes():
    assert LockoutPolicy() == POLICY


def test_an_address_without_failures_is_not_locked():
    assert remaining_lock(None, T0) is None
    assert remaining_lock(NONE_YET, T0) is None


def test_four_failures_do_not_lock_and_the_fifth_locks_for_the_whole_lock_time():
    four = fail(4)
    assert four.count == 4 and four.locked_until is None
    assert remaining_lock(four, T0 + dt.timedelta(seconds=40)) is None

    fifth_at = T0 + dt.timedelta(seconds=40)
    fifth = after_failure(four, POLICY, fifth_at)
    assert fifth.locked_until == fifth_at + POLICY.lock_for
    assert remaining_lock(fifth, fifth_at) == POLICY.lock_for
    assert remaining_lock(fifth, fifth_at + dt.timedelta(minutes=10)) == dt.timedelta(minutes=5)


def test_the_lock_ends_by_itself():
    locked = fail(5)
    assert remaining_lock(locked, locked.locked_until - dt.timedelta(seconds=1)) == dt.timedelta(seconds=1)
    assert remaining_lock(locked, locked.locked_until) is None


def test_failures_spread_wider_than_the_window_never_lock():
    # One wrong password every 4 minutes: never 5 within 15 minutes.
    state = fail(20, every=dt.timedelta(minutes=4))
    assert state.locked_until is None
    assert state.count < POLICY.max_failures


def test_a_failure_after_the_window_starts_a_new_count():
    four = fail(4)
    later = T0 + POLICY.window + dt.timedelta(seconds=1)
    state = after_failure(four, POLICY, later)
    assert (state.count, state.first_at, state.locked_until) == (1, later, None)


def test_failures_during_a_lock_neither_extend_it_nor_count():
    locked = fail(5)
    during = locked.locked_until - dt.timedelta(minutes=1)
    assert after_failure(locked, POLICY, during) == locked


def test_after_a_lock_the_holder_has_the_full_number_of_tries_again():
    locked = fail(5)
    after = locked.locked_until + dt.timedelta(seconds=1)
    state = fail(4, start=after, state=locked)
    assert state.locked_until is None and state.count == 4
    assert after_failure(state, POLICY, after + dt.timedelta(minutes=1)).locked_until is not None


def test_a_policy_of_one_failure_locks_at_once():
    policy = LockoutPolicy(max_failures=1, window=dt.timedelta(minutes=1), lock_for=dt.timedelta(seconds=30))
    assert after_failure(None, policy, T0).locked_until == T0 + dt.timedelta(seconds=30)


@pytest.mark.parametrize("changes", [{"max_failures": 0}, {"window": dt.timedelta(0)},
                                     {"lock_for": dt.timedelta(seconds=-1)}])
def test_a_policy_that_could_never_lock_or_never_unlock_is_refused(changes):
    with pytest.raises(ValueError):
        LockoutPolicy(**changes)


# --- settings ------------------------------------------------------------------------------------

def settings(**values: str):
    def setting(name: str, default: str = "") -> str:
        return values.get(name) or default

    return setting


def test_protection_defaults_to_realistic_limits_counted_in_memory():
    protection = protection_from_settings(settings())
    assert protection.lockout == POLICY
    assert protection.limits.storage_uri == "memory://"
    assert (protection.limits.per_account.amount, protection.limits.per_account.get_expiry()) == (10, 60)
    assert (protection.limits.per_address.amount, protection.limits.per_address.get_expiry()) == (60, 60)


def test_protection_follows_its_settings():
    protection = protection_from_settings(settings(
        LOCKOUT_FAILURES="3", LOCKOUT_WINDOW_SECONDS="60", LOCKOUT_SECONDS="2",
        SIGN_IN_LIMIT_PER_ACCOUNT="4/second", SIGN_IN_LIMIT_PER_ADDRESS="100/hour",
        RATELIMIT_STORAGE_URI="memory://"))
    assert protection.lockout == LockoutPolicy(3, dt.timedelta(seconds=60), dt.timedelta(seconds=2))
    assert (protection.limits.per_account.amount, protection.limits.per_account.get_expiry()) == (4, 1)
    assert (protection.limits.per_address.amount, protection.limits.per_address.get_expiry()) == (100, 3600)


# --- rate limits, in one process -----------------------------------------------------------------

def test_attempts_at_one_e_mail_address_are_limited_and_say_how_long_to_wait():
    limits = SignInLimits(per_account="3/minute")
    email = f"{uuid.uuid4().hex}@example.cn"
    assert [limits.attempt_at_account(email) for _ in range(3)] == [None, None, None]
    wait = limits.attempt_at_account(email)
    assert wait is not None and 1 <= wait <= 60
    assert limits.attempt_at_account(f"other-{email}") is None  # another address has its own count


def test_only_failures_count_against_a_client_address():
    limits = SignInLimits(per_address="2/minute")
    address = "203.0.113.9"
    for _ in range(5):
        assert limits.address_refused(address) is None  # asking does not count
    limits.failure_from(address)
    assert limits.address_refused(address) is None
    limits.failure_from(address)
    wait = limits.address_refused(address)
    assert wait is not None and 1 <= wait <= 60
    assert limits.address_refused("203.0.113.10") is None


def test_an_unreachable_store_lets_sign_ins_through_instead_of_failing_them():
    # Nothing listens on port 1: every call of the store fails; the lock-out still guards.
    limits = SignInLimits("redis://127.0.0.1:1/0", per_account="1/minute", per_address="1/minute")
    assert limits.attempt_at_account("a@example.cn") is None
    assert limits.attempt_at_account("a@example.cn") is None
    limits.failure_from("203.0.113.11")
    assert limits.address_refused("203.0.113.11") is None
