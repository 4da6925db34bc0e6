"""Uploading target lists and measuring their coverage: per list and province, how many of the
listed organisations have filed at least one product (ever), the rate, and which have not."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from platform_shared.web.problems import Problem
from reporting.adapters.orm import OrganisationView, ProductView, TargetList, TargetMember
from reporting.domain.targets import Coverage, province_of_uscc, valid_uscc


def replace_list(name: str, title: str, entries: Sequence[dict], uploaded_by: str, database) -> TargetList:
    """Create or replace the list `name`; 422 naming each bad entry, and nothing changes then."""
    errors: dict[str, list[str]] = {}
    members: dict[str, dict] = {}
    for index, entry in enumerate(entries):
        try:
            code = valid_uscc(entry["uscc"])
        except ValueError as exc:
            errors[f"organisations.{index}.uscc"] = [str(exc)]
            continue
        province = entry.get("province_code") or province_of_uscc(code)
        if province is None:
            errors[f"organisations.{index}.province_code"] = [
                f"{code}: its registration code names no province of the platform; give province_code"]
            continue
        if code in members:
            errors[f"organisations.{index}.uscc"] = [f"{code} is listed twice"]
            continue
        members[code] = {"uscc": code, "name": entry.get("name") or "", "province_code": province}
    if errors:
        raise Problem(422, f"{len(errors)} entries of the list cannot be taken; nothing was changed.",
                      slug="target-list-invalid", errors=errors)
    with database.atomic():
        TargetList.delete().where(TargetList.name == name).execute()
        target = TargetList.create(name=name, title=title, uploaded_by=uploaded_by,
                                   uploaded_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
        rows = [{"target_list": name, **member} for member in members.values()]
        for start in range(0, len(rows), 500):
            TargetMember.insert_many(rows[start:start + 500]).execute()
    return target


def coverage(list_name: str | None, province_code: str | None) -> list[dict]:
    """Per list and province: total, filed, rate, and the organisations that have not filed."""
    lists = TargetList.select().order_by(TargetList.name)
    if list_name:
        lists = lists.where(TargetList.name == list_name)
        if not lists.exists():
            raise Problem(404, f"No target list named {list_name!r}.", slug="target-list-not-found")
    results = []
    for target in lists:
        members = TargetMember.select().where(TargetMember.target_list == target.name)
        if province_code:
            members = members.where(TargetMember.province_code == province_code)
        members = list(members)
        filed = _have_filed([m.uscc for m in members])
        by_province: dict[str, list[TargetMember]] = defaultdict(list)
        for member in members:
            by_province[member.province_code].append(member)
        for province, listed in sorted(by_province.items()):
            done = [m for m in listed if m.uscc in filed]
            figures = Coverage(len(listed), len(done))
            results.append({"list": target.name, "title": target.title, "province_code": province,
                            "total": figures.total, "filed": figures.filed, "rate": figures.rate,
                            "not_filed": [{"uscc": m.uscc, "name": m.name} for m in listed if m.uscc not in filed]})
    return results


def _have_filed(usccs: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(usccs), 500):
        chunk = usccs[start:start + 500]
        rows = (OrganisationView.select(OrganisationView.uscc).distinct()
                .join(ProductView, on=(ProductView.organisation_id == OrganisationView.organisation_id))
                .where(OrganisationView.uscc.in_(chunk) & ProductView.filed_month.is_null(False)).tuples())
        found.update(uscc for (uscc,) in rows)
    return found
