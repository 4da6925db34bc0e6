"""Who is signed in, and which pages each role may open."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, redirect, request, session, url_for

HOME_OF_ROLE = {"enterprise": "enterprise.organisation", "reviewer": "reviewer.queue",
                "province_admin": "province.dashboard", "operator": "operator.home"}


def current_user() -> dict | None:
    return session.get("auth")


def home_of(user: dict | None) -> str:
    return url_for(HOME_OF_ROLE.get(user["role"], "public.home")) if user else url_for("public.home")


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path of this site (never another site: no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def role_required(*roles: str) -> Callable:
    """Sign-in page for anyone not signed in; 403 for a signed-in role not among `roles`."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            user = current_user()
            if user is None:
                return redirect(url_for("public.login", next=request.full_path.rstrip("?")))
            if user["role"] not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate
