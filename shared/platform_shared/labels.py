"""The words (Chinese) for the codes that files and mails show people: statuses, kinds of
organisation and of patent. Machines keep the codes; a person reads these. The portal has its own
catalogue in both languages (portal/messages); the files provinces download are in Chinese."""

from __future__ import annotations

PRODUCT_STATUS = {"draft": "草稿", "submitted": "审核中", "returned": "退回修改", "filed": "已备案",
                  "rejected": "不予备案", "recognised": "已认定", "cancelled": "已注销", "revoked": "已撤销",
                  "withdrawn": "已撤回"}
ORGANISATION_STATUS = {"registered": "已注册", "pending_review": "审核中", "verified": "已认证", "rejected": "未通过"}
ORGANISATION_KIND = {"enterprise": "企业", "university_institute": "高校、科研院所", "rd_institution": "新型研发机构",
                     "social_organisation": "社会组织"}
PATENT_KIND = {"invention": "发明", "utility_model": "实用新型", "design": "外观设计"}


def label(words: dict[str, str], code: str | None) -> str:
    """The word for `code`, or the code itself when there is none (never an empty cell)."""
    if code is None:
        return ""
    return words.get(code, code)
