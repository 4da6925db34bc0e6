"""`create_app(settings, transport)`: the portal's Flask application."""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from flask import Flask, Response, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from platform_shared.observability import metrics
from platform_shared.pdf import PdfFont
from platform_shared.web.client_address import behind_proxies
from portal import i18n
from portal.access import current_user, home_of
from portal.api import ApiError, PlatformApi, SignedOut, Unreachable
from portal.config import PortalSettings
from portal.forms import field_id
from portal.labels import label_helpers
from portal.problem_words import summary
from portal.sessions import EncryptedCookieSessionInterface, check_csrf, csrf_token
from portal.transport import ApiTransport, HttpTransport

log = logging.getLogger(__name__)
MAX_UPLOAD = 25 * 1024 * 1024  # the API's limits are 10 MB (documents, materials, bulk files)
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")


def create_app(settings: PortalSettings, transport: ApiTransport | None = None) -> Flask:
    if transport is None:
        if not settings.api_url:
            raise ValueError("PORTAL_API_URL is not set and no transport was given")
        transport = HttpTransport(settings.api_url, settings.api_timeout)
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=MAX_UPLOAD, TEMPLATES_AUTO_RELOAD=False)
    session_seconds = settings.session_hours * 3600
    app.session_interface = EncryptedCookieSessionInterface(settings.session_keys, session_seconds,
                                                            settings.cookie_secure)
    app.extensions["portal.api"] = PlatformApi(transport, session_seconds)
    # Flask's documented way to wrap its WSGI application in a middleware: the user's address
    # (and scheme) as the trusted proxies in front say (platform_shared.web.client_address).
    app.wsgi_app = behind_proxies(  # type: ignore[method-assign,assignment]
        app.wsgi_app, trusted_proxies=settings.trusted_proxies, hops=settings.trusted_proxy_hops, proto=True)

    # The CJK font the portal's PDFs (the manual) are set in, found once.
    app.extensions["portal.pdf_font"] = PdfFont.find(settings.pdf_font)

    from portal.views import (
        amendments,
        console,
        enterprise,
        health,
        manual,
        operator,
        province,
        public,
        recognition,
        reviewer,
    )

    for module in (public, enterprise, amendments, reviewer, province, operator, console, recognition, manual,
                   health):
        app.register_blueprint(module.blp)

    @app.before_request
    def _before() -> None:
        g.request_id = request.headers.get("X-Request-ID") or str(uuid.uuid4())
        g.started = time.perf_counter()
        check_csrf()

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        metrics.HTTP_REQUESTS.labels("portal", request.method, endpoint, str(response.status_code)).inc()
        if "started" in g:
            metrics.HTTP_LATENCY.labels("portal", request.method, endpoint).observe(time.perf_counter() - g.started)
        return response

    # Helpers every template and macro may call (macros are imported without the context).
    app.jinja_env.globals.update(t=i18n.translate, csrf_token=csrf_token, field_id=field_id, **label_helpers())

    @app.context_processor
    def _context() -> dict[str, Any]:
        language = i18n.current_language()
        return {"lang": language, "html_lang": i18n.HTML_LANG[language], "user": current_user(),
                "home_url": home_of(current_user())}

    @app.errorhandler(SignedOut)
    def _signed_out(_: SignedOut) -> ResponseReturnValue:
        flash(i18n.translate("auth.signed_out"), "info")
        return redirect(url_for("public.login", next=request.full_path.rstrip("?")))

    @app.errorhandler(Unreachable)
    def _unreachable(exc: Unreachable) -> ResponseReturnValue:
        log.warning("the API did not answer: %s", exc)
        return render_template("error.html", status=503, message=i18n.translate("error.unreachable")), 503

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> ResponseReturnValue:
        status = exc.problem.status if exc.problem.status in (400, 403, 404, 409, 410, 422, 429) else 502
        return render_template("error.html", status=status, message=summary(exc.problem)), status

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> ResponseReturnValue:
        status = exc.code or 500  # every HTTPException that reaches here has its code
        key = "error.csrf" if status == 400 and exc.description == "csrf" else f"error.{status}"
        return render_template("error.html", status=status, message=i18n.translate_or(key, exc.name)), status

    return app
