"""Deactivated accounts as every service knows them, so that its token check refuses their
access tokens before they expire.

identity publishes `identity.account.deactivated` and `identity.account.reactivated`; every
service subscribes (`subscription()`) and keeps the latest of each per account in its own
`revoked_account` table (`ServiceTables.RevokedAccount`, a migration per service). The token
check (`web.access.authenticate`) then asks `RevocationCheck.refuses`:

- while the account is deactivated, every token of it is refused;
- after its reactivation, tokens issued up to its deactivation stay refused (they were issued
  before it; only a new sign-in counts).

The bound: a token is refused as soon as the service's consumer has recorded the event (no
cache: one primary-key lookup per authenticated request), i.e. within the event's lag, which
is a fraction of a second when the bus and the consumer are up. Whatever happens to the bus,
an access token never outlives its lifetime (15 minutes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import peewee

from platform_shared.events.envelope import Envelope
from platform_shared.moments import naive_utc

if TYPE_CHECKING:
    from platform_shared.runtime import Consumes, ServiceRuntime

DEACTIVATED = "identity.account.deactivated"
REACTIVATED = "identity.account.reactivated"
ACCOUNT_STATUS_EVENTS = (DEACTIVATED, REACTIVATED)


@dataclass(frozen=True)
class Revocation:
    """When an account was last deactivated and (if since) reactivated: naive UTC."""

    deactivated_at: dt.datetime
    reactivated_at: dt.datetime | None = None

    @property
    def deactivated(self) -> bool:
        return self.reactivated_at is None or self.reactivated_at < self.deactivated_at

    def refuses(self, issued_at: dt.datetime | None) -> bool:
        """Whether a token of the account issued at `issued_at` is refused: every one while the
        account is deactivated (identity signs no deactivated account in, but a service does not
        rely on it), and after a reactivation those issued up to the deactivation."""
        if self.deactivated or issued_at is None:
            return True
        if issued_at.microsecond:  # identity's `iat` has milliseconds
            return issued_at <= self.deactivated_at
        # A whole-second `iat`: a token of the deactivation's own second counts as issued before it.
        return issued_at <= self.deactivated_at.replace(microsecond=0)


class RevokedAccountRow(peewee.Model):
    """One account that was deactivated at least once, as this service learnt of it."""

    account_id = peewee.CharField(max_length=36, primary_key=True)
    deactivated_at = peewee.DateTimeField()
    reactivated_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "revoked_account"


def bind_revocations(database: peewee.Database | peewee.DatabaseProxy) -> type[RevokedAccountRow]:
    """The table bound to one service's database."""

    class RevokedAccount(RevokedAccountRow):
        class Meta:
            table_name = "revoked_account"

    RevokedAccount._meta.set_database(database)
    return RevokedAccount


def revocation_of(table: type[RevokedAccountRow], account_id: str) -> Revocation | None:
    row = table.get_or_none(table.account_id == account_id)
    if row is None:
        return None
    return Revocation(deactivated_at=row.deactivated_at, reactivated_at=row.reactivated_at)


def record(table: type[RevokedAccountRow], event: Envelope) -> None:
    """Apply one deactivation or reactivation (inside the consumer's transaction).

    Only a later moment replaces an earlier one: a late or redelivered event changes nothing.
    """
    account_id = str(event.data["account_id"])
    known = revocation_of(table, account_id)
    if event.type == DEACTIVATED:
        moment = naive_utc(event.data["deactivated_at"])
        if known is None:
            table.insert(account_id=account_id, deactivated_at=moment, reactivated_at=None).execute()
        elif moment > known.deactivated_at:
            table.update(deactivated_at=moment).where(table.account_id == account_id).execute()
    elif event.type == REACTIVATED:
        moment = naive_utc(event.data["reactivated_at"])
        if known is not None and (known.reactivated_at is None or moment > known.reactivated_at):
            table.update(reactivated_at=moment).where(table.account_id == account_id).execute()


def subscription() -> Consumes:
    """The `accounts` subscription every service lists among its own (`Consumes`)."""
    from platform_shared.runtime import Consumes

    def build(runtime: ServiceRuntime) -> Callable[[Envelope], None]:
        table = runtime.definition.tables.RevokedAccount
        return lambda event: record(table, event)

    return Consumes("accounts", list(ACCOUNT_STATUS_EVENTS), build)


class RevocationCheck:
    """What the token check asks: whether a principal's token is refused (its account deactivated)."""

    def __init__(self, table: type[RevokedAccountRow]):
        self._table = table

    def refuses(self, account_id: str, issued_at: dt.datetime | None) -> bool:
        revocation = revocation_of(self._table, account_id)
        return revocation is not None and revocation.refuses(issued_at)
