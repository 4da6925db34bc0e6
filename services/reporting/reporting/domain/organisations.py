"""How identity's events move an organisation's row in reporting's view: plain rules.

Events may arrive twice or out of order (competing consumers, redelivery): a change applies
only if its `aggregate_version` is newer than what the view already holds. An organisation
adds to its province's counters by status, kind and city.
"""

from __future__ import annotations

from platform_shared.events.catalogue.identity import ORGANISATION_STATUS_AFTER


def is_newer(held_version: int | None, incoming_version: int) -> bool:
    return held_version is None or incoming_version > held_version


def status_after(event_type: str) -> str | None:
    return ORGANISATION_STATUS_AFTER.get(event_type)


def organisation_contributions(province_code: str | None, status: str | None, kind: str | None,
                               city_code: str | None) -> dict[tuple[str, str, str], int]:
    if not province_code or not status:
        return {}
    return {(province_code, "org_status", status): 1, (province_code, "org_kind", kind or "unknown"): 1,
            (province_code, "org_city", city_code or "unknown"): 1}
