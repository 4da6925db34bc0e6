"""Is this filing number genuine, and is it still valid? What anyone may learn about a filing,
and nothing more: product name, model, organisation name, status, filing date, whether it is
valid (filed or recognised, and not suspended) and, for a suspended, cancelled or revoked one,
since when it is not — never economic data, patents or anything the organisation declared in confidence."""

from __future__ import annotations

from typing import Any

from filing.domain.filing_numbers import normalise_filing_number
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.errors import NotFound

# A draft or a product under review has no number; every number given stays answerable.
PUBLIC_STATUS = {"filed": "filed", "recognised": "recognised", "cancelled": "cancelled", "revoked": "revoked"}
VALID = frozenset({"filed", "recognised"})


def verify_filing(filing_number: str, uow: FilingUnitOfWork) -> dict[str, Any]:
    number = normalise_filing_number(filing_number)
    product = uow.products.by_filing_number(number) if number else None
    if product is None or product.status not in PUBLIC_STATUS or product.filed_at is None:
        raise NotFound("No filing has this number: it is not genuine, or mistyped.", slug="filing-not-found")
    organisation = uow.organisations.get(product.organisation_id)
    # A suspended filing (no patent holding past the grace period) is on record but not valid.
    suspended = product.status in VALID and product.suspended_at is not None
    valid = product.status in VALID and not suspended
    since = product.suspended_at if suspended else product.closed_at
    return {"filing_number": product.filing_number, "product_name": product.name, "model": product.model,
            "brand": product.brand, "organisation_name": organisation.name if organisation else "",
            "status": "suspended" if suspended else PUBLIC_STATUS[product.status],
            "filed_on": product.filed_at.date(), "valid": valid,
            # The edition of its declared state (one more per approved amendment) and since when.
            "edition": product.edition, "amended_on": product.amended_at.date() if product.amended_at else None,
            # Since when a suspended, cancelled or revoked filing is no longer valid (None while it is).
            "status_since": None if valid or since is None else since.date(),
            # A dispute on the organisation's USCC suspended the registration that filed it.
            "organisation_suspended": organisation is not None and organisation.status == "suspended"}
