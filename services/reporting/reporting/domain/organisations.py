"""How identity's events move an organisation's row in reporting's view: plain rules.

Events may arrive twice or out of order (competing consumers, redelivery): a change applies
only if its `aggregate_version` is newer than what the view already holds. An organisation
adds to its province's counters by status, kind and city.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from platform_shared.moments import naive_utc
from reporting.domain.counters import Contribution


@dataclass(frozen=True)
class Organisation:
    """What reporting knows of an organisation (one row of its view)."""

    organisation_id: str
    name: str
    uscc: str
    kind: str
    province_code: str
    city_code: str | None
    status: str
    aggregate_version: int
    registered_at: dt.datetime
    # False while the registration itself has not arrived (a later event came first).
    registration_seen: bool = True

    def contributions(self) -> Contribution:
        return organisation_contributions(self.province_code, self.status, self.kind, self.city_code)


def is_newer(held_version: int | None, incoming_version: int) -> bool:
    return held_version is None or incoming_version > held_version


def organisation_contributions(province_code: str | None, status: str | None, kind: str | None,
                               city_code: str | None) -> Contribution:
    if not province_code or not status:
        return {}
    return {(province_code, "org_status", status): 1, (province_code, "org_kind", kind or "unknown"): 1,
            (province_code, "org_city", city_code or "unknown"): 1}


def organisation_after(held: Organisation | None, *, registered: bool, status: str | None,
                       data: Mapping[str, Any], version: int, occurred_at: dt.datetime,
                       moves_city: bool = False) -> Organisation | None:
    """The organisation after an event of identity (`status`: the one the event leads to), or
    None when the event changes nothing because the row is newer already.

    The registration alone tells the registration time, and the city with a contact change
    (`moves_city`): when the registration arrives after a newer event (out of order), it still
    fills those in, and changes nothing else.
    """
    newer = held is None or is_newer(held.aggregate_version, version)
    if held is not None and not newer and not (registered and not held.registration_seen):
        return None
    if held is None:
        if status is None:
            raise ValueError(f"organisation {data['organisation_id']}: the first event seen names no status")
        held = Organisation(organisation_id=data["organisation_id"], name=data.get("name", ""),
                            uscc=data.get("uscc", ""), kind=data.get("kind", ""),
                            province_code=data["province_code"], city_code=None, status=status,
                            aggregate_version=version, registered_at=naive_utc(occurred_at), registration_seen=False)
    organisation = held
    if registered:
        organisation = replace(organisation, name=data["name"], uscc=data["uscc"], kind=data["kind"],
                               province_code=data["province_code"], city_code=data.get("city_code"),
                               registered_at=naive_utc(data["registered_at"]), registration_seen=True)
    elif data.get("name"):
        organisation = replace(organisation, name=data["name"])
    if newer and moves_city:
        # A verified organisation's contact change may move it to another city of its province.
        organisation = replace(organisation, city_code=data["city_code"])
    if newer:
        organisation = replace(organisation, status=status or organisation.status, aggregate_version=version)
    return organisation
