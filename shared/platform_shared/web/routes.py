"""One way to declare an endpoint: who may call it, what it reads, what it answers, which
problems it documents — the decorator stack of flask-smorest and the platform, written once.

    @endpoint(blp, "/products", "POST", roles=("enterprise",), body=schemas.ProductDraft,
              response=(201, schemas.Created), problems=(401, 403, 409))
    def create(body: dict[str, Any]) -> dict[str, Any]: ...

`roles=ANYONE` is an endpoint without sign-in; `roles=()` any signed-in caller. The role check
runs before the body is read (a stranger gets 401/403, not 422). `form=` reads one multipart
schema (fields and files) and takes `max_bytes` for the whole body; `doc=` adds to the
operation's OpenAPI entry (e.g. the media type of a file response); `response=None` declares no
response schema (an endpoint answering with a file documents its 200 through `doc=`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import marshmallow as ma

from platform_shared.web.access import requires
from platform_shared.web.app import accepts
from platform_shared.web.blueprint import ServiceBlueprint
from platform_shared.web.rate_limited import RateLimit, rate_limited

F = TypeVar("F", bound=Callable[..., Any])
BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]
ANYONE: None = None
SchemaArg = type[ma.Schema] | ma.Schema
Decorator = Callable[[F], F]


def endpoint(blp: ServiceBlueprint, rule: str, method: str = "GET", *, roles: Sequence[str] | None,
             body: SchemaArg | None = None, query: SchemaArg | None = None, form: SchemaArg | None = None,
             response: int | tuple[int, SchemaArg | None] | None = 200, problems: Sequence[int] = (),
             doc: Mapping[str, Any] | None = None, max_bytes: int | Callable[[], int] | None = None,
             rate_limit: RateLimit | None = None,
             alt_responses: Mapping[int, Mapping[str, Any]] | None = None) -> Callable[[F], F]:
    """The decorators of one endpoint, applied in the order the platform relies on."""

    def declare(view: F) -> F:
        decorated: Any = view
        if form is not None:
            decorated = accepts("multipart/form-data", max_bytes=max_bytes)(decorated)
        for status, options in (alt_responses or {}).items():
            decorated = blp.alt_response(status, **options)(decorated)
        if rate_limit is not None:
            decorated = rate_limited(rate_limit)(decorated)
        listed = (*problems, 429) if rate_limit is not None and 429 not in problems else tuple(problems)
        if listed:
            decorated = blp.problems(*listed)(decorated)
        success, schema = response if isinstance(response, tuple) else (response, None)
        if success is not None:
            decorated = blp.response(success, schema)(decorated) if schema is not None else \
                blp.response(success)(decorated)
        if form is not None:
            decorated = blp.arguments(form, location="form", content_type="multipart/form-data")(decorated)
        if body is not None:
            decorated = blp.arguments(body)(decorated)
        if query is not None:
            decorated = blp.arguments(query, location="query")(decorated)
        if roles is not None:
            decorated = requires(*roles)(decorated)
        documentation = dict(doc or {})
        if roles is not None:
            documentation.setdefault("security", BEARER)
        if documentation:
            decorated = blp.doc(**documentation)(decorated)
        declared: F = blp.route(rule, methods=[method])(decorated)
        return declared

    return declare
