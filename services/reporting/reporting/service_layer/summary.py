"""The summary figures: counts of organisations by status, kind, province and city."""

from __future__ import annotations

import peewee

from reporting.adapters.orm import OrganisationView


def _counts(selection: peewee.ModelSelect, field: peewee.Field) -> dict[str, int]:
    rows = (selection.select(field, peewee.fn.COUNT(OrganisationView.organisation_id).alias("n"))
            .group_by(field).tuples())
    return {str(key) if key is not None else "unknown": n for key, n in rows}


def summary(province_code: str | None) -> dict:
    """National figures (province None) or one province's."""
    selection = OrganisationView.select()
    if province_code is not None:
        selection = selection.where(OrganisationView.province_code == province_code)
    return {
        "province": province_code,
        "organisations": {
            "total": selection.count(),
            "by_status": _counts(selection, OrganisationView.status),
            "by_kind": _counts(selection, OrganisationView.kind),
            "by_province": _counts(selection, OrganisationView.province_code),
            "by_city": _counts(selection, OrganisationView.city_code),
        },
    }
