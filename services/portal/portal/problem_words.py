"""A refusal of the API in the reader's words and language.

The API answers with problem documents (RFC 9457) whose texts are English, for API clients. The
portal never shows those texts and never reads them: it words each problem from its catalogue,

- the summary by the problem's kind (`problem.<slug>`, the last part of its `type`), with the
  values the API gives in `params` (a quota's name and owner in words too, `quota.name.<name>`,
  `quota.owner.<owner>`, its bytes in MiB); a kind the catalogue does not know by its status
  (`error.<status>`);
- each field's message by the rule it broke (`rules` of the problem: `required`, `length` with its
  bounds, `password.too_short` …) as `rule_field.<field>.<rule>` or else `rule.<rule>`, with the
  field's label and the rule's values; a field the API names without a rule by the problem's kind.

So a Chinese page says 请填写单位名称 where the API said "Missing data for required field.".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from platform_shared.web.problems import PROBLEM_BASE
from portal.api import Problem
from portal.i18n import catalogue, current_language, translate, translate_or
from portal.labels import field_label

# The caller's own product a conflict is with, as the API names it (`existing`).
EXISTING_PRODUCT = re.compile(r"^/api/v1/filing/products/(?P<id>[0-9a-f-]{36})$")


@dataclass(frozen=True)
class WordedProblem:
    status: int
    summary: str
    errors: dict[str, list[str]] = field(default_factory=dict)
    existing_product: str | None = None  # the id of the caller's product the conflict is with


def slug_of(problem: Problem) -> str:
    return problem.type.rsplit("/", 1)[-1] if problem.type.startswith(PROBLEM_BASE) else ""


def _known(key: str) -> bool:
    return key in catalogue(current_language())


def _text(key: str, values: Mapping[str, object]) -> str:
    """The catalogue's text of `key` with `values`; a value the text does not name is ignored,
    one it names and the API did not give shows as …"""
    template = catalogue(current_language()).get(key) or key
    try:
        return template.format_map(_Values(values))
    except (ValueError, IndexError):
        return template


class _Values(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "…"


def _rule_key(rule: Mapping[str, object]) -> str:
    """The catalogue's name of a rule: `length` splits by which bounds it has."""
    name = str(rule.get("rule") or "invalid")
    if name == "length":
        if "equal" in rule:
            return "length_equal"
        low = int(str(rule.get("min", 0)))
        if low > 1 and "max" in rule:
            return "length_between"
        return "length_at_least" if "max" not in rule else "length_at_most"
    if name == "range":
        if "min" in rule and "max" in rule:
            return "range_between"
        return "range_at_least" if "min" in rule else "range_at_most"
    if name == "type":
        return f"type.{rule.get('type') or 'value'}"
    return name


def _last_name(path: str) -> str:
    names = [part for part in path.split(".") if not part.isdigit()]
    return names[-1] if names else path


def rule_message(path: str, rule: Mapping[str, object]) -> str:
    name = _rule_key(rule)
    values = {**rule, "label": field_label(path)}
    for candidate in (f"rule_field.{_last_name(path)}.{name}", f"rule.{name}"):
        if _known(candidate):
            return _text(candidate, values)
    return _text("rule.invalid", values)


MiB = 1024 * 1024


def _amount(quota: str, value: object) -> str:
    number = int(str(value)) if str(value).isdigit() else 0
    # Bytes as people read them (MiB, one decimal); counts with thousands separated.
    return f"{number / MiB:,.1f} MiB" if quota.endswith("_bytes") else f"{number:,}"


def _values(slug: str, params: Mapping[str, object]) -> Mapping[str, object]:
    """The problem's values as its text shows them: a quota's codes in the reader's words."""
    if slug != "quota-exceeded":
        return params
    quota, owner = str(params.get("quota", "")), str(params.get("owner", ""))
    return {**params, "quota": translate_or(f"quota.name.{quota}", quota),
            "owner": translate_or(f"quota.owner.{owner}", owner),
            "limit": _amount(quota, params.get("limit")), "used": _amount(quota, params.get("used"))}


def summary(problem: Problem) -> str:
    slug = slug_of(problem)
    if slug and _known(f"problem.{slug}"):
        return _text(f"problem.{slug}", _values(slug, problem.params))
    if problem.errors:
        return translate("problem.fields", count=len(problem.errors))
    if _known(f"error.{problem.status}"):
        return translate(f"error.{problem.status}")
    return translate("error.title")


def worded(problem: Problem) -> WordedProblem:
    slug = slug_of(problem)
    errors: dict[str, list[str]] = {}
    for path in problem.errors:
        rules = problem.rules.get(path) or []
        if rules:
            errors[path] = list(dict.fromkeys(rule_message(path, rule) for rule in rules))
        elif slug and _known(f"problem.{slug}"):
            errors[path] = [_text(f"problem.{slug}", _values(slug, problem.params))]
        else:
            errors[path] = [rule_message(path, {"rule": "invalid"})]
    found = EXISTING_PRODUCT.match(problem.existing or "")
    return WordedProblem(problem.status, summary(problem), errors, found["id"] if found else None)
