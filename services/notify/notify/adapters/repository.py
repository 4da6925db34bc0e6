"""notify's repositories on peewee, and its unit of work that owns them: rows in, domain objects
out; the claim's lock, the `sending` guards and the insert-or-ignore keys live here."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from notify.adapters import orm
from notify.domain.contacts import DEFAULT_LANGUAGE, AccountFact, ContactFact, ContactReplaced, KnownOrganisation
from notify.domain.deliveries import CLAIMABLE_STATES, SENDING, Delivery
from notify.domain.preferences import AccountPreferences, Preferences
from notify.service_layer.repositories import DeliveryFilter
from notify.service_layer.unit_of_work import NotifyUnitOfWork
from platform_shared.database import is_postgres
from platform_shared.pages import Page, PageRequest
from platform_shared.peewee_queries import select_page
from platform_shared.peewee_unit_of_work import PeeweeUnitOfWork
from platform_shared.tables import ServiceTables

DELIVERY_FIELDS = tuple(field.name for field in dataclasses.fields(Delivery))


def _delivery(row: orm.Delivery) -> Delivery:
    return Delivery(**{name: getattr(row, name) for name in DELIVERY_FIELDS})


class PeeweeDeliveries:
    def add(self, delivery: Delivery) -> bool:
        inserted = orm.Delivery.insert(**dataclasses.asdict(delivery)).on_conflict_ignore().execute()
        return bool(inserted)

    def get(self, delivery_id: str) -> Delivery | None:
        row = orm.Delivery.get_or_none(orm.Delivery.id == delivery_id)
        return _delivery(row) if row is not None else None

    def save(self, delivery: Delivery) -> None:
        changes: dict[Any, Any] = {getattr(orm.Delivery, name): value
                                   for name, value in dataclasses.asdict(delivery).items() if name != "id"}
        orm.Delivery.update(changes).where(orm.Delivery.id == delivery.id).execute()

    def next_due(self, now: dt.datetime) -> Delivery | None:
        due = (orm.Delivery.select()
               .where(orm.Delivery.state.in_(CLAIMABLE_STATES) & (orm.Delivery.next_attempt_at <= now))
               .order_by(orm.Delivery.next_attempt_at).limit(1))
        if is_postgres(orm.database):
            # Another worker's claim (or its open `sent` transaction) holds the row: pass it by.
            due = due.for_update(skip_locked=True)
        row = due.first()
        return _delivery(row) if row is not None else None

    def mark_sent(self, delivery: Delivery) -> bool:
        marked = (orm.Delivery.update(state=delivery.state, sent_at=delivery.sent_at, last_error=delivery.last_error,
                                      sealed=delivery.sealed)
                  .where((orm.Delivery.id == delivery.id) & (orm.Delivery.state == SENDING)).execute())
        return bool(marked == 1)

    def record_failure(self, delivery: Delivery) -> None:
        (orm.Delivery.update(state=delivery.state, last_error=delivery.last_error,
                             next_attempt_at=delivery.next_attempt_at)
         .where((orm.Delivery.id == delivery.id) & (orm.Delivery.state == SENDING)).execute())

    def log(self, query: DeliveryFilter, request: PageRequest) -> Page[Delivery]:
        selection = orm.Delivery.select()
        if query.to:
            selection = selection.where(orm.Delivery.recipient == query.to)
        if query.event_type:
            selection = selection.where(orm.Delivery.event_type == query.event_type)
        if query.state:
            selection = selection.where(orm.Delivery.state == query.state)
        return select_page(selection, request, orm.Delivery.created_at.desc(), orm.Delivery.id).map(_delivery)


class PeeweeContacts:
    def remember_contact(self, fact: ContactFact) -> None:
        if fact.names_organisation:
            orm.OrganisationView.insert(
                organisation_id=fact.organisation_id, name=fact.organisation_name,
                contact_name=fact.contact_name or "",
            ).on_conflict_ignore().execute()
        orm.OrganisationContact.insert(organisation_id=fact.organisation_id, email=fact.email,
                                       source=fact.source).on_conflict_ignore().execute()

    def replace_contact(self, change: ContactReplaced) -> None:
        Contact = orm.OrganisationContact
        Contact.delete().where((Contact.organisation_id == change.organisation_id)
                               & (Contact.source == "contact")).execute()
        Contact.insert(organisation_id=change.organisation_id, email=change.email,
                       source="contact").on_conflict_ignore().execute()
        (orm.OrganisationView.update(name=change.organisation_name, contact_name=change.contact_name)
         .where(orm.OrganisationView.organisation_id == change.organisation_id).execute())

    def remember_account(self, fact: AccountFact) -> None:
        orm.AccountView.insert(account_id=fact.account_id, email=fact.email, role=fact.role,
                               organisation_id=fact.organisation_id,
                               province_code=fact.province_code).on_conflict_ignore().execute()

    def account(self, account_id: str) -> AccountFact | None:
        row = orm.AccountView.get_or_none(orm.AccountView.account_id == account_id)
        if row is None:
            return None
        return AccountFact(row.account_id, row.email, row.role, organisation_id=row.organisation_id,
                           province_code=row.province_code)

    def organisation(self, organisation_id: str) -> KnownOrganisation | None:
        view = orm.OrganisationView.get_or_none(orm.OrganisationView.organisation_id == organisation_id)
        if view is None:
            return None
        rows = list(orm.OrganisationContact.select()
                    .where(orm.OrganisationContact.organisation_id == organisation_id)
                    .order_by(orm.OrganisationContact.id))
        return KnownOrganisation(
            organisation_id=organisation_id, name=view.name, contact_name=view.contact_name,
            contact_emails=tuple(r.email for r in rows if r.source == "contact"),
            account_emails=tuple(r.email for r in rows if r.source != "contact"))

    def language_of(self, email: str) -> str:
        chosen = (orm.Preference.select(orm.Preference.language)
                  .join(orm.AccountView, on=(orm.AccountView.account_id == orm.Preference.account_id))
                  .where(orm.AccountView.email == email.lower())
                  .order_by(orm.Preference.updated_at.desc()).first())
        return str(chosen.language) if chosen else DEFAULT_LANGUAGE

    def reviewers_for_new_tasks(self) -> list[str]:
        rows = (orm.AccountView.select(orm.AccountView.email)
                .join(orm.Preference, on=(orm.Preference.account_id == orm.AccountView.account_id))
                .where((orm.AccountView.role == "reviewer") & (orm.Preference.new_review_tasks == True))  # noqa: E712
                .order_by(orm.AccountView.email))
        return [r.email for r in rows]

    def province_admins(self, province_code: str) -> list[str]:
        rows = (orm.AccountView.select(orm.AccountView.email)
                .where((orm.AccountView.role == "province_admin") & (orm.AccountView.province_code == province_code))
                .order_by(orm.AccountView.email))
        return [r.email for r in rows]


class PeeweePreferences:
    def get(self, account_id: str) -> AccountPreferences | None:
        row = orm.Preference.get_or_none(orm.Preference.account_id == account_id)
        if row is None:
            return None
        return AccountPreferences(row.account_id, Preferences(row.language, row.new_review_tasks), row.updated_at)

    def put(self, preferences: AccountPreferences) -> None:
        chosen = preferences.chosen
        (orm.Preference.insert(account_id=preferences.account_id, language=chosen.language,
                               new_review_tasks=chosen.new_review_tasks, updated_at=preferences.updated_at)
         .on_conflict(conflict_target=[orm.Preference.account_id],
                      update={orm.Preference.language: chosen.language,
                              orm.Preference.new_review_tasks: chosen.new_review_tasks,
                              orm.Preference.updated_at: preferences.updated_at})
         .execute())


class PeeweeNotifyUnitOfWork(PeeweeUnitOfWork, NotifyUnitOfWork):
    """notify's unit of work on its database (`tables` is `orm.tables`)."""

    def __init__(self, tables: ServiceTables, **context: Any) -> None:
        super().__init__(tables, **context)
        self.deliveries = PeeweeDeliveries()
        self.contacts = PeeweeContacts()
        self.preferences = PeeweePreferences()
