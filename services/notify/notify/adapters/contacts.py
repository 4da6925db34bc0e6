"""notify's local view of contacts in its database: kept from identity's events, read by the rules.

notify never asks identity who to mail: `remember` writes what each identity event tells (in
the consumer's transaction), `PeeweeContactBook` answers the rules from those rows.
"""

from __future__ import annotations

from notify.adapters.orm import OrganisationContact, OrganisationView
from notify.domain.messages import ContactFact, KnownOrganisation


def remember(facts: list[ContactFact]) -> None:
    """Write the facts; a fact already known is kept once (a redelivered event changes nothing)."""
    for fact in facts:
        if fact.source != "member" and fact.organisation_name is not None:
            OrganisationView.insert(
                organisation_id=fact.organisation_id, name=fact.organisation_name,
                contact_name=fact.contact_name or "",
            ).on_conflict_ignore().execute()
        OrganisationContact.insert(organisation_id=fact.organisation_id, email=fact.email,
                                   source=fact.source).on_conflict_ignore().execute()


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
