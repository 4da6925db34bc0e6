"""notify's local view of contacts and accounts in its database: kept from identity's events,
read by the rules.

notify never asks identity who to mail: `remember` writes what each identity event tells (in
the consumer's transaction), `PeeweeContactBook` answers the rules from those rows and from the
preferences accounts gave notify (`GET/PUT /preferences`).
"""

from __future__ import annotations

from notify.adapters.orm import AccountView, OrganisationContact, OrganisationView, Preference
from notify.domain.messages import DEFAULT_LANGUAGE, AccountFact, ContactFact, KnownOrganisation


def remember(facts: list[ContactFact], accounts: list[AccountFact] = ()) -> None:
    """Write the facts; a fact already known is kept once (a redelivered event changes nothing)."""
    for fact in facts:
        if fact.source != "member" and fact.organisation_name is not None:
            OrganisationView.insert(
                organisation_id=fact.organisation_id, name=fact.organisation_name,
                contact_name=fact.contact_name or "",
            ).on_conflict_ignore().execute()
        OrganisationContact.insert(organisation_id=fact.organisation_id, email=fact.email,
                                   source=fact.source).on_conflict_ignore().execute()
    for account in accounts:
        AccountView.insert(account_id=account.account_id, email=account.email, role=account.role,
                           organisation_id=account.organisation_id,
                           province_code=account.province_code).on_conflict_ignore().execute()


def account(account_id: str) -> AccountView | None:
    return AccountView.get_or_none(AccountView.account_id == account_id)


class PeeweeContactBook:
    def organisation(self, organisation_id: str) -> KnownOrganisation | None:
        view = OrganisationView.get_or_none(OrganisationView.organisation_id == organisation_id)
        if view is None:
            return None
        rows = list(OrganisationContact.select()
                    .where(OrganisationContact.organisation_id == organisation_id)
                    .order_by(OrganisationContact.id))
        return KnownOrganisation(
            organisation_id=organisation_id, name=view.name, contact_name=view.contact_name,
            contact_emails=tuple(r.email for r in rows if r.source == "contact"),
            account_emails=tuple(r.email for r in rows if r.source != "contact"))

    def language_of(self, email: str) -> str:
        chosen = (Preference.select(Preference.language)
                  .join(AccountView, on=(AccountView.account_id == Preference.account_id))
                  .where(AccountView.email == email.lower())
                  .order_by(Preference.updated_at.desc()).first())
        return chosen.language if chosen else DEFAULT_LANGUAGE

    def reviewers_for_new_tasks(self) -> list[str]:
        rows = (AccountView.select(AccountView.email)
                .join(Preference, on=(Preference.account_id == AccountView.account_id))
                .where((AccountView.role == "reviewer") & (Preference.new_review_tasks == True))  # noqa: E712
                .order_by(AccountView.email))
        return [r.email for r in rows]

    def province_admins(self, province_code: str) -> list[str]:
        rows = (AccountView.select(AccountView.email)
                .where((AccountView.role == "province_admin") & (AccountView.province_code == province_code))
                .order_by(AccountView.email))
        return [r.email for r in rows]
