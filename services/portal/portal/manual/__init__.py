"""The operation manual (操作手册): one chapter per role, in Chinese and English, with the
screenshots the browser tests take (static/manual/, made by `make manual-screenshots`).

The text is data (`manual/<lang>.toml`), so the pages (/manual, /manual/<role>) and the one PDF
(/manual.pdf) say the same: the templates and `portal.manual.pdf` both read it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

# The roles in the order the manual presents them, with their slugs in URLs.
ROLES = ("enterprise", "reviewer", "province_admin", "operator")
SLUGS = {"enterprise": "enterprise", "reviewer": "reviewer", "province_admin": "province-admin",
         "operator": "operator"}
ROLE_OF_SLUG = {slug: role for role, slug in SLUGS.items()}
SCREENSHOTS = Path(str(resources.files("portal").joinpath("static", "manual")))


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    image: str | None  # a file of static/manual/, or None


@dataclass(frozen=True)
class Chapter:
    role: str
    slug: str
    title: str
    lead: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Manual:
    language: str
    title: str
    lead: str
    pdf: str
    contents: str
    step_label: str  # "第 {number} 步"
    chapters: tuple[Chapter, ...]

    def chapter(self, role: str) -> Chapter:
        return next(chapter for chapter in self.chapters if chapter.role == role)


@cache
def manual(language: str) -> Manual:
    """The manual in `language` (`zh` or `en`), read once."""
    text = resources.files("portal").joinpath("manual", f"{language}.toml").read_text("utf-8")
    data: dict[str, Any] = tomllib.loads(text)
    chapters = tuple(
        Chapter(role=role, slug=SLUGS[role], title=data["roles"][role]["title"], lead=data["roles"][role]["lead"],
                steps=tuple(Step(step["title"], step["text"], step.get("image"))
                            for step in data["roles"][role]["steps"]))
        for role in ROLES)
    return Manual(language=language, title=data["title"], lead=data["lead"], pdf=data["pdf"],
                  contents=data["contents"], step_label=data["step"], chapters=chapters)
