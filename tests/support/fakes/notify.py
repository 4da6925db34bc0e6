"""notify's fakes for handler tests: its unit of work with repositories in dictionaries, a mail
server that records what it accepted (or fails as scripted), and templates that say which
template and language made a mail.

The repositories behave as the peewee ones where a handler could tell: a delivery of the same
event, recipient and template is kept once; `mark_sent` and `record_failure` write only while
the delivery is `sending`; the contact book answers languages from the accounts' preferences.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from notify.domain.contacts import DEFAULT_LANGUAGE, AccountFact, ContactFact, ContactReplaced, KnownOrganisation
from notify.domain.deliveries import CLAIMABLE_STATES, SENDING, Delivery, OutgoingMail
from notify.domain.messages import RenderedMail
from notify.domain.preferences import AccountPreferences
from notify.service_layer.dependencies import Send
from notify.service_layer.repositories import DeliveryFilter
from notify.service_layer.unit_of_work import NotifyUnitOfWork
from platform_shared.pages import Page, PageRequest, page_in_memory
from tests.support.fakes import FakeRepository, FakeUnitOfWork


class FakeDeliveries(FakeRepository[Delivery]):
    def add(self, delivery: Delivery) -> bool:
        key = (delivery.event_id, delivery.recipient, delivery.template)
        if any((d.event_id, d.recipient, d.template) == key for d in self.items.values()):
            return False
        self.items[delivery.id] = delivery
        return True

    def get(self, delivery_id: str) -> Delivery | None:
        return self.items.get(delivery_id)

    def save(self, delivery: Delivery) -> None:
        if delivery.id in self.items:
            self.items[delivery.id] = delivery

    def next_due(self, now: dt.datetime) -> Delivery | None:
        due = [d for d in self.items.values() if d.state in CLAIMABLE_STATES and d.next_attempt_at <= now]
        return min(due, key=lambda d: d.next_attempt_at, default=None)

    def mark_sent(self, delivery: Delivery) -> bool:
        return self._while_sending(delivery, "state", "sent_at", "last_error", "sealed")

    def record_failure(self, delivery: Delivery) -> None:
        self._while_sending(delivery, "state", "last_error", "next_attempt_at")

    def log(self, query: DeliveryFilter, request: PageRequest) -> Page[Delivery]:
        wanted = [d for d in sorted(self.items.values(), key=lambda d: d.id)
                  if query.to in (None, d.recipient) and query.event_type in (None, d.event_type)
                  and query.state in (None, d.state)]
        wanted.sort(key=lambda d: d.created_at, reverse=True)  # stable: ties stay in id order
        return page_in_memory(wanted, request)

    def _while_sending(self, delivery: Delivery, *fields: str) -> bool:
        stored = self.items.get(delivery.id)
        if stored is None or stored.state != SENDING:
            return False
        self.items[delivery.id] = dataclasses.replace(stored, **{f: getattr(delivery, f) for f in fields})
        return True


class FakePreferences(FakeRepository[AccountPreferences]):
    def get(self, account_id: str) -> AccountPreferences | None:
        return self.items.get(account_id)

    def put(self, preferences: AccountPreferences) -> None:
        self.items[preferences.account_id] = preferences


class FakeContacts(FakeRepository[AccountFact]):
    """Accounts by id in `items`; organisations' names and addresses beside them."""

    def __init__(self, preferences: Callable[[], FakePreferences]) -> None:
        super().__init__()
        self.preferences = preferences  # a function: snapshots copy it as it is
        self.organisations: dict[str, tuple[str, str]] = {}
        self.addresses: list[tuple[str, str, str]] = []

    def remember_contact(self, fact: ContactFact) -> None:
        if fact.names_organisation and fact.organisation_id not in self.organisations:
            self.organisations[fact.organisation_id] = (fact.organisation_name or "", fact.contact_name or "")
        if (fact.organisation_id, fact.email, fact.source) not in self.addresses:
            self.addresses.append((fact.organisation_id, fact.email, fact.source))

    def remember_account(self, fact: AccountFact) -> None:
        self.items.setdefault(fact.account_id, fact)

    def replace_contact(self, change: ContactReplaced) -> None:
        self.addresses = [a for a in self.addresses if not (a[0] == change.organisation_id and a[2] == "contact")]
        self.addresses.append((change.organisation_id, change.email, "contact"))
        if change.organisation_id in self.organisations:
            self.organisations[change.organisation_id] = (change.organisation_name, change.contact_name)

    def account(self, account_id: str) -> AccountFact | None:
        return self.items.get(account_id)

    def organisation(self, organisation_id: str) -> KnownOrganisation | None:
        if organisation_id not in self.organisations:
            return None
        name, contact_name = self.organisations[organisation_id]
        sources = [(email, source) for owner, email, source in self.addresses if owner == organisation_id]
        return KnownOrganisation(organisation_id, name, contact_name,
                                 tuple(e for e, s in sources if s == "contact"),
                                 tuple(e for e, s in sources if s != "contact"))

    def language_of(self, email: str) -> str:
        chosen = [p for a in self.items.values() if a.email == email.lower()
                  if (p := self.preferences().get(a.account_id)) is not None]
        return max(chosen, key=lambda p: p.updated_at).chosen.language if chosen else DEFAULT_LANGUAGE

    def reviewers_for_new_tasks(self) -> list[str]:
        return sorted(a.email for a in self.items.values() if a.role == "reviewer"
                      and (p := self.preferences().get(a.account_id)) is not None and p.chosen.new_review_tasks)

    def province_admins(self, province_code: str) -> list[str]:
        return sorted(a.email for a in self.items.values()
                      if a.role == "province_admin" and a.province_code == province_code)


class FakeNotifyUnitOfWork(FakeUnitOfWork, NotifyUnitOfWork):
    def __init__(self, **context: Any) -> None:
        super().__init__(producer="notify", **context)
        self.deliveries = FakeDeliveries()
        self.preferences = FakePreferences()
        self.contacts = FakeContacts(lambda: self.preferences)

    def for_correlation(self, correlation_id: str | None) -> FakeNotifyUnitOfWork:
        """This unit of work for the next transaction, its events correlated to `correlation_id`
        (a delivery round opens several transactions on one store)."""
        self.correlation_id = correlation_id
        return self


class FakeMailer:
    """A mail server: keeps every mail it accepted; `failures` answer the first mails, one each
    (an exception is raised, None accepts)."""

    def __init__(self, *failures: BaseException | None) -> None:
        self.accepted: list[OutgoingMail] = []
        self.failures = list(failures)
        self.sessions = 0

    @contextlib.contextmanager
    def session(self) -> Iterator[Send]:
        self.sessions += 1
        yield self.send

    def send(self, mail: OutgoingMail) -> None:
        failure = self.failures.pop(0) if self.failures else None
        if failure is not None:
            raise failure
        self.accepted.append(mail)


class FakeTemplates:
    """Renders `template language` as the subject and the values' keys as the text; `broken`
    templates fail as a missing value does in Jinja's StrictUndefined."""

    def __init__(self, *broken: str) -> None:
        self.broken = set(broken)

    def render(self, template: str, language: str, values: Mapping[str, Any]) -> RenderedMail:
        if template in self.broken:
            raise KeyError(f"{template}: a value is missing")
        return RenderedMail(subject=f"{template} {language}", text=" ".join(sorted(values)), html="<p></p>")
