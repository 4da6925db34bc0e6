"""Building reporting's read models from events: archive first, then apply if newer.

Each change to an organisation's or a product's row also moves its province's counters by the
difference between what the row contributed before and after (domain rules), in the same
transaction: the figures are always those of the rows, without ever scanning them.
"""

from __future__ import annotations

import json

from platform_shared.events.envelope import Envelope
from platform_shared.moments import naive_utc
from platform_shared.unit_of_work import UnitOfWork
from reporting.adapters.orm import ArchivedEvent, OrganisationView, ProductView
from reporting.domain.organisations import is_newer, organisation_contributions, status_after
from reporting.domain.products import ProductFacts, apply_event, contributions, difference
from reporting.service_layer.counters import apply_changes


def archive(event: Envelope) -> None:
    ArchivedEvent.insert(event_id=event.id, type=event.type, aggregate_id=event.aggregate_id,
                         aggregate_version=event.aggregate_version,
                         occurred_at=naive_utc(event.occurred_at),
                         body=event.to_json()).on_conflict_ignore().execute()


def _organisation_share(row: OrganisationView | None) -> dict:
    if row is None:
        return {}
    return organisation_contributions(row.province_code, row.status, row.kind, row.city_code)


def apply_organisation_event(event: Envelope) -> None:
    """Bring the organisation's row up to `event`, unless the row is already newer.

    The registration alone tells the city and the registration time: when it arrives after a
    newer event (out of order), it still fills those in, and changes nothing else.
    """
    data = event.data
    row = OrganisationView.get_or_none(OrganisationView.organisation_id == data["organisation_id"])
    registered = event.type == "identity.organisation.registered"
    newer = row is None or is_newer(row.aggregate_version, event.aggregate_version)
    if not newer and not (registered and not row.registration_seen):
        return
    before = _organisation_share(row)
    created = row is None
    if created:
        row = OrganisationView(organisation_id=data["organisation_id"], name=data.get("name", ""),
                               uscc=data.get("uscc", ""), kind=data.get("kind", ""),
                               province_code=data["province_code"], city_code=None,
                               registered_at=naive_utc(event.occurred_at), registration_seen=False)
    if registered:
        row.name, row.uscc, row.kind = data["name"], data["uscc"], data["kind"]
        row.province_code, row.city_code = data["province_code"], data.get("city_code")
        row.registered_at = naive_utc(data["registered_at"])
        row.registration_seen = True
    elif data.get("name"):
        row.name = data["name"]
    if newer:
        row.status = status_after(event.type) or row.status
        row.aggregate_version = event.aggregate_version
    row.save(force_insert=created)
    apply_changes(difference(before, _organisation_share(row)))


def facts_of(row: ProductView | None) -> ProductFacts | None:
    if row is None:
        return None
    return ProductFacts(product_id=row.product_id, province_code=row.province_code, status=row.status,
                        industry_code=row.industry_code, organisation_kind=row.organisation_kind,
                        city_code=row.city_code, filed_month=row.filed_month, recognised=row.recognised,
                        patents=json.loads(row.patents),
                        revenue_fen={int(y): v for y, v in json.loads(row.revenue_fen).items()})


def apply_product_event(event: Envelope) -> None:
    """Bring the product's row (and its province's counters) up to `event`, unless newer already."""
    data = event.data
    row = ProductView.get_or_none(ProductView.product_id == data["product_id"])
    if row is not None and not is_newer(row.aggregate_version, event.aggregate_version):
        return
    organisation = OrganisationView.get_or_none(OrganisationView.organisation_id == data["organisation_id"])
    before = facts_of(row)
    after = apply_event(before, event.type, data, naive_utc(event.occurred_at).strftime("%Y-%m"),
                        organisation.kind if organisation else None, organisation.city_code if organisation else None)
    created = row is None
    if created:
        row = ProductView(product_id=after.product_id, organisation_id=data["organisation_id"])
    row.organisation_name = data.get("organisation_name") or row.organisation_name or ""
    row.name, row.brand, row.model = data["name"], data["brand"], data["model"]
    row.province_code, row.industry_code, row.status = after.province_code, after.industry_code, after.status
    row.organisation_kind, row.city_code = after.organisation_kind, after.city_code
    row.filed_month, row.recognised = after.filed_month, after.recognised
    row.patents = json.dumps(after.patents)
    row.revenue_fen = json.dumps({str(y): v for y, v in after.revenue_fen.items()})
    if data.get("filing_number"):
        row.filing_number = data["filing_number"]
    if data.get("filed_at"):
        row.filed_at = naive_utc(data["filed_at"])
    row.aggregate_version = event.aggregate_version
    row.save(force_insert=created)
    apply_changes(difference(contributions(before), contributions(after)))


def on_organisation_event(event: Envelope, uow: UnitOfWork) -> None:
    archive(event)
    apply_organisation_event(event)


def on_product_event(event: Envelope, uow: UnitOfWork) -> None:
    archive(event)
    apply_product_event(event)
