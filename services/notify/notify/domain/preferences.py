"""What an account may choose about its mail: plain rules, no I/O.

Every account chooses the language of its mails (`zh` or `en`); a reviewer may also ask to be
mailed of each new review task. Nothing is chosen until the account says so: Chinese, and no
task mail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from notify.domain.contacts import DEFAULT_LANGUAGE
from notify.domain.declaration_fields import LANGUAGES
from platform_shared.errors import RuleBroken

REVIEWER = "reviewer"


@dataclass(frozen=True)
class Preferences:
    language: str = DEFAULT_LANGUAGE
    new_review_tasks: bool = False


@dataclass(frozen=True)
class AccountPreferences:
    """What one account chose, and when it last did."""

    account_id: str
    chosen: Preferences
    updated_at: dt.datetime


class PreferenceRefused(RuleBroken):
    """A choice the account may not make; `field` names the input it is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__({field: [message]}, message, slug="preference-refused")
        self.field = field


def chosen(role: str, language: str, new_review_tasks: bool) -> Preferences:
    """The preferences an account of `role` asks for, or `PreferenceRefused`."""
    if language not in LANGUAGES:
        raise PreferenceRefused("language", f"Choose one of: {', '.join(LANGUAGES)}.")
    if new_review_tasks and role != REVIEWER:
        raise PreferenceRefused("new_review_tasks", "Only reviewers are mailed of new review tasks.")
    return Preferences(language=language, new_review_tasks=new_review_tasks)
