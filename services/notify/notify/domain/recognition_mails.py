"""The mails of a recognition round (review's events), each to an organisation's contact and
accounts as notify's local view knows them, with a link to the portal's page:

- the public notice: to each organisation with a product on the list, and to each whose opted-in
  product was not proposed, with the indicators that fell short (one mail per organisation);
- an objection raised: to the product's owner, never naming who objected;
- an objection decided: to the objector (the account that raised it; its organisation's
  addresses when notify does not know the account) and, in a mail of its own, to the owner;
- the round finalised: to each organisation with an opted-in product, recognised or not and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from notify.domain.contacts import ContactBook
from notify.domain.incoming import IncomingEvent
from notify.domain.mail_requests import MailRequest, absolute, beijing_time, organisation_recipients, unique

# The portal's pages the mails link to.
NOTICE_PATH = "/notices/{round_id}"
OBJECTIONS_PATH = "/objections"

# Why an opted-in product was not recognised, in both languages (the template shows its own).
WHY_NOT = {
    "formal_check": {"zh": "未通过形式审查", "en": "it did not pass the formal check"},
    "not_proposed": {"zh": "指标未达到所在产业领域的评价基准",
                     "en": "an indicator fell short of its field's benchmark"},
    "objection_upheld": {"zh": "公示期间的异议经核实成立", "en": "an objection during the public notice was upheld"},
}


# A failed formal check, in both languages.
FORMAL_CHECKS = {
    "status": {"zh": "产品已不在备案状态", "en": "the product is no longer on record"},
    "filed_on": {"zh": "备案日期晚于本轮截止日期", "en": "it was filed after the round's cut-off date"},
    "recognised": {"zh": "该年度已被认定", "en": "it was recognised for that year already"},
    "figures": {"zh": "缺少数据年度的经济数据", "en": "the data year's figures are missing"},
    "patents": {"zh": "所声明的专利均无效", "en": "none of its declared patents is valid"},
}
UNKNOWN_CHECK = {"zh": "未通过形式审查", "en": "it did not pass the formal check"}


def _shortfall(said: Mapping[str, Any]) -> dict[str, Any]:
    """An indicator that fell short, or a failed formal check in words."""
    check = said.get("check")
    return {**said, "check_words": FORMAL_CHECKS.get(check, UNKNOWN_CHECK) if check else None}


def _organisation_mails(template: str, organisation_id: str | None, book: ContactBook,
                        values: Mapping[str, Any]) -> list[MailRequest]:
    known = book.organisation(organisation_id) if organisation_id else None
    if known is None:
        return []
    said = {"organisation_name": known.name, "contact_name": known.contact_name, **values}
    return [MailRequest(template, r, values=said) for r in organisation_recipients(known)]


def _by_organisation(items: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for item in items:
        if item.get("organisation_id"):
            grouped.setdefault(item["organisation_id"], []).append(item)
    return grouped


def _product(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"name": item["name"], "model": item["model"]}


def _notice(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    listed, short = _by_organisation(data["products"]), _by_organisation(data.get("not_proposed") or [])
    common = {"year": data["year"], "notice_ends_on": data["notice_ends_on"],
              "notice_url": absolute(public_url, NOTICE_PATH.format(round_id=data["round_id"]))}
    mails = []
    for organisation_id in unique([*listed, *short]):
        mails += _organisation_mails("recognition_notice", organisation_id, book, {
            **common, "listed": [_product(p) for p in listed.get(organisation_id, [])],
            "not_proposed": [{**_product(p), "shortfalls": [_shortfall(s) for s in p["shortfalls"]]}
                             for p in short.get(organisation_id, [])]})
    return mails


def _objection_values(data: Mapping[str, Any], public_url: str) -> dict[str, Any]:
    product = data["product"]
    return {"year": data["year"], "product_name": product["name"], "model": product["model"],
            "product_organisation_name": product["organisation_name"],
            "objections_url": absolute(public_url, OBJECTIONS_PATH)}


def _objection_raised(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    return _organisation_mails("objection_raised", data["product"]["organisation_id"], book, {
        **_objection_values(data, public_url), "reasons": data["reasons"], "notice_ends_on": data["notice_ends_on"],
        "raised_at": beijing_time(data["raised_at"])})


def _objection_decided(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    values = {**_objection_values(data, public_url), "upheld": data["upheld"], "reason": data["reason"],
              "decided_at": beijing_time(data["decided_at"])}
    objector = book.account(data["raised_by"])
    if objector is not None:
        to_objector = [MailRequest("objection_decided_objector", objector.email, values=values)]
    else:
        to_objector = _organisation_mails("objection_decided_objector", data["raised_by_organisation_id"], book,
                                          values)
    return to_objector + _organisation_mails("objection_decided_owner", data["product"]["organisation_id"], book,
                                             values)


def _finalised(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    common = {"year": data["year"], "finalised_at": beijing_time(data["finalised_at"]),
              "notice_url": absolute(public_url, NOTICE_PATH.format(round_id=data["round_id"]))}
    mails = []
    for organisation_id, outcomes in _by_organisation(data["outcomes"]).items():
        mails += _organisation_mails("recognition_final", organisation_id, book, {
            **common, "recognised": [_product(o) for o in outcomes if o["recognised"]],
            "not_recognised": [{**_product(o), "why_not": WHY_NOT[o["why_not"] or "not_proposed"]}
                               for o in outcomes if not o["recognised"]]})
    return mails


RECOGNITION_RULES = {
    "review.recognition_round.published": _notice,
    "review.objection.raised": _objection_raised,
    "review.objection.decided": _objection_decided,
    "review.recognition_round.finalised": _finalised,
}
