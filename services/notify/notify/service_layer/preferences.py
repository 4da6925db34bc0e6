"""An account's mail preferences: read and replaced by the account itself (its token's `sub`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from notify.domain.commands import ChoosePreferences
from notify.domain.preferences import AccountPreferences, Preferences, chosen
from notify.service_layer.unit_of_work import NotifyUnitOfWork
from platform_shared.moments import utcnow


@dataclass(frozen=True)
class MailSettings:
    """An account's preferences as it reads them, with the address notify mails it at."""

    language: str
    new_review_tasks: bool
    # As identity's events named it; None until notify has seen one.
    email: str | None
    # None until the account chose.
    updated_at: dt.datetime | None


def preferences_of(account_id: str, uow: NotifyUnitOfWork) -> MailSettings:
    """The account's preferences (the defaults until it chose), and the address notify mails it
    at as identity's events named it (None until notify has seen one)."""
    with uow:
        stored = uow.preferences.get(account_id)
        known = uow.contacts.account(account_id)
    current = stored.chosen if stored else Preferences()
    return MailSettings(language=current.language, new_review_tasks=current.new_review_tasks,
                        email=known.email if known else None, updated_at=stored.updated_at if stored else None)


def handle_choose_preferences(command: ChoosePreferences, uow: NotifyUnitOfWork) -> MailSettings:
    """Replace the account's preferences; `PreferenceRefused` for a choice its role may not make."""
    wanted = chosen(command.principal.role, command.language, command.new_review_tasks)
    account_id = command.principal.account_id
    with uow:
        uow.preferences.put(AccountPreferences(account_id, wanted, utcnow()))
    return preferences_of(account_id, uow)
