"""An account's mail preferences: read and replaced by the account itself (its token's `sub`)."""

from __future__ import annotations

import datetime as dt

from notify.adapters.contacts import account
from notify.adapters.orm import Preference
from notify.domain.preferences import Preferences, chosen
from platform_shared.unit_of_work import UnitOfWork


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def preferences_of(account_id: str) -> dict:
    """The account's preferences (the defaults until it chose), and the address notify mails it
    at as identity's events named it (None until notify has seen one)."""
    row = Preference.get_or_none(Preference.account_id == account_id)
    current = Preferences(row.language, row.new_review_tasks) if row else Preferences()
    known = account(account_id)
    return {"language": current.language, "new_review_tasks": current.new_review_tasks,
            "email": known.email if known else None, "updated_at": row.updated_at if row else None}


def set_preferences(account_id: str, role: str, language: str, new_review_tasks: bool, uow: UnitOfWork) -> dict:
    """Replace the account's preferences; `PreferenceRefused` for a choice its role may not make."""
    wanted = chosen(role, language, new_review_tasks)
    with uow:
        (Preference.insert(account_id=account_id, language=wanted.language,
                           new_review_tasks=wanted.new_review_tasks, updated_at=_now())
         .on_conflict(conflict_target=[Preference.account_id],
                      update={Preference.language: wanted.language,
                              Preference.new_review_tasks: wanted.new_review_tasks,
                              Preference.updated_at: _now()})
         .execute())
    return preferences_of(account_id)
