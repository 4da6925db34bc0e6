"""The portal's session: an encrypted, HttpOnly, SameSite=Lax cookie, and its CSRF token.

The session (the signed-in account's access and refresh tokens, the CSRF token, flashed
messages) lives in one cookie encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under
`PORTAL_SESSION_KEY`: no page script can read it (HttpOnly), other sites' forms do not send it
(SameSite=Lax), it is sent over HTTPS only (Secure; switched off only for the embedded default on
http://127.0.0.1), and neither the browser's user nor a thief of the cookie can read the tokens
out of it. The portal keeps nothing on its side, so any number of replicas share the key and
serve any request. A cookie older than `PORTAL_SESSION_HOURS` is refused (Fernet's TTL).

CSRF: a synchronizer token, random per session, kept inside the encrypted cookie and put into
every form as `csrf_token`; every POST must carry it (400 otherwise).
"""

from __future__ import annotations

import hmac
import json
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, Request, Response, abort, request, session
from flask.sessions import SecureCookieSession, SessionInterface, SessionMixin

COOKIE = "portal_session"
CSRF_FIELD = "csrf_token"


class EncryptedCookieSessionInterface(SessionInterface):
    session_class = SecureCookieSession

    def __init__(self, keys: tuple[bytes, ...], max_age_seconds: int, secure: bool):
        self.fernet = MultiFernet([Fernet(key) for key in keys])
        self.max_age = max_age_seconds
        self.secure = secure

    def open_session(self, app: Flask, request_: Request) -> SecureCookieSession:
        token = request_.cookies.get(COOKIE)
        if not token:
            return self.session_class()
        try:
            data = json.loads(self.fernet.decrypt(token.encode("ascii"), ttl=self.max_age))
        except (InvalidToken, ValueError, UnicodeError):
            return self.session_class()
        return self.session_class(data if isinstance(data, dict) else {})

    def save_session(self, app: Flask, session_: SessionMixin, response: Response) -> None:
        if not session_:
            if session_.modified and COOKIE in request.cookies:
                response.delete_cookie(COOKIE, path="/", secure=self.secure, httponly=True, samesite="Lax")
            return
        if not session_.modified:
            return
        response.vary.add("Cookie")
        token = self.fernet.encrypt(json.dumps(dict(session_), separators=(",", ":")).encode("utf-8"))
        response.set_cookie(COOKIE, token.decode("ascii"), max_age=self.max_age, path="/", secure=self.secure,
                            httponly=True, samesite="Lax")


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def check_csrf() -> None:
    """Refuse (400) a state-changing request without this session's CSRF token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = session.get("csrf")
    given = request.form.get(CSRF_FIELD, "") or request.headers.get("X-CSRF-Token", "")
    if not expected or not given or not hmac.compare_digest(expected, given):
        abort(400, description="csrf")
