"""Forms and API bodies: form fields are named by the API's dotted paths (`contact.email`,
`economic_data.0.sales_revenue`), so a problem's `errors` — and a reviewer's reasons, which
name fields the same way — land next to the field they are about."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

ROW = re.compile(r"^(?P<list>[a-z_]+)\.(?P<index>\d+)\.(?P<field>[a-z_]+)$")
ECONOMIC_FIELDS = ("year", "sales_revenue", "sales_volume", "export_revenue", "profit", "ip_investment")
PATENT_FIELDS = ("number", "relation", "license_record_no", "title", "holder")
PATENT_TEXT_FIELDS = ("number", "license_record_no", "title", "holder")  # `relation` always has a value


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """{"a": {"b": [{"c": 1}]}} → {"a.b.0.c": "1"}; None as ""."""
    flat: dict[str, str] = {}
    if isinstance(value, Mapping):
        for key, item in value.items():
            flat.update(flatten(item, f"{prefix}{key}."))
    elif isinstance(value, list) and value and all(isinstance(i, Mapping) for i in value):
        for index, item in enumerate(value):
            flat.update(flatten(item, f"{prefix}{index}."))
    elif isinstance(value, list):
        flat[prefix[:-1]] = "\n".join(str(i) for i in value)
    else:
        flat[prefix[:-1]] = "" if value is None else str(value)
    return flat


def field_id(path: str) -> str:
    return "f-" + path.replace(".", "-")


def _text(form: Mapping[str, str], name: str) -> str:
    return (form.get(name) or "").strip()


def _number_or_text(text: str) -> int | str:
    return int(text) if text.isdigit() else text


def rows(form: Mapping[str, str], list_name: str, fields: tuple[str, ...],
         significant: tuple[str, ...] | None = None) -> list[dict[str, str]]:
    """The rows of a repeated group that have a value in a `significant` field (all by default),
    in the order of their indexes, compacted; each with its form index as `_index`."""
    found: dict[int, dict[str, str]] = {}
    for key in form:
        match = ROW.match(key)
        if match and match["list"] == list_name and match["field"] in fields:
            found.setdefault(int(match["index"]), {})[match["field"]] = _text(form, key)
    significant = significant or fields
    return [{**row, "_index": str(index)} for index, row in sorted(found.items())
            if any(row.get(name) for name in significant)]


def registration_body(form: Mapping[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": _text(form, "name"), "uscc": _text(form, "uscc").upper(), "kind": _text(form, "kind"),
        "province_code": _text(form, "province_code"), "address": _text(form, "address"),
        "legal_representative": {"name": _text(form, "legal_representative.name"),
                                 "id_number": _text(form, "legal_representative.id_number").upper()},
        "contact": {"name": _text(form, "contact.name"), "phone": _text(form, "contact.phone"),
                    "email": _text(form, "contact.email")},
        "account": {"email": _text(form, "account.email"), "password": form.get("account.password") or ""},
    }
    if _text(form, "city_code"):
        body["city_code"] = _text(form, "city_code")
    return body


_GROUPED_AMOUNT = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
MONEY_FIELDS = ("sales_revenue", "export_revenue", "profit", "ip_investment")


def money(text: str | None) -> str:
    """An amount of yuan as a person types it, as the API takes it: full-width digits and
    punctuation folded, spaces dropped, and thousands separators dropped when they group the
    digits properly (`12,345,678.90` → `12345678.90`). Anything else is sent as typed, for the
    API to name what is wrong with it."""
    folded = unicodedata.normalize("NFKC", text or "").replace(" ", "").strip()
    return folded.replace(",", "") if _GROUPED_AMOUNT.match(folded) else folded


def product_body(form: Mapping[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {key: _text(form, key) for key in ("name", "brand", "model", "industry_code",
                                                               "description")}
    if _text(form, "launched_on"):
        body["launched_on"] = _text(form, "launched_on")
    body["variants"] = declared_lists(form)["variants"]
    economic = []
    for row in rows(form, "economic_data", ECONOMIC_FIELDS):
        year = {"year": _number_or_text(row.get("year", "")), "sales_revenue": money(row.get("sales_revenue")),
                "sales_volume": _number_or_text(row.get("sales_volume", ""))}
        year.update({k: money(row[k]) for k in MONEY_FIELDS[1:] if row.get(k)})
        economic.append(year)
    body["economic_data"] = economic
    body["patents"] = declared_lists(form)["patents"]
    return body


def declared_lists(form: Mapping[str, str]) -> dict[str, Any]:
    """The variants (a line each) and patents (a row each) of a product's form, or of an
    amendment's: what `POST …/amendments` takes."""
    patents = []
    for row in rows(form, "patents", PATENT_FIELDS, significant=PATENT_TEXT_FIELDS):
        patent = {"number": row.get("number", ""), "relation": row.get("relation") or "owner",
                  "title": row.get("title", ""), "holder": row.get("holder", ""),
                  "dispute": bool(form.get(f"patents.{row['_index']}.dispute"))}
        if row.get("license_record_no"):
            patent["license_record_no"] = row["license_record_no"]
        patents.append(patent)
    return {"variants": [line.strip() for line in (form.get("variants") or "").splitlines() if line.strip()],
            "patents": patents}


def annual_figures_body(form: Mapping[str, str]) -> dict[str, Any]:
    """A year's figures as the annual update takes them: the optional amounts only when given."""
    body: dict[str, Any] = {"sales_revenue": money(form.get("sales_revenue")),
                            "sales_volume": _number_or_text(_text(form, "sales_volume"))}
    body.update({k: money(form.get(k)) for k in MONEY_FIELDS[1:] if _text(form, k)})
    return body


def opt_in_body(form: Mapping[str, str]) -> dict[str, Any]:
    """`year` and `opt_in` (`true`/`false` from the form; anything else is sent for the API to name)."""
    choice = _text(form, "opt_in")
    return {"year": _number_or_text(_text(form, "year")),
            "opt_in": {"true": True, "false": False}.get(choice, choice)}


def by_field(reasons: list[dict[str, str]]) -> dict[str, list[str]]:
    """A review decision's reasons [{field, message}] as {field: [messages]}."""
    grouped: dict[str, list[str]] = {}
    for reason in reasons or []:
        grouped.setdefault(reason.get("field") or "", []).append(reason.get("message") or "")
    return grouped


def decision_reasons(form: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"field": row.get("field", ""), "message": row.get("message", "")}
            for row in rows(form, "reasons", ("field", "message")) if row.get("message")]
