"""Failed sign-ins per e-mail address, kept in identity's database so that every worker and
replica sees the same count and a lock survives a restart (the rule: domain.sign_in_guard)."""

from __future__ import annotations

import datetime as dt

import peewee

from identity.adapters.orm import BaseModel
from identity.domain.sign_in_guard import FailedSignIns, LockoutPolicy, after_failure
from platform_shared.database import is_postgres


class SignInGuard(BaseModel):
    """One row per e-mail address with recent wrong passwords (registered or not)."""

    email = peewee.CharField(primary_key=True, max_length=254)
    failures = peewee.IntegerField(default=0)
    first_failure_at = peewee.DateTimeField(null=True)
    locked_until = peewee.DateTimeField(null=True)
    # After this the row means nothing any more (window passed, lock over): it may be pruned.
    expires_at = peewee.DateTimeField(index=True, null=True)

    class Meta:
        table_name = "sign_in_guard"


def _state(row: SignInGuard) -> FailedSignIns:
    return FailedSignIns(count=row.failures, first_at=row.first_failure_at, locked_until=row.locked_until)


def failed_sign_ins(email: str) -> FailedSignIns | None:
    """The recorded failures of `email` (None when there are none)."""
    row = SignInGuard.get_or_none(SignInGuard.email == email)
    return None if row is None else _state(row)


def record_failure(email: str, policy: LockoutPolicy, now: dt.datetime) -> FailedSignIns:
    """Count one wrong password for `email`; call inside a transaction.

    The row is written before it is read (insert-or-ignore, then a row lock on PostgreSQL;
    SQLite's write lock is taken by the insert), so concurrent failures all count.
    """
    SignInGuard.insert(email=email, failures=0).on_conflict_ignore().execute()
    query = SignInGuard.select().where(SignInGuard.email == email)
    if is_postgres(SignInGuard._meta.database):
        query = query.for_update()
    state = after_failure(_state(query.get()), policy, now)
    expires_at = state.locked_until or (state.first_at + policy.window if state.first_at else now)
    SignInGuard.update(failures=state.count, first_failure_at=state.first_at, locked_until=state.locked_until,
                       expires_at=expires_at).where(SignInGuard.email == email).execute()
    SignInGuard.delete().where(SignInGuard.expires_at < now).execute()
    return state


def clear_failures(email: str) -> None:
    """Forget the failures of `email` (it signed in successfully)."""
    SignInGuard.delete().where(SignInGuard.email == email).execute()
