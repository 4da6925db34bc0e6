"""What an account may choose about its mail: plain rules, no I/O.

Every account chooses the language of its mails (`zh` or `en`); a reviewer may also ask to be
mailed of each new review task. Nothing is chosen until the account says so: Chinese, and no
task mail.
"""

from __future__ import annotations

from dataclasses import dataclass

from notify.domain.declaration_fields import LANGUAGES
from notify.domain.messages import DEFAULT_LANGUAGE

REVIEWER = "reviewer"


@dataclass(frozen=True)
class Preferences:
    language: str = DEFAULT_LANGUAGE
    new_review_tasks: bool = False


class PreferenceRefused(ValueError):
    """A choice the account may not make; `field` names the input it is about."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def chosen(role: str, language: str, new_review_tasks: bool) -> Preferences:
    """The preferences an account of `role` asks for, or `PreferenceRefused`."""
    if language not in LANGUAGES:
        raise PreferenceRefused("language", f"Choose one of: {', '.join(LANGUAGES)}.")
    if new_review_tasks and role != REVIEWER:
        raise PreferenceRefused("new_review_tasks", "Only reviewers are mailed of new review tasks.")
    return Preferences(language=language, new_review_tasks=new_review_tasks)
