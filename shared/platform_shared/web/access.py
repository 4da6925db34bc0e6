"""Who may call an endpoint: decorators that state roles, and scope checks for the views.

    @requires("operator", "province_admin")
    def summary(args): ...
        return summaries.of(current_principal(), args["province"], current_uow(...))

`requires` refuses a missing or bad token (`Unauthenticated`, a 401 problem), a token of an
account identity deactivated (401 `account-deactivated`, once the service recorded the event:
`auth.revocations`) and a role that is not listed (`Forbidden`, 403). Scope (which
organisation, which province) depends on the resource and is checked by the handler with the
principal the view passes it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Flask, current_app, g, request

from platform_shared.auth.revocations import RevocationCheck
from platform_shared.auth.tokens import InvalidToken, TokenVerifier
from platform_shared.errors import Forbidden, Unauthenticated
from platform_shared.principal import Principal

VERIFIER_KEY = "token_verifier"
REVOCATIONS_KEY = "token_revocations"
F = TypeVar("F", bound=Callable[..., Any])


def install_verifier(app: Flask, verifier: TokenVerifier, revocations: RevocationCheck | None = None) -> None:
    app.extensions[VERIFIER_KEY] = verifier
    if revocations is not None:
        app.extensions[REVOCATIONS_KEY] = revocations


def _bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Sign in: send 'Authorization: Bearer <access token>'.", slug="unauthenticated")
    return token.strip()


def authenticate() -> Principal:
    """The caller of this request, from its bearer token; `Unauthenticated` otherwise."""
    if "principal" in g:
        return cast(Principal, g.principal)
    verifier: TokenVerifier = current_app.extensions[VERIFIER_KEY]
    try:
        principal = verifier.verify(_bearer_token())
    except InvalidToken as exc:
        raise Unauthenticated(f"The access token is not valid: {exc}", slug="invalid-token") from exc
    revocations: RevocationCheck | None = current_app.extensions.get(REVOCATIONS_KEY)
    if revocations is not None and revocations.refuses(principal.account_id, principal.issued_at):
        raise Unauthenticated("This account was deactivated: its tokens from before are no longer accepted.",
                              slug="account-deactivated")
    g.principal = principal
    return principal


def requires(*roles: str) -> Callable[[F], F]:
    """Only callers holding one of `roles` may call the view (any role if none listed)."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = authenticate()
            if roles and principal.role not in roles:
                raise Forbidden(f"This needs the role {' or '.join(roles)}.", slug="forbidden")
            return view(*args, **kwargs)

        wrapper._roles = roles  # type: ignore[attr-defined]
        return cast(F, wrapper)

    return decorate


def current_principal() -> Principal:
    return authenticate()


def signed_in_principal() -> Principal | None:
    """The caller, if this request authenticated one already (no token is asked for)."""
    principal = g.get("principal")
    return principal if isinstance(principal, Principal) else None
