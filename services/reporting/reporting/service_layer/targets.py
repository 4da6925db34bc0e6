"""Target lists: replacing one, and measuring their coverage — per list and province, how many
of the listed organisations have filed at least one product (ever), the rate, and which have not."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from platform_shared.errors import Forbidden, NotFound, RuleBroken
from platform_shared.moments import utcnow
from platform_shared.regions import PROVINCES
from reporting.domain.commands import ReplaceTargetList
from reporting.domain.queries import ReadCoverage
from reporting.domain.scope import scope_name, scope_of
from reporting.domain.targets import (
    Coverage,
    TargetList,
    TargetMember,
    check_list_name,
    members_of,
    outside_scope,
)
from reporting.service_layer.unit_of_work import ReportingUnitOfWork


def handle_replace_target_list(command: ReplaceTargetList, uow: ReportingUnitOfWork) -> tuple[TargetList, int]:
    """Create or replace the list; the list and how many organisations it has. `NotFound` for a
    name no list can have; `RuleBroken` naming each bad entry, and nothing changes then."""
    check_list_name(command.name)
    members = members_of(command.organisations)
    own = command.principal.province_code if command.principal.role == "province_admin" else None
    if command.principal.role == "province_admin" and own is None:
        raise Forbidden("Your account covers no province.", slug="forbidden")
    target = TargetList(name=command.name, title=command.title, uploaded_by=command.principal.account_id,
                        uploaded_at=utcnow())
    with uow:
        others = outside_scope(own, members, uow.target_lists.members(command.name, None))
        if others:
            raise Forbidden(f"A province's own list holds only organisations of {own}, and a list with other "
                            f"provinces' organisations is the operators' to replace: {', '.join(others[:5])}"
                            + (" …" if len(others) > 5 else ""), slug="target-list-outside-province")
        uow.target_lists.replace(target, members)
        uow.audit("target_list.replaced", "target_list", command.name,
                  {"title": command.title, "organisations": len(members)})
    return target, len(members)


def handle_upload_target_list(command: ReplaceTargetList, rows: Sequence[int],
                              uow: ReportingUnitOfWork) -> tuple[TargetList, int]:
    """As `handle_replace_target_list`, for a list read from a file: `rows[i]` is the file's row
    of `command.organisations[i]`, and each bad entry is named by its row (`rows.<row>.<field>`)."""
    errors: dict[str, list[str]] = {}
    for row, entry in zip(rows, command.organisations, strict=True):
        if entry.province_code is not None and entry.province_code not in PROVINCES:
            errors[f"rows.{row}.province_code"] = [f"{entry.province_code} is no province code (GB/T 2260, "
                                                   "e.g. 440000)"]
    try:
        members_of(command.organisations)
    except RuleBroken as exc:
        for key, messages in (exc.errors or {}).items():
            _, index, field = key.split(".", 2)
            errors.setdefault(f"rows.{rows[int(index)]}.{field}", []).extend(str(m) for m in messages)
    if errors:
        raise RuleBroken(errors, f"{len(errors)} rows of the file cannot be taken; nothing was changed.",
                         slug="target-list-invalid")
    return handle_replace_target_list(command, uow)


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
