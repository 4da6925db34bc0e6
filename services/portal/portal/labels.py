"""Codes shown as words: statuses, roles, kinds, provinces, ages, months."""

from __future__ import annotations

import datetime as dt

from platform_shared.regions import PROVINCES, province_of
from portal.i18n import translate, translate_or


def status_label(group: str, code: str | None) -> str:
    return translate_or(f"status.{group}.{code}", code or "—")


def province_label(code: str | None) -> str:
    if not code:
        return translate("common.national")
    return PROVINCES.get(code) or PROVINCES.get(province_of(code) or "", code)


def city_label(code: str | None) -> str:
    """A city code with its province's name (the API names no cities)."""
    if not code:
        return "—"
    province = province_of(code)
    return f"{code}（{PROVINCES[province]}）" if province and province != code else code


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
    words = []
    for part in path.split("."):
        words.append(translate("field.row", number=int(part) + 1) if part.isdigit()
                     else translate_or(f"field.{part}", part))
    return " · ".join(words)


def label_helpers() -> dict[str, object]:
    return {"status_label": status_label, "province_label": province_label, "city_label": city_label,
            "age_label": age_label, "moment": moment, "provinces": PROVINCES, "field_label": field_label}
