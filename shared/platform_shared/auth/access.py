"""Who may call an endpoint: decorators that state roles, and scope checks for the views.

    @blp.route("/summary")
    @requires("operator", "province_admin")
    def summary(args): ...
        require_province(current_principal(), args["province"])

`requires` answers 401 (problem) for a missing or bad token and 403 for a role that is not
listed. Scope (which organisation, which province) depends on the resource and is checked in
the view with `current_principal()` and the helpers below.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import current_app, g, request

from platform_shared.auth.tokens import InvalidToken, Principal, TokenVerifier
from platform_shared.web.problems import Problem

VERIFIER_KEY = "token_verifier"
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="patent-filing-platform"'}


def install_verifier(app, verifier: TokenVerifier) -> None:
    app.extensions[VERIFIER_KEY] = verifier


def _bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(401, "Sign in: send 'Authorization: Bearer <access token>'.",
                      slug="unauthenticated", headers=_CHALLENGE)
    return token.strip()


def authenticate() -> Principal:
    """The caller of this request, from its bearer token; a 401 problem otherwise."""
    if "principal" in g:
        return g.principal
    verifier: TokenVerifier = current_app.extensions[VERIFIER_KEY]
    try:
        g.principal = verifier.verify(_bearer_token())
    except InvalidToken as exc:
        raise Problem(401, f"The access token is not valid: {exc}", slug="invalid-token",
                      headers=_CHALLENGE) from exc
    return g.principal


def requires(*roles: str) -> Callable:
    """Only callers holding one of `roles` may call the view (any role if none listed)."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            principal = authenticate()
            if roles and principal.role not in roles:
                raise Problem(403, f"This needs the role {' or '.join(roles)}.", slug="forbidden")
            return view(*args, **kwargs)

        wrapper._roles = roles  # type: ignore[attr-defined]
        return wrapper

    return decorate


def current_principal() -> Principal:
    return authenticate()


def require_province(principal: Principal, province_code: str | None) -> None:
    """403 unless the caller's scope covers `province_code` (None = national: operators only)."""
    if province_code is None:
        if principal.role != "operator":
            raise Problem(403, "Only operators see national figures; name your province.",
                          slug="forbidden")
        return
    if not principal.covers_province(province_code):
        raise Problem(403, "Your account does not cover this province.", slug="forbidden")
