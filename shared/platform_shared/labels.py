"""The words for the codes that files, mails and certificates show people: statuses, kinds of
organisation, document, patent and relation, roles, kinds of review task, an organisation's
fields. Machines keep the codes; a person reads these, in Chinese or English (`word`). The
files provinces download are in Chinese (the tables by name below); the portal has its own
catalogue in both languages (portal/messages), which says the same.

A code no table knows is shown as given (`label`, `word`): a new code shows up as itself rather
than as an empty cell or a failed mail.
"""

from __future__ import annotations

LANGUAGES = ("zh", "en")

# group → code → (Chinese, English)
WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "product_status": {
        "draft": ("草稿", "draft"), "submitted": ("审核中", "under review"),
        "returned": ("退回修改", "returned for revision"), "filed": ("已备案", "filed"),
        "rejected": ("不予备案", "rejected"), "recognised": ("已认定", "recognised"),
        "cancelled": ("已注销", "cancelled"), "revoked": ("已撤销", "revoked"), "withdrawn": ("已撤回", "withdrawn")},
    "organisation_status": {
        "registered": ("已注册", "registered"), "pending_review": ("审核中", "under review"),
        "verified": ("已认证", "verified"), "rejected": ("未通过", "not approved")},
    "organisation_kind": {
        "enterprise": ("企业", "enterprise"), "university_institute": ("高校、科研院所", "university or institute"),
        "rd_institution": ("新型研发机构", "new R&D institution"),
        "social_organisation": ("社会组织", "social organisation")},
    "patent_kind": {"invention": ("发明", "invention"), "utility_model": ("实用新型", "utility model"),
                    "design": ("外观设计", "design")},
    "patent_relation": {"owner": ("专利权人", "patentee"), "licensee": ("被许可人", "licensee")},
    "document_kind": {
        "business_license": ("营业执照", "business licence"),
        "integrity_commitment": ("诚信承诺书", "integrity commitment"),
        "authorization_letter": ("授权委托书", "letter of authorisation")},
    "role": {"enterprise": ("企业用户", "enterprise user"), "reviewer": ("审核员", "reviewer"),
             "province_admin": ("省级管理员", "province administrator"),
             "operator": ("平台运营人员", "platform operator")},
    "task_kind": {"organisation": ("单位实名认证", "organisation verification"),
                  "product": ("产品备案", "product filing"),
                  "product_amendment": ("备案变更", "amendment of a filing")},
    # What a re-check found wrong with a filed product's patent (filing.product.patent_problem_found).
    "patent_problem": {
        "lapsed": ("专利权已终止（如未缴年费）", "has lapsed (for instance, fees were not paid)"),
        "invalidated": ("专利权已被宣告无效", "was declared invalid"),
        "expired": ("专利权保护期已届满", "has expired (its term ended)"),
        "not_in_force": ("专利权不在有效状态", "is not in force"),
        "not_in_register": ("专利登记簿中已查不到该专利", "is no longer in the patent register"),
        "holder_changed": ("专利权人已变更，登记簿不再载明贵单位为专利权人",
                           "changed holder: the register no longer names your organisation as a patentee"),
        "licence_ended": ("备案的专利实施许可已终止或不再以贵单位为被许可人",
                          "is no longer licensed to your organisation: the recorded licence ended or names "
                          "someone else")},
    # What a reviewer's reason on an organisation names (`legal_representative.name`, one part each).
    "organisation_field": {
        "name": ("单位名称", "Name"), "uscc": ("统一社会信用代码", "Unified social credit code"),
        "kind": ("单位类型", "Kind of organisation"), "province_code": ("省份", "Province"),
        "city_code": ("城市", "City"), "address": ("地址", "Address"),
        "legal_representative": ("法定代表人", "Legal representative"), "id_number": ("身份证号码", "ID number"),
        "contact": ("联系人", "Contact"), "phone": ("电话", "phone"), "email": ("邮箱", "e-mail"),
        "title": ("职务", "title"), "documents": ("证明材料", "Documents")},
}


def _in(language: str) -> int:
    return LANGUAGES.index(language) if language in LANGUAGES else 0


def words(group: str, language: str = "zh") -> dict[str, str]:
    """A group's codes and their words in `language` (Chinese for a language not kept)."""
    index = _in(language)
    return {code: both[index] for code, both in WORDS[group].items()}


def word(group: str, code: str | None, language: str = "zh") -> str:
    """The word for `code` in `language`, or the code itself when there is none."""
    return label(words(group, language), code)


def in_every_language(group: str, code: str | None) -> dict[str, str]:
    """`{"zh": …, "en": …}`: for what is decided before the reader's language is known (a mail's values)."""
    return {language: word(group, code, language) for language in LANGUAGES}


def label(table: dict[str, str], code: str | None) -> str:
    """The word for `code`, or the code itself when there is none (never an empty cell)."""
    if code is None:
        return ""
    return table.get(code, code)


# The Chinese tables the province's files use.
PRODUCT_STATUS = words("product_status")
ORGANISATION_STATUS = words("organisation_status")
ORGANISATION_KIND = words("organisation_kind")
PATENT_KIND = words("patent_kind")
PATENT_RELATION = words("patent_relation")
DOCUMENT_KIND = words("document_kind")
