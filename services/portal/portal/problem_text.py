"""A problem as the portal says it: in the reader's language where the API names what went wrong
in values the catalogues can word (a quota: which, its limit, what is used, whose), else as the
API's own detail."""

from __future__ import annotations

from portal.api import Problem
from portal.i18n import translate, translate_or

MiB = 1024 * 1024


def _amount(name: str, value: object) -> str:
    number = int(value) if isinstance(value, (int, str)) and str(value).isdigit() else 0
    # Bytes as people read them (MiB, one decimal); counts with thousands separated.
    return f"{number / MiB:,.1f} MiB" if name.endswith("_bytes") else f"{number:,}"


def problem_text(problem: Problem) -> str:
    """The problem's message for the page that shows it."""
    quota = problem.quota
    if problem.type.endswith("/quota-exceeded") and quota.get("name"):
        name = str(quota["name"])
        owner = str(quota.get("owner", "organisation"))
        return translate("quota.exceeded", what=translate_or(f"quota.name.{name}", name),
                         owner=translate_or(f"quota.owner.{owner}", owner),
                         limit=_amount(name, quota.get("limit")), used=_amount(name, quota.get("used")))
    return problem.detail or problem.title
