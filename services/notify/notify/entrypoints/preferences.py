"""Every signed-in account's mail preferences: its language and, reviewers only, new-task mail."""

from __future__ import annotations

from typing import Any

from notify.domain.commands import ChoosePreferences
from notify.entrypoints.preferences_schemas import PreferencesSchema, PreferencesUpdate
from notify.service_layer.preferences import MailSettings, handle_choose_preferences, preferences_of
from notify.service_layer.unit_of_work import NotifyUnitOfWork
from platform_shared.web.access import current_principal
from platform_shared.web.blueprint import ServiceBlueprint
from platform_shared.web.context import current_uow
from platform_shared.web.routes import endpoint

blp = ServiceBlueprint("preferences", __name__, description="Mail preferences")
SIGNED_IN = ()


@endpoint(blp, "/preferences", "GET", roles=SIGNED_IN, response=(200, PreferencesSchema), problems=(401,))
def preferences() -> MailSettings:
    """The signed-in account's mail preferences (Chinese, no task mail, until it chose)."""
    return preferences_of(current_principal().account_id, current_uow(NotifyUnitOfWork))


# The role check comes before the body is read: an anonymous caller learns nothing of its rules.
@endpoint(blp, "/preferences", "PUT", roles=SIGNED_IN, body=PreferencesUpdate, response=(200, PreferencesSchema),
          problems=(401,))
def replace_preferences(body: dict[str, Any]) -> MailSettings:
    """Choose the language of one's mails (`zh` or `en`) and, reviewers only, whether to be mailed
    of each new review task (`new_review_tasks`; 422 for any other role asking for it)."""
    command = ChoosePreferences(current_principal(), body["language"], body["new_review_tasks"])
    return handle_choose_preferences(command, current_uow(NotifyUnitOfWork))
