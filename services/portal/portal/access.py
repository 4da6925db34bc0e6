"""Who is signed in, and which pages each role may open."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec
from urllib.parse import urlsplit

from flask import abort, redirect, request, session, url_for
from flask.typing import ResponseReturnValue

from portal.api import SignedOut, SignIn

Params = ParamSpec("Params")

HOME_OF_ROLE = {"enterprise": "enterprise.organisation", "reviewer": "reviewer.queue",
                "province_admin": "province.dashboard", "operator": "operator.home"}


def current_user() -> SignIn | None:
    user: SignIn | None = session.get("auth")
    return user


def signed_in() -> SignIn:
    """The signed-in account, in a view `role_required` guards (it lets no one else in)."""
    user = current_user()
    if user is None:
        raise SignedOut()
    return user


def home_of(user: SignIn | None) -> str:
    return url_for(HOME_OF_ROLE.get(user["role"], "public.home")) if user else url_for("public.home")


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path of this site, else None: never another site (no open redirect).

    Browsers read a Location leniently (WHATWG URL): they drop tabs and newlines anywhere, strip
    leading controls and spaces, and take a backslash for a slash, so "/" + TAB + "/evil.example"
    or "/" + BACKSLASH + "evil.example" lead away. Only a plain same-origin path is taken: it starts
    with one "/", has no control character, space or backslash, and parses with no scheme or host.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if any(ord(c) < 0x21 or ord(c) == 0x7F or c == "\\" or unicodedata.category(c) in ("Cc", "Cf", "Zs", "Zl", "Zp")
           for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def role_required(*roles: str) -> Callable[[Callable[Params, ResponseReturnValue]],
                                            Callable[Params, ResponseReturnValue]]:
    """Sign-in page for anyone not signed in; 403 for a signed-in role not among `roles` (none
    given: every role may)."""

    def decorate(view: Callable[Params, ResponseReturnValue]) -> Callable[Params, ResponseReturnValue]:
        @wraps(view)
        def guarded(*args: Params.args, **kwargs: Params.kwargs) -> ResponseReturnValue:
            user = current_user()
            if user is None:
                return redirect(url_for("public.login", next=request.full_path.rstrip("?")))
            if roles and user["role"] not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate
