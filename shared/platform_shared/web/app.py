"""The Flask application every service starts from.

`create_service_app()` gives a service, before any of its own routes:
- request ids (`X-Request-ID` taken or made, echoed, put in the logs' correlation id);
- RFC 9457 problem responses for every error, including validation errors with dotted
  field paths, 404/405 of unknown routes and anything unexpected (a 500 without details);
- body limits (413) and media-type checks (415) before a view reads anything;
- `/healthz`, `/readyz` (the database and the broker really asked), `/metrics`;
- its OpenAPI document at `/api/v1/<service>/openapi.json`, documenting problem responses.
"""

from __future__ import annotations

import http
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import marshmallow as ma
from apispec import BasePlugin
from flask import Flask, Response, g, request
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import UUIDConverter

from platform_shared.errors import DomainError
from platform_shared.observability import metrics
from platform_shared.observability.logs import correlation_id
from platform_shared.web.client_address import behind_proxies
from platform_shared.web.field_rules import schema_rules
from platform_shared.web.input_bounds import (
    UnboundedInput,
    check_json_body,
    check_query,
    check_query_encoding,
    document_query_text,
)
from platform_shared.web.operational import cluster_only
from platform_shared.web.problems import (
    PROBLEM_MEDIA_TYPE,
    Problem,
    ProblemSchema,
    domain_problem,
    field_errors,
    problem_response,
)

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
JSON_MEDIA_TYPES = ("application/json",)
BODY_METHODS = ("POST", "PUT", "PATCH")


class UuidText(UUIDConverter):
    """`<uuid_text:product_id>`: a path segment that is a UUID, handed to the view as its text.

    Besides refusing other segments early (404), it keeps a parameterised rule from also
    matching a fixed sibling path (`/products/bulk` is not a product), so `Allow` is exact.
    """

    def to_python(self, value: str) -> str:  # type: ignore[override]
        return str(super().to_python(value))

    def to_url(self, value: object) -> str:
        return str(value)


class QueryTextPlugin(BasePlugin):
    """Every free-text query parameter's schema says that control characters are refused
    (`input_bounds`); runs after the marshmallow plugin has turned schemas into parameters."""

    def operation_helper(self, path: str | None = None, operations: dict[str, Any] | None = None,
                         **kwargs: Any) -> None:
        for operation in (operations or {}).values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if isinstance(parameter, dict):
                    document_query_text(parameter)


class ServiceApi(Api):
    """flask-smorest's Api answering and documenting errors as problem details."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Problem details (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

    def handle_http_exception(self, error: HTTPException) -> Response:
        data = getattr(error, "data", None) or {}
        messages = data.get("errors") or data.get("messages")
        errors = field_errors(messages) if messages else None
        rules = refused_rules(messages, data.get("schema")) if isinstance(messages, Mapping) else None
        status = error.code or 500
        detail = data.get("message")
        if status >= 500:
            detail = "An unexpected error occurred; it has been logged."
        elif errors and not detail:
            detail = "The request has invalid fields: " + ", ".join(sorted(errors))
        elif not detail:
            detail = error.description
        # Keep what the exception says about itself (`Allow` of a 405, `Retry-After` of a 429).
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        headers.update(data.get("headers") or {})
        return problem_response(status, detail, errors=errors, headers=headers, rules=rules)


def accepts(*media_types: str, max_bytes: int | Callable[[], int] | None = None) -> Callable[[F], F]:
    """Declare which request media types (and how large a body) a view takes; JSON by default.

    `max_bytes` may be a callable, asked in each request's context: a limit that comes from
    the service's configuration (e.g. the size of an uploaded document).
    """

    def mark(view: F) -> F:
        view._accepts = media_types  # type: ignore[attr-defined]
        view._max_bytes = max_bytes  # type: ignore[attr-defined]
        return view

    return mark


ReadinessCheck = Callable[[], bool]


def create_service_app(service: str, *, title: str, version: str = "1.0.0",
                       blueprints: Sequence[Blueprint] = (), readiness: dict[str, ReadinessCheck] | None = None,
                       max_body_bytes: int = 1_048_576, description: str = "",
                       configure: Iterable[Callable[[Flask], None]] = (), trusted_proxy_hops: int = 0,
                       trusted_proxies: str = "") -> Flask:
    """A Flask app for `service` with the platform's common behaviour and the given blueprints."""
    app = Flask(service)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # DefaultJSONProvider's: Chinese text as is
    app.config.update(
        API_TITLE=title,
        API_VERSION=version,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=f"/api/v1/{service}",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": description or title},
            "components": {"securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
        },
        MAX_CONTENT_LENGTH=None,
    )
    app.url_map.converters["uuid_text"] = UuidText
    api = ServiceApi(app, spec_kwargs={"extra_plugins": [QueryTextPlugin()]})
    api.register_converter(UuidText, lambda _converter: {"type": "string", "format": "uuid"})
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    app.extensions["service_api"] = api
    app.config["SERVICE_NAME"] = service
    _install_request_handling(app, service, max_body_bytes)
    _install_operational_routes(app, readiness or {})
    for hook in configure:
        hook(app)
    # Behind the Ingress (and the gateway, the portal), the peer is a proxy: the client's address
    # is taken from the X-Forwarded-For its trusted proxies wrote (web.client_address), so rate
    # limits and the audit log see the caller, and a client's own X-Forwarded-For is not believed.
    app.wsgi_app = behind_proxies(  # type: ignore[method-assign,assignment]
        app.wsgi_app, trusted_proxies=trusted_proxies, hops=trusted_proxy_hops)
    return app


