"""The portal words the API's problems from its catalogues (no browser needed): by the problem's kind
and each field's rule, in the page's language, for every kind of problem the services raise."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from flask import Flask

from platform_shared.web.problems import PROBLEM_BASE
from portal.api import Problem
from portal.problem_words import worded

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
MESSAGES = REPO / "services/portal/portal/messages"


def in_language(language: str):
    return Flask(__name__).test_request_context("/", headers={"Cookie": f"lang={language}"})


def test_every_kind_of_problem_the_services_raise_has_words_in_both_languages():
    raised = set()
    for path in [*REPO.glob("services/*/*/**/*.py"), *REPO.glob("shared/platform_shared/**/*.py")]:
        raised.update(re.findall(r'slug="([a-z0-9-]+)"', path.read_text("utf-8")))
    assert len(raised) > 50
    for language in ("zh", "en"):
        worded_kinds = tomllib.loads((MESSAGES / f"{language}.toml").read_text("utf-8"))["problem"]
        assert raised <= set(worded_kinds), (language, sorted(raised - set(worded_kinds)))


def registration_refused() -> Problem:
    return Problem(422, "Unprocessable Entity", "The request has invalid fields: …",
                   PROBLEM_BASE + "unprocessable-entity",
                   errors={"name": ["Length must be between 1 and 200."], "account.password": ["Use at least 10 …"],
                           "uscc": ["Length must be 18."], "contact.email": ["Not a valid email address."]},
                   rules={"name": [{"rule": "required"}],
                          "account.password": [{"rule": "password.too_short", "min": 10}],
                          "uscc": [{"rule": "length", "equal": 18}], "contact.email": [{"rule": "email"}]})


@pytest.mark.parametrize(("language", "expected"), [
    ("zh", {"name": "请填写名称。", "account.password": "密码至少 10 个字符。",
            "uscc": "统一社会信用代码为 18 位，请按营业执照填写。",
            "contact.email": "请填写有效的邮箱地址，例如 name@example.cn。"}),
    ("en", {"name": "Fill in Name.", "account.password": "The password needs at least 10 characters.",
            "uscc": "The unified social credit code has 18 characters; copy it from the business licence.",
            "contact.email": "Give a valid e-mail address, such as name@example.cn."}),
])
def test_field_messages_come_from_the_rule_not_the_api_text(language, expected):
    with in_language(language):
        told = worded(registration_refused())
    assert {field: messages[0] for field, messages in told.errors.items()} == expected
    assert "4" in told.summary


def test_the_summary_is_the_kind_of_problem_with_its_values_and_a_field_without_a_rule_takes_it():
    problem = Problem(409, "Conflict", "The round of 2026 opened on 2026-03-01 is published …",
                      PROBLEM_BASE + "round-under-way", params={"year": 2026, "opened_on": "2026-03-01"})
    with in_language("zh"):
        assert worded(problem).summary == "2026 年已有一轮认定正在进行（2026-03-01 开启），请先关闭该轮。"
    taken = Problem(409, "Conflict", "An account with this e-mail already exists.", PROBLEM_BASE + "account-exists",
                    errors={"account.email": ["already registered"]})
    with in_language("en"):
        told = worded(taken)
    assert told.errors == {"account.email": ["This e-mail address has an account already: sign in, or use another "
                                             "address."]}
    unknown = Problem(418, "I'm a teapot", "Short and stout.", PROBLEM_BASE + "teapot")
    with in_language("zh"):
        assert "Short" not in worded(unknown).summary
