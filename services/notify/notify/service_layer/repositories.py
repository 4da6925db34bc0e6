"""The repositories notify's handlers talk to, each a small protocol (peewee implements them in
`adapters/repository.py`, the unit tests in dictionaries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from notify.domain.contacts import AccountFact, ContactBook, ContactFact, ContactReplaced
from notify.domain.deliveries import Delivery
from notify.domain.preferences import AccountPreferences
from platform_shared.pages import Page, PageRequest


@dataclass(frozen=True)
class DeliveryFilter:
    """What the delivery log is narrowed to: a recipient (lower case), an event type, a state."""

    to: str | None = None
    event_type: str | None = None
    state: str | None = None


class Deliveries(Protocol):
    def add(self, delivery: Delivery) -> bool:
        """Keep a new delivery unless one of the same event, recipient and template exists
        (a redelivered event records nothing new); whether it was new."""
        ...

    def get(self, delivery_id: str) -> Delivery | None: ...

    def save(self, delivery: Delivery) -> None:
        """Write every changeable field of `delivery` as it is now."""
        ...

    def next_due(self, now: dt.datetime) -> Delivery | None:
        """The delivery due soonest (`pending` or `retrying` whose time has come, or `sending`
        whose lease ran out), locked for this transaction where the store can: another worker's
        claim passes it by."""
        ...

    def mark_sent(self, delivery: Delivery) -> bool:
        """Write `delivery`'s `sent` state, time and note if it is still `sending`; False when it is
        not (its lease ran out and another worker took it over)."""
        ...

    def record_failure(self, delivery: Delivery) -> None:
        """Write a failed attempt's outcome (state, error, next attempt) if it is still `sending`."""
        ...

    def log(self, query: DeliveryFilter, request: PageRequest) -> Page[Delivery]:
        """One page of the deliveries `query` names, newest first."""
        ...


class Contacts(ContactBook, Protocol):
    """notify's local view of organisations, their addresses and accounts, kept from identity's
    events; it answers the rules as their `ContactBook` (languages from the accounts' preferences)."""

    def remember_contact(self, fact: ContactFact) -> None:
        """Keep `fact`; one already known is kept once."""
        ...

    def remember_account(self, fact: AccountFact) -> None:
        """Keep `fact`; an account already known is kept as first learnt."""
        ...

    def replace_contact(self, change: ContactReplaced) -> None:
        """The organisation's contact address and names are `change`'s from now on."""
        ...

    def account(self, account_id: str) -> AccountFact | None: ...


class PreferenceBook(Protocol):
    def get(self, account_id: str) -> AccountPreferences | None: ...

    def put(self, preferences: AccountPreferences) -> None:
        """Replace the account's preferences (or keep its first)."""
        ...