def _install_request_handling(app: Flask, service: str, max_body_bytes: int) -> None:
    @app.before_request
    def _start() -> Response | None:
        supplied = request.headers.get("X-Request-ID", "")
        g.request_id = supplied if _REQUEST_ID.match(supplied) else str(uuid.uuid4())
        g.correlation_token = correlation_id.set(g.request_id)
        g.started = time.perf_counter()
        view = app.view_functions.get(request.endpoint or "")
        limit = getattr(view, "_max_bytes", None)
        limit = (limit() if callable(limit) else limit) or max_body_bytes
        request.max_content_length = limit
        if request.content_length is not None and request.content_length > limit:
            return problem_response(413, f"The body is larger than {limit} bytes.", slug="body-too-large")
        try:
            check_query_encoding(request.query_string)
            check_query(request.args.items(multi=True))
            if request.method in BODY_METHODS and request.is_json and request.content_length:
                check_json_body(request.get_data(cache=True))
        except UnboundedInput as refused:
            return problem_response(400, f"The request is refused: {refused.field}: {refused.message}.",
                                    errors={refused.field: [refused.message]}, slug="unbounded-input")
        if request.method in BODY_METHODS and view is not None:
            wanted = getattr(view, "_accepts", JSON_MEDIA_TYPES)
            has_body = (request.content_length or 0) > 0 or request.headers.get("Transfer-Encoding")
            if has_body and request.mimetype not in wanted:
                return problem_response(
                    415, f"Send the body as {' or '.join(wanted)}, not {request.mimetype or 'no type'}.",
                    slug="unsupported-media-type")
        return None

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers["X-Request-ID"] = getattr(g, "request_id", "")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Cache-Control", "no-store")
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        metrics.HTTP_REQUESTS.labels(service, request.method, endpoint, str(response.status_code)).inc()
        if hasattr(g, "started"):
            metrics.HTTP_LATENCY.labels(service, request.method, endpoint).observe(
                time.perf_counter() - g.started)
        return response

    @app.teardown_request
    def _forget(_exc: BaseException | None) -> None:
        token = g.pop("correlation_token", None)
        if token is not None:
            correlation_id.reset(token)

    @app.errorhandler(Problem)
    def _problem(problem: Problem) -> Response:
        return problem_response(problem.status, problem.detail, slug=problem.slug,
                                title=problem.title, errors=problem.errors, headers=problem.headers,
                                existing=problem.existing)

    @app.errorhandler(DomainError)
    def _refused(error: DomainError) -> Response:
        return domain_problem(error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        if isinstance(error, HTTPException):
            api: ServiceApi = app.extensions["service_api"]
            return api.handle_http_exception(error)
        app.logger.error("unhandled error", exc_info=error)
        return problem_response(500, "An unexpected error occurred; it has been logged.")


def _install_operational_routes(app: Flask, readiness: dict[str, ReadinessCheck]) -> None:
    @app.get("/healthz")
    @cluster_only
    def healthz() -> tuple[dict[str, str], int]:
        return {"status": "ok"}, 200

    @app.get("/readyz")
    @cluster_only
    def readyz() -> Response | tuple[dict[str, Any], int]:
        results = {name: bool(check()) for name, check in readiness.items()}
        if all(results.values()):
            return {"status": "ready", "checks": results}, 200
        failing = sorted(name for name, ok in results.items() if not ok)
        return problem_response(503, "Not ready: " + ", ".join(failing) + " unreachable.",
                                slug="not-ready")

    @app.get("/metrics")
    @cluster_only
    def metrics_route() -> Response:
        body, content_type = metrics.exposition()
        return Response(body, content_type=content_type)


def refused_rules(messages: Mapping[str, Any], schema: object) -> dict[str, list[dict[str, str | int]]] | None:
    """The rules each field broke, from webargs' messages (keyed by location) and the schema."""
    if not isinstance(schema, ma.Schema):
        return None
    rules: dict[str, list[dict[str, str | int]]] = {}
    try:
        for location, located in messages.items():
            if isinstance(located, Mapping):
                rules.update(schema_rules(located, schema, _located_data(str(location))))
    except Exception:  # naming the rules is a courtesy: it never turns a 422 into a 500
        log.exception("could not name the rules of a refused request")
        return None
    return rules or None


def _located_data(location: str) -> Any:
    if location == "json":
        return request.get_json(silent=True)
    if location == "query":
        return request.args
    if location in ("form", "files"):
        return CombinedMultiDict([request.form, request.files])
    if location == "json_or_form":
        return request.get_json(silent=True) or request.form
    if location == "path_view_args":
        return request.view_args or {}
    return {}
