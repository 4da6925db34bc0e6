"""Whose figures a caller reads: one province, or the nation (operators only). A province admin
who names no province reads their own; naming another is refused."""

from __future__ import annotations

from platform_shared.principal import Principal, require_province

NATIONAL = "national"
# Who reads reporting's figures at all: operators (any province, or the nation) and province admins.
READERS = ("operator", "province_admin")


def scope_of(principal: Principal, province: str | None) -> str | None:
    """The province asked for (a province admin's own by default), None for the nation;
    `Forbidden` outside the caller's scope."""
    if province is None and principal.role == "province_admin":
        province = principal.province_code
    require_province(principal, province)
    return province


def scope_name(province: str | None) -> str:
    """A scope as reports and the audit log name it: the province code, or `national`."""
    return province or NATIONAL
