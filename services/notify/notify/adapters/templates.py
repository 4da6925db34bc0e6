"""Rendering a mail from its Jinja2 template: subject, plain text and HTML blocks."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from notify.domain.messages import RenderedMail

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class MailTemplates:
    def __init__(self, folder: Path = TEMPLATES) -> None:
        # StrictUndefined: a value missing from the event fails loudly (and the event is
        # dead-lettered with the reason) rather than mailing a half-empty message.
        self._folder = folder
        self._env = Environment(loader=FileSystemLoader(folder), undefined=StrictUndefined,
                                autoescape=select_autoescape(default=True, default_for_string=True))

    def render(self, template: str, language: str, values: Mapping[str, Any]) -> RenderedMail:
        name = f"{template}.{language}.j2"
        if language != "zh" and not (self._folder / name).exists():
            name = f"{template}.zh.j2"
        compiled = self._env.get_template(name)
        context = compiled.new_context(dict(values))

        def block(part: str) -> str:
            return "".join(compiled.blocks[part](context)).strip()

        return RenderedMail(subject=" ".join(block("subject").split()), text=block("text"),
                            html=block("html"))
