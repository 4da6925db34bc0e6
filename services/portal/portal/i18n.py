"""Two languages: Simplified Chinese (the default) and English, chosen by the `lang` cookie.

Each language has a catalogue, `messages/<lang>.toml`, of the same keys (a test keeps them in
step). Texts that come from the API (its problem details and field messages, names of
industry fields in Chinese) are shown as the API gives them.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from flask import request

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
HTML_LANG = {"zh": "zh-CN", "en": "en"}
COOKIE = "lang"


@cache
def catalogue(language: str) -> dict[str, str]:
    text = resources.files("portal").joinpath("messages", f"{language}.toml").read_text("utf-8")
    return _flatten(tomllib.loads(text))


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


def current_language() -> str:
    chosen = request.cookies.get(COOKIE, "")
    return chosen if chosen in LANGUAGES else DEFAULT


def translate(key: str, **values: object) -> str:
    """The text of `key` in the current language (the key itself when it has none)."""
    text = catalogue(current_language()).get(key) or catalogue(DEFAULT).get(key) or key
    return text.format(**values) if values else text


def translate_or(key: str, fallback: str) -> str:
    """The text of `key`, or `fallback` (e.g. a code the catalogue does not name)."""
    return catalogue(current_language()).get(key) or fallback
