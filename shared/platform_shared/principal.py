"""Who is calling: the account, its role and what the role is bound to (an organisation, a
province). Plain data, so that handlers can decide on it without knowing about tokens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from platform_shared.errors import Forbidden

ROLES = ("enterprise", "reviewer", "province_admin", "operator")
STAFF_ROLES = ("reviewer", "operator")


@dataclass(frozen=True)
class Principal:
    """Who is calling: the account, its role and what its role is bound to."""

    account_id: str
    role: str
    organisation_id: str | None = None
    province_code: str | None = None
    # When its token was issued (naive UTC, whole seconds): a deactivation refuses older tokens.
    issued_at: dt.datetime | None = field(default=None, compare=False)

    def is_member_of(self, organisation_id: str) -> bool:
        return self.role == "enterprise" and self.organisation_id == str(organisation_id)

    def covers_province(self, province_code: str | None) -> bool:
        """Operators see every province; a province admin only its own."""
        if self.role == "operator":
            return True
        return self.role == "province_admin" and province_code is not None \
            and self.province_code == province_code

    @property
    def is_staff(self) -> bool:
        """Reviewers and operators: the platform's own people."""
        return self.role in STAFF_ROLES


def require_province(principal: Principal, province_code: str | None) -> None:
    """`Forbidden` unless the caller's scope covers `province_code` (None = national: operators only)."""
    if province_code is None:
        if principal.role != "operator":
            raise Forbidden("Only operators see national figures; name your province.", slug="forbidden")
        return
    if not principal.covers_province(province_code):
        raise Forbidden("Your account does not cover this province.", slug="forbidden")
