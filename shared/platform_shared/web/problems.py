"""RFC 9457 problem details: the one shape every error of every service takes.

`problem_response()` builds the body. Handlers raise domain errors (`platform_shared.errors`);
`PROBLEM_STATUS` is the one map from each kind to its status, and `domain_problem()` answers
with it. `Problem` is for the web layer's own refusals (an HTTP matter with no domain meaning).
Validation errors of marshmallow arrive as nested dicts keyed by location (`json`, `query`,
`files`...); `field_errors()` flattens them into dotted field paths (`contact.email`,
`economic_data.0.year`).
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import marshmallow as ma
from flask import Response, current_app, g, json

from platform_shared import errors
from platform_shared.errors import Rule, rule_of

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
    rules = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.List(ma.fields.Dict(keys=ma.fields.String())),
        metadata={"description": "field (dotted path) -> the rules it broke, each `{rule, ...its values}` "
                                 "(`required`, `length` with `min`/`max`, `type`, `one_of`, `format`, or a "
                                 "domain rule such as `password.too_short`): for clients that word the "
                                 "messages in their own language"})
    params = ma.fields.Dict(keys=ma.fields.String(), metadata={
        "description": "the values the detail mentions (dates, limits), for the same clients"})
    existing = ma.fields.String(metadata={
        "description": "where a conflict is with the caller's own resource: the path of that resource"})


# The one map from a domain error to its HTTP status (the nearest class in the error's MRO wins).
PROBLEM_STATUS: dict[type[errors.DomainError], int] = {
    errors.InvalidInput: 400,
    errors.Unauthenticated: 401,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.QuotaExceeded: 409,
    errors.Gone: 410,
    errors.TooLarge: 413,
    errors.UnsupportedMedia: 415,
    errors.RuleBroken: 422,
    errors.TooManyRequests: 429,
    errors.Unavailable: 503,
}
# RFC 9110: a 401 names how to authenticate.
BEARER_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="patent-filing-platform"'}


def status_of(error: errors.DomainError) -> int:
    for kind in type(error).__mro__:
        if kind in PROBLEM_STATUS:
            return PROBLEM_STATUS[kind]
    return 400


def domain_problem(error: errors.DomainError) -> Response:
    """The problem response for a domain error: its status from `PROBLEM_STATUS`, its slug,
    field errors and, for 429 and 503, `Retry-After`."""
    status = status_of(error)
    headers: dict[str, str] = dict(BEARER_CHALLENGE) if status == 401 else {}
    if error.retry_after is not None:
        headers["Retry-After"] = str(error.retry_after)
    rules = {field: [described for m in messages if (described := rule_of(m))]
             for field, messages in (error.errors or {}).items()}
    return problem_response(status, error.detail, slug=error.slug, title=error.title, errors=error.errors,
                            headers=headers, existing=error.existing,
                            rules={field: found for field, found in rules.items() if found} or None,
                            params=error.detail.params if isinstance(error.detail, Rule) else None)


class Problem(Exception):
    """Raised by the web layer to answer with a problem response for an HTTP matter."""

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


def field_errors(messages: object, prefix: str = "", *, top: bool = True) -> dict[str, list[str]]:
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
                     headers: Mapping[str, str] | None = None, existing: str | None = None,
                     rules: Mapping[str, list[dict[str, str | int]]] | None = None,
                     params: Mapping[str, str | int] | None = None) -> Response:
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
    if rules:
        body["rules"] = {k: list(v) for k, v in rules.items()}
    if params:
        body["params"] = dict(params)
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
