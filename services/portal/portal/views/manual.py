"""The operation manual, for everyone (no sign-in): /manual (the contents), /manual/<role> (a
chapter), /manual.pdf (all chapters, in the page's language)."""

from __future__ import annotations

from functools import cache

from flask import Blueprint, Response, abort, current_app, render_template
from flask.typing import ResponseReturnValue

from platform_shared.pdf import PdfFont
from portal.i18n import current_language
from portal.manual import ROLE_OF_SLUG, manual
from portal.manual.pdf import render_manual

blp = Blueprint("manual", __name__)


@blp.get("/manual")
def contents() -> ResponseReturnValue:
    return render_template("manual.html", manual=manual(current_language()), chapter=None)


@blp.get("/manual/<slug>")
def chapter(slug: str) -> ResponseReturnValue:
    role = ROLE_OF_SLUG.get(slug)
    if role is None:
        abort(404)
    current = manual(current_language())
    return render_template("manual.html", manual=current, chapter=current.chapter(role))


@cache
def _pdf(language: str, font: PdfFont) -> bytes:
    # The manual changes only with a release: rendered once per language and process, so a
    # visitor asking for it again costs nothing.
    return render_manual(manual(language), font)


@blp.get("/manual.pdf")
def pdf() -> ResponseReturnValue:
    language = current_language()
    font: PdfFont = current_app.extensions["portal.pdf_font"]
    response = Response(_pdf(language, font), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="manual-{language}.pdf"'
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
