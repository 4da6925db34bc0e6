"""An account's mail preferences (`preferences_of`, `handle_choose_preferences`): the defaults
until it chose, its choice kept and read back, refused for a choice its role may not make;
with notify's fake unit of work."""

from __future__ import annotations

import pytest

from notify.domain.commands import ChoosePreferences
from notify.domain.contacts import AccountFact
from notify.domain.preferences import PreferenceRefused
from notify.service_layer.preferences import MailSettings, handle_choose_preferences, preferences_of
from platform_shared.errors import RuleBroken
from platform_shared.moments import utcnow
from platform_shared.principal import Principal
from tests.support.fakes.notify import FakeNotifyUnitOfWork

pytestmark = pytest.mark.unit

MEMBER = Principal("acc-1", "enterprise", organisation_id="org-1")
REVIEWER = Principal("acc-2", "reviewer")


def known(*accounts: AccountFact) -> FakeNotifyUnitOfWork:
    uow = FakeNotifyUnitOfWork()
    for account in accounts:
        uow.contacts.remember_account(account)
    return uow


def test_an_account_reads_the_defaults_and_its_address_before_it_chose():
    uow = known(AccountFact("acc-1", "admin@example.cn", "enterprise", organisation_id="org-1"))

    assert preferences_of("acc-1", uow) == MailSettings("zh", False, "admin@example.cn", None)
    assert preferences_of("acc-unknown", uow) == MailSettings("zh", False, None, None)


def test_an_account_chooses_english_and_reads_its_choice_back():
    uow = known(AccountFact("acc-1", "admin@example.cn", "enterprise", organisation_id="org-1"))
    before = utcnow()

    answer = handle_choose_preferences(ChoosePreferences(MEMBER, "en"), uow)

    assert (answer.language, answer.new_review_tasks, answer.email) == ("en", False, "admin@example.cn")
    assert answer.updated_at is not None and answer.updated_at >= before
    assert preferences_of("acc-1", uow) == answer
    assert uow.contacts.language_of("Admin@Example.cn") == "en"  # its mails follow the choice


def test_a_reviewer_asks_for_new_task_mail_and_is_among_those_mailed():
    uow = known(AccountFact("acc-2", "rev@example.cn", "reviewer"))

    answer = handle_choose_preferences(ChoosePreferences(REVIEWER, "zh", new_review_tasks=True), uow)

    assert answer.new_review_tasks is True
    assert uow.contacts.reviewers_for_new_tasks() == ["rev@example.cn"]


def test_choosing_again_replaces_the_earlier_choice():
    uow = known(AccountFact("acc-2", "rev@example.cn", "reviewer"))
    handle_choose_preferences(ChoosePreferences(REVIEWER, "en", new_review_tasks=True), uow)

    answer = handle_choose_preferences(ChoosePreferences(REVIEWER, "zh"), uow)

    assert (answer.language, answer.new_review_tasks) == ("zh", False)
    assert len(uow.preferences) == 1 and uow.contacts.reviewers_for_new_tasks() == []


@pytest.mark.parametrize("role", ["enterprise", "province_admin", "operator"])
def test_any_other_role_asking_for_new_task_mail_is_refused_by_name_and_nothing_is_written(role):
    uow = known()

    with pytest.raises(PreferenceRefused) as refused:
        handle_choose_preferences(ChoosePreferences(Principal("acc-9", role), "en", new_review_tasks=True), uow)

    assert isinstance(refused.value, RuleBroken) and refused.value.slug == "preference-refused"
    assert refused.value.errors == {"new_review_tasks": ["Only reviewers are mailed of new review tasks."]}
    assert refused.value.detail == "Only reviewers are mailed of new review tasks."
    assert len(uow.preferences) == 0 and uow.commits == 0


def test_an_unknown_language_is_refused_naming_the_field():
    uow = known()

    with pytest.raises(PreferenceRefused) as refused:
        handle_choose_preferences(ChoosePreferences(REVIEWER, "fr"), uow)

    assert refused.value.errors == {"language": ["Choose one of: zh, en."]}
    assert len(uow.preferences) == 0
