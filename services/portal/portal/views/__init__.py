"""The portal's pages, one blueprint per kind of user (and the public pages, and health), and
what their views share: the API, file answers, and what a form's action leads to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, current_app, flash, redirect, render_template
from flask.typing import ResponseReturnValue

from portal.api import ApiError, PlatformApi, Problem
from portal.i18n import translate
from portal.problem_words import worded
from portal.transport import ApiResponse

DOWNLOAD_HEADERS = ("Content-Type", "Content-Disposition", "Content-Length")


def api() -> PlatformApi:
    platform_api: PlatformApi = current_app.extensions["portal.api"]
    return platform_api


def download(response: ApiResponse) -> Response:
    """An API file answer passed on to the browser as it came (media type, file name)."""
    if not response.ok:
        raise ApiError(Problem.of(response))
    headers = {k: v for k, v in response.headers.items() if k in DOWNLOAD_HEADERS}
    return Response(response.content, status=200, headers=headers)


def done(message_key: str, target: str, **values: object) -> ResponseReturnValue:
    flash(translate(message_key, **values), "success")
    return redirect(target)


def outcome(response: ApiResponse, message_key: str, target: str,
            again: Callable[[Problem], ResponseReturnValue] | None = None) -> ResponseReturnValue:
    """What an action's API answer leads to: its message and `target` when it succeeded; else the
    page `again` with the problem, or, where no page shows it, the error page (ApiError)."""
    if response.ok:
        return done(message_key, target)
    if again is None:
        raise ApiError(Problem.of(response))
    return again(Problem.of(response))


def form_page(template: str, problem: Problem | None = None, http_status: int = 200,
              **context: Any) -> ResponseReturnValue:
    """A form page (again), with the problem's message on top and its field errors by field, in
    the page's language (`problem_words`: never the API's English)."""
    told = worded(problem) if problem else None
    return render_template(template, problem=told, errors=told.errors if told else {}, **context), \
        (problem.status if problem else http_status)
