"""Codes shown as words: statuses, roles, kinds, provinces, ages, months."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from platform_shared.regions import PROVINCES, province_of, region_name
from portal.i18n import current_language, translate, translate_or


def status_label(group: str, code: str | None) -> str:
    return translate_or(f"status.{group}.{code}", code or "—")


def province_label(code: str | None) -> str:
    if not code:
        return translate("common.national")
    return PROVINCES.get(code) or PROVINCES.get(province_of(code) or "", code)


def city_label(code: str | None) -> str:
    """A city by its name and its province's (广东省 深圳市), from the GB/T 2260 table: the API
    gives codes only. A code the table does not know stays as it is."""
    if not code:
        return "—"
    if code == "unknown":  # reporting counts an organisation that gave no city under `unknown`
        return status_label("region", code)
    province = province_of(code)
    name = region_name(code)
    return f"{PROVINCES[province]} {name}" if province and province != code and name != code else name


def industry_names(fields: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Each industry field's code → its name in the reader's language, from filing's
    `/industry-fields` (a page shows 信息通信技术制造业, not 01)."""
    english = current_language() == "en"
    return {str(f["code"]): str((f.get("name_en") if english else None) or f["name"]) for f in fields}


# Whose kind a snapshot's `….kind` is, by the list it is in (the organisation's own otherwise).
KIND_OF = {"patents": "patent_kind", "materials": "material", "documents": "document"}


def value_label(path: str, value: str) -> str:
    """A value of a task's snapshot as a reviewer reads it: the codes it holds (the kind of an
    organisation, patent, document or material, a patent's relation, a province, a city) in words."""
    if not value:
        return value
    top, last = path.split(".", 1)[0], path.rsplit(".", 1)[-1]
    if last == "province_code":
        return province_label(value)
    if last == "city_code":
        return city_label(value)
    if last == "relation":
        return status_label("relation", value)
    if last == "kind":
        return status_label(KIND_OF.get(top, "kind"), value)
    return value


def age_label(seconds: int | None) -> str:
    seconds = int(seconds or 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return translate("age.days_hours", days=days, hours=hours)
    if hours:
        return translate("age.hours_minutes", hours=hours, minutes=rest // 60)
    return translate("age.minutes", minutes=max(rest // 60, 0))


def moment(value: str | None) -> str:
    """An ISO time from the API as Beijing time, to the minute."""
    if not value:
        return "—"
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")


def field_label(path: str | None) -> str:
    """A dotted field path in words: `economic_data.0.sales_revenue` → 经济数据 第 1 行 · 销售收入."""
    if not path:
        return translate("field.general")
    parts = path.split(".")
    # A nested field with a name of its own (`contact.name` → 联系人姓名), else its parts' names.
    named = translate_or(f"field_path.{path}", "") if len(parts) > 1 else ""
    if named:
        return named
    words = []
    for part in parts:
        words.append(translate("field.row", number=int(part) + 1) if part.isdigit()
                     else translate_or(f"field.{part}", part))
    return " · ".join(words)


def label_helpers() -> dict[str, object]:
    return {"status_label": status_label, "province_label": province_label, "city_label": city_label,
            "age_label": age_label, "moment": moment, "provinces": PROVINCES, "field_label": field_label,
            "value_label": value_label}
