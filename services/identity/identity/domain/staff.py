"""Who operators may create as staff, and what each staff role is bound to."""

from __future__ import annotations

from platform_shared.regions import PROVINCES

STAFF_ROLES = ("reviewer", "operator", "province_admin")


class StaffRejected(ValueError):
    """A staff account that breaks the rules; `field` names the offending input."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def check_staff(role: str, province_code: str | None) -> None:
    """A province admin is bound to one province of the platform; other staff to none."""
    if role not in STAFF_ROLES:
        raise StaffRejected("role", f"Staff are {', '.join(STAFF_ROLES)}; enterprise accounts are "
                            "made by registration or by invitation of a member.")
    if role == "province_admin":
        if province_code is None:
            raise StaffRejected("province_code", "A province admin needs the province-level code of "
                                "the province they look after.")
        if province_code not in PROVINCES:
            raise StaffRejected("province_code", "Unknown province-level region code (GB/T 2260, or "
                                "660000 for 新疆生产建设兵团).")
    elif province_code is not None:
        raise StaffRejected("province_code", f"A {role} is not bound to a province; leave it out.")
