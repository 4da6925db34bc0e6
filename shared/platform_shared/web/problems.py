"""RFC 9457 problem details: the one shape every error of every service takes.

`problem_response()` builds the body; `Problem` is the exception a view raises for a domain
failure (409 duplicate, 422 rule broken...). Validation errors of marshmallow arrive as
nested dicts keyed by location (`json`, `query`, `files`...); `field_errors()` flattens them
into dotted field paths (`contact.email`, `economic_data.0.year`).
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import marshmallow as ma
from flask import Response, current_app, g, json

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://patent-filing.example.cn/problems/"
_LOCATIONS = {"json", "query", "form", "files", "headers", "cookies", "path_view_args", "json_or_form"}


class ProblemSchema(ma.Schema):
    """Documented shape of every error response."""

    type = ma.fields.String(required=True, metadata={"description": "URI naming the kind of problem"})
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String()
    instance = ma.fields.String()
    request_id = ma.fields.String()
    errors = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()),
        metadata={"description": "field (dotted path) -> messages"},
    )
    existing = ma.fields.String(metadata={
        "description": "where a conflict is with the caller's own resource: the path of that resource"})


class Problem(Exception):
    """Raised by a view or handler to answer with a problem response."""

    def __init__(self, status: int, detail: str, *, slug: str | None = None,
                 errors: Mapping[str, list[str]] | None = None, title: str | None = None,
                 headers: Mapping[str, str] | None = None, existing: str | None = None):
        super().__init__(detail)
        self.existing = existing
        self.status = status
        self.detail = detail
        self.slug = slug
        self.errors = dict(errors) if errors else None
        self.title = title
        self.headers = dict(headers or {})


def field_errors(messages: Any, prefix: str = "", *, top: bool = True) -> dict[str, list[str]]:
    """Flatten marshmallow's nested messages into {dotted path: [messages]}.

    Only the top level's keys are webargs locations: a field named `form` or `query` keeps
    its name."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            key = str(key)
            if top and key in _LOCATIONS:
                path = ""
            else:
                path = f"{prefix}.{key}" if prefix else key
            for sub_path, texts in field_errors(value, path, top=False).items():
                flat.setdefault(sub_path, []).extend(texts)
    elif isinstance(messages, (list, tuple)):
        texts = [m for m in messages if isinstance(m, str)]
        if texts:
            flat.setdefault(prefix or "_body", []).extend(texts)
        for item in messages:
            if not isinstance(item, str):
                for sub_path, more in field_errors(item, prefix, top=False).items():
                    flat.setdefault(sub_path, []).extend(more)
    elif messages is not None:
        flat.setdefault(prefix or "_body", []).append(str(messages))
    return flat


def problem_response(status: int, detail: str | None = None, *, slug: str | None = None,
                     title: str | None = None, errors: Mapping[str, list[str]] | None = None,
                     headers: Mapping[str, str] | None = None, existing: str | None = None) -> Response:
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (slug or phrase.lower().replace(" ", "-").replace("'", "")),
        "title": title or phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = {k: [str(m) for m in v] for k, v in errors.items()}
    if existing:
        body["existing"] = existing
    request_id = getattr(g, "request_id", None)
    if request_id:
        body["request_id"] = request_id
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
