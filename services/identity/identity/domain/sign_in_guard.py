"""The lock-out rule of signing in: too many wrong passwords for one e-mail address lock it.

Counted per e-mail address as typed (normalised), whether or not an account has it: a lock
then says nothing about which addresses are registered, and guessing at an unknown address
is slowed down exactly like guessing at a real one. A lock ends by itself; a successful
sign-in clears the count. Plain Python: the state is a value, the rule a pure function.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class LockoutPolicy:
    """`max_failures` wrong passwords within `window` lock the address for `lock_for`."""

    max_failures: int = 5
    window: dt.timedelta = dt.timedelta(minutes=15)
    lock_for: dt.timedelta = dt.timedelta(minutes=15)

    def __post_init__(self) -> None:
        if self.max_failures < 1:
            raise ValueError("max_failures must be at least 1")
        if self.window <= dt.timedelta(0) or self.lock_for <= dt.timedelta(0):
            raise ValueError("window and lock_for must be positive")


@dataclass(frozen=True)
class FailedSignIns:
    """Wrong passwords counted since `first_at`; `locked_until` once they reached the limit."""

    count: int = 0
    first_at: dt.datetime | None = None
    locked_until: dt.datetime | None = None


NONE_YET = FailedSignIns()


def remaining_lock(state: FailedSignIns | None, now: dt.datetime) -> dt.timedelta | None:
    """How long the address stays locked, or None when it may sign in now."""
    if state is None or state.locked_until is None or state.locked_until <= now:
        return None
    return state.locked_until - now


def after_failure(state: FailedSignIns | None, policy: LockoutPolicy, now: dt.datetime) -> FailedSignIns:
    """The state after one more wrong password at `now`.

    Failures older than the window no longer count (a new window starts with this one); the
    failure that reaches `max_failures` locks the address and starts the count afresh, so the
    holder has the full number of tries again once the lock ends. A failure during a lock is
    not counted (a locked address is refused before its password is checked).
    """
    state = state or NONE_YET
    if remaining_lock(state, now) is not None:
        return state
    in_window = state.first_at is not None and now - state.first_at < policy.window
    count = state.count + 1 if in_window else 1
    first_at = state.first_at if in_window else now
    if count >= policy.max_failures:
        return FailedSignIns(count=0, first_at=None, locked_until=now + policy.lock_for)
    return FailedSignIns(count=count, first_at=first_at, locked_until=None)
