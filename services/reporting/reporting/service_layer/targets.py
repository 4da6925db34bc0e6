"""Target lists: replacing one, and measuring their coverage — per list and province, how many
of the listed organisations have filed at least one product (ever), the rate, and which have not."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from platform_shared.errors import NotFound
from platform_shared.moments import utcnow
from reporting.domain.commands import ReplaceTargetList
from reporting.domain.queries import ReadCoverage
from reporting.domain.scope import scope_name, scope_of
from reporting.domain.targets import Coverage, TargetList, TargetMember, check_list_name, members_of
from reporting.service_layer.unit_of_work import ReportingUnitOfWork


def handle_replace_target_list(command: ReplaceTargetList, uow: ReportingUnitOfWork) -> tuple[TargetList, int]:
    """Create or replace the list; the list and how many organisations it has. `NotFound` for a
    name no list can have; `RuleBroken` naming each bad entry, and nothing changes then."""
    check_list_name(command.name)
    members = members_of(command.organisations)
    target = TargetList(name=command.name, title=command.title, uploaded_by=command.principal.account_id,
                        uploaded_at=utcnow())
    with uow:
        uow.target_lists.replace(target, members)
        uow.audit("target_list.replaced", "target_list", command.name,
                  {"title": command.title, "organisations": len(members)})
    return target, len(members)


def coverage(query: ReadCoverage, uow: ReportingUnitOfWork) -> list[dict[str, Any]]:
    """Per list and province: total, filed, rate, and the organisations that have not filed
    (the caller's province only, unless an operator asks for the nation). Audited."""
    province = scope_of(query.principal, query.province)
    with uow:
        rows = coverage_rows(query.list_name, province, uow)
        uow.audit("coverage.read", "province", scope_name(province), {"list": query.list_name})
    return rows


def coverage_rows(list_name: str | None, province_code: str | None, uow: ReportingUnitOfWork) -> list[dict[str, Any]]:
    """Per list (or the one named: `NotFound` if there is none) and province, inside `uow`'s block."""
    lists = uow.target_lists.lists(list_name)
    if list_name and not lists:
        raise NotFound(f"No target list named {list_name!r}.", slug="target-list-not-found")
    results = []
    for target in lists:
        members = uow.target_lists.members(target.name, province_code)
        filed = uow.organisations.having_filed([m.uscc for m in members])
        by_province: dict[str, list[TargetMember]] = defaultdict(list)
        for member in members:
            by_province[member.province_code].append(member)
        for province, listed in sorted(by_province.items()):
            figures = Coverage(len(listed), sum(1 for m in listed if m.uscc in filed))
            results.append({"list": target.name, "title": target.title, "province_code": province,
                            "total": figures.total, "filed": figures.filed, "rate": figures.rate,
                            "not_filed": [{"uscc": m.uscc, "name": m.name} for m in listed if m.uscc not in filed]})
    return results
