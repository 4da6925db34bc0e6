"""How a field of a product declaration, or of an organisation, is named to people.

Reviewers' reasons point at a field by its dotted path as the filing API names it
(`patents.1.number`); a mail names it as its reader knows it: `专利（第2项）· 专利号`, or in
English `Patents (item 2) · patent number`. An organisation's reasons name identity's fields
(`documents.business_license` → `证明材料 · 营业执照`, `legal_representative.name` → `法定代表人 ·
单位名称`… see `organisation_field_label`). A path this does not know is shown as given.
"""

from __future__ import annotations

from platform_shared.labels import word

LANGUAGES = ("zh", "en")  # the languages mails are written in (platform_shared.labels has both)

# The declaration's top-level fields: (zh, en).
FIELDS: dict[str, tuple[str, str]] = {
    "name": ("产品名称", "Product name"),
    "brand": ("品牌", "Brand"),
    "model": ("型号", "Model"),
    "industry_code": ("产业领域", "Industry field"),
    "economic_data": ("经济数据", "Economic data"),
    "patents": ("专利", "Patents"),
    "materials": ("证明材料", "Proof materials"),
    "variants": ("规格型号变体", "Variants"),
    "description": ("产品简介", "Description"),
    "launched_on": ("上市日期", "Launch date"),
}

# The fields of one item of a list field (`patents.1.number`).
ITEM_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "economic_data": {
        "year": ("年度", "year"), "sales_revenue": ("销售收入", "sales revenue"),
        "sales_volume": ("销售数量", "sales volume"), "export_revenue": ("出口收入", "export revenue"),
        "profit": ("利润", "profit"), "ip_investment": ("知识产权投入", "IP investment"),
    },
    "patents": {
        "number": ("专利号", "patent number"), "kind": ("专利类型", "kind"), "title": ("专利名称", "title"),
        "holder": ("专利权人", "holder"), "relation": ("权利关系", "relation"),
        "license_record_no": ("许可备案号", "licence record number"), "dispute": ("权属纠纷", "dispute"),
    },
    "materials": {"kind": ("材料类型", "kind"), "file": ("文件", "file")},
}

GENERAL = ("整体意见", "General")
SEPARATOR = " · "


def field_label(path: str, language: str) -> str:
    """`patents.1.number` -> `专利（第2项）· 专利号` (zh) or `Patents (item 2) · patent number` (en)."""
    index = LANGUAGES.index(language) if language in LANGUAGES else 0
    if not path.strip():
        return GENERAL[index]
    top, *rest = path.split(".")
    if top not in FIELDS:
        return path
    label = FIELDS[top][index]
    if rest and rest[0].isdigit():
        item = int(rest.pop(0)) + 1
        label += f"（第{item}项）" if index == 0 else f" (item {item})"
    if rest:
        known = ITEM_FIELDS.get(top, {}).get(rest[0]) if len(rest) == 1 else None
        separator = SEPARATOR.lstrip() if label.endswith("）") else SEPARATOR
        label += separator + (known[index] if known else ".".join(rest))
    return label


# The parts of an organisation's path that name a person's field, not the organisation's.
PERSON_FIELDS = {"name": ("姓名", "name")}


def organisation_field_label(path: str, language: str) -> str:
    """`documents.business_license` -> `证明材料 · 营业执照` (zh) or `Documents · business licence` (en);
    `legal_representative.name` -> `法定代表人 · 姓名`. A part no table knows is shown as given."""
    index = LANGUAGES.index(language) if language in LANGUAGES else 0
    if not path.strip():
        return GENERAL[index]
    top, *rest = path.split(".")
    words = [word("organisation_field", top, language)]
    for part in rest:
        if top == "documents":
            words.append(word("document_kind", part, language))
        elif part in PERSON_FIELDS:
            words.append(PERSON_FIELDS[part][index])
        else:
            words.append(word("organisation_field", part, language))
    return SEPARATOR.join(words)
