"""The category a USCC (统一社会信用代码, GB 32100-2015) states, and whether it fits a declared kind.

The code's first character is the registration authority (登记管理部门码: 1 机构编制, 5 民政,
9 工商 …) and its second the kind of body that authority registers (机构类别码): `91` is an
enterprise, `12` a public institution (事业单位), `52` a private non-enterprise unit. Identity
refuses codes outside these categories at registration; reviewers see the category beside the
kind an organisation declared, because a mismatch (an "enterprise" whose code says 事业单位) is
what they must query against the licence.
"""

from __future__ import annotations

# First two characters of a USCC: registration authority and organisation category.
USCC_CATEGORIES = {
    "11": "机关", "12": "事业单位", "13": "群众团体", "19": "其他（机构编制）",
    "51": "社会团体", "52": "民办非企业单位", "53": "基金会", "59": "其他（民政）",
    "91": "企业", "92": "个体工商户", "93": "农民专业合作社", "Y1": "其他",
}
NOT_A_LEGAL_PERSON = frozenset({"92"})

# The declared kinds (identity's ORGANISATION_KINDS) each category may honestly be. Universities
# and public research institutes are 事业单位 (12); a new-type R&D institution may be a public
# institution, a private non-enterprise unit (52) or a company (91); a social organisation is
# registered by 民政 (51, 52, 53).
KINDS_OF_CATEGORY: dict[str, frozenset[str]] = {
    "11": frozenset({"university_institute"}),
    "12": frozenset({"university_institute", "rd_institution"}),
    "13": frozenset({"social_organisation"}),
    "19": frozenset({"university_institute", "rd_institution"}),
    "51": frozenset({"social_organisation"}),
    "52": frozenset({"social_organisation", "rd_institution"}),
    "53": frozenset({"social_organisation"}),
    "59": frozenset({"social_organisation"}),
    "91": frozenset({"enterprise", "rd_institution"}),
    "93": frozenset({"enterprise"}),
}


def uscc_category(uscc: str | None) -> str | None:
    """The two-character category of `uscc` (`"91"`), or None if it names none of the standard's."""
    code = (uscc or "").strip().upper()[:2]
    return code if code in USCC_CATEGORIES else None


def category_name(uscc: str | None) -> str | None:
    """The category in words (企业, 事业单位 …), or None for a code outside the standard."""
    category = uscc_category(uscc)
    return USCC_CATEGORIES[category] if category else None


def kind_fits_category(kind: str | None, uscc: str | None) -> bool:
    """Whether the declared `kind` is one the USCC's category may be (False for an unknown
    category: a reviewer must look at it)."""
    category = uscc_category(uscc)
    return category is not None and kind in KINDS_OF_CATEGORY.get(category, frozenset())
