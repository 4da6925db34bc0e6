"""The inbox: which events a service has already handled, recorded with their effects.

`handle_once()` runs a handler and records the event id in the same transaction (a savepoint
inside the consumer's batch transaction). If the id is already there, the handler is not run:
a redelivered or duplicated event has no second effect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, cast

import peewee

from platform_shared.events.envelope import Envelope


class InboxRow(peewee.Model):
    event_id = peewee.CharField(max_length=36)
    subscription = peewee.CharField(max_length=128)
    type = peewee.CharField(max_length=128)
    handled_at = peewee.DateTimeField()

    class Meta:
        table_name = "inbox"
        primary_key = peewee.CompositeKey("subscription", "event_id")


def bind_inbox(database: peewee.Database | peewee.DatabaseProxy) -> type[InboxRow]:
    """The inbox model bound to one service's database."""

    class Inbox(InboxRow):
        class Meta:
            table_name = "inbox"
            primary_key = peewee.CompositeKey("subscription", "event_id")

    Inbox._meta.set_database(database)
    return Inbox


def handle_once(inbox: type[InboxRow], subscription: str, event: Envelope,
                handler: Callable[[Envelope], None]) -> bool:
    """Run `handler` unless this subscription handled `event` before; True if it ran.

    Must run inside a transaction: the handler's effects and the inbox row commit together.
    """
    database = inbox._meta.database
    with database.atomic():
        already = (inbox.select(inbox.event_id)
                   .where((inbox.subscription == subscription) & (inbox.event_id == event.id))
                   .exists())
        if already:
            return False
        handler(event)
        inbox.insert(event_id=event.id, subscription=subscription, type=event.type,
                     handled_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)).execute()
        return True


def handle_batch_once(inbox: type[InboxRow], subscription: str, events: list[Envelope],
                      handler: Callable[[Envelope], None]) -> int:
    """Handle, in the caller's transaction, every event of `events` not handled before, with one
    inbox lookup and one inbox insert for the whole batch; returns how many handlers ran.

    Raises whatever a handler raises, and `peewee.IntegrityError` when a competing consumer
    recorded one of the events first: the caller then rolls back and handles the batch event
    by event (`handle_once`), which isolates the failing event and skips the recorded ones.
    """
    recorded = inbox.select(inbox.event_id).where(
        (inbox.subscription == subscription) & inbox.event_id.in_([e.id for e in events])).tuples()
    seen: set[str] = {str(row[0]) for row in cast(Iterable[tuple[Any, ...]], recorded)}
    fresh = []
    for event in events:
        if event.id not in seen:
            seen.add(event.id)
            fresh.append(event)
    for event in fresh:
        handler(event)
    if fresh:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        inbox.insert_many([{"event_id": e.id, "subscription": subscription, "type": e.type, "handled_at": now}
                           for e in fresh]).execute()
    return len(fresh)
