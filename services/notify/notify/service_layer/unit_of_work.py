"""notify's unit of work: its repositories, its outbox and its inbox in one transaction."""

from __future__ import annotations

from notify.service_layer.repositories import Contacts, Deliveries, PreferenceBook
from platform_shared.unit_of_work import UnitOfWork


class NotifyUnitOfWork(UnitOfWork):
    """The deliveries, the local view of contacts and accounts, and the accounts' preferences."""

    deliveries: Deliveries
    contacts: Contacts
    preferences: PreferenceBook


def notify_unit_of_work(uow: UnitOfWork) -> NotifyUnitOfWork:
    """`uow` as notify's own (what the platform's consumer and runtime hand over is typed as the base)."""
    if not isinstance(uow, NotifyUnitOfWork):
        raise TypeError(f"notify's handlers need a NotifyUnitOfWork, not a {type(uow).__name__}")
    return uow
