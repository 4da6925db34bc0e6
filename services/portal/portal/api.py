"""The platform's public API as the signed-in person's browser session uses it.

Every call goes through one `ApiTransport`, with the session's access token. An access token
that has expired (or is about to) is renewed with the refresh token first; a 401 is answered
once by a renewal and a retry; when the refresh token is refused too the person is signed out.
Problem responses (RFC 9457) become `Problem`s whose `errors` map dotted field paths to
messages, which the forms show next to their fields.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn, TypedDict

from flask import g, request, session

from portal.transport import ApiRequest, ApiResponse, ApiTransport, TransportError, Upload

IDENTITY = "/api/v1/identity"
RENEW_BEFORE_SECONDS = 30
# A refresh token works once, and spending it twice revokes the whole sign-in: requests of one
# session that renew at the same moment (two tabs) share the first renewal for this long.
SHARED_RENEWAL_SECONDS = 60


class SignIn(TypedDict):
    """The session's sign-in: the account's tokens, when they expire and since when the person is
    signed in, and who the account is (what the pages show and which pages it may open)."""

    access: str
    refresh: str
    exp: float
    since: float
    id: str
    email: str
    role: str
    organisation_id: str | None
    province_code: str | None


@dataclass(frozen=True)
class Problem:
    status: int
    title: str = ""
    detail: str = ""
    type: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    rules: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    params: dict[str, object] = field(default_factory=dict)
    existing: str | None = None

    @classmethod
    def of(cls, response: ApiResponse) -> Problem:
        body: Any = None
        if response.media_type.endswith("json"):
            try:
                body = response.json()
            except ValueError:
                body = None
        if not isinstance(body, dict):
            return cls(response.status, detail=response.content[:200].decode("utf-8", "replace"))
        errors = {str(k): [str(m) for m in (v if isinstance(v, list) else [v])]
                  for k, v in (body.get("errors") or {}).items()}
        rules = {str(k): [r for r in v if isinstance(r, dict)] for k, v in (body.get("rules") or {}).items()
                 if isinstance(v, list)}
        params = body.get("params") if isinstance(body.get("params"), dict) else {}
        existing = body.get("existing") if isinstance(body.get("existing"), str) else None
        return cls(response.status, str(body.get("title", "")), str(body.get("detail", "")),
                   str(body.get("type", "")), errors, rules, dict(params or {}), existing)


class ApiError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(f"{problem.status} {problem.detail}")
        self.problem = problem


class SignedOut(Exception):
    """The session has no valid sign-in (any more)."""


class Unreachable(Exception):
    """The platform's API did not answer."""


class PlatformApi:
    def __init__(self, transport: ApiTransport, session_seconds: int):
        self.transport = transport
        self.session_seconds = session_seconds
        self._lock = threading.Lock()
        self._renewals: dict[str, tuple[float, dict[str, Any]]] = {}

    # --- calls -----------------------------------------------------------------------------
    def call(self, method: str, path: str, *, params: Mapping[str, Any] | None = None, json: Any = None,
             form: Mapping[str, str] | None = None, files: Mapping[str, Upload] | None = None,
             signed: bool = True) -> ApiResponse:
        auth: SignIn | None = session.get("auth") if signed else None
        if auth and (auth["exp"] - RENEW_BEFORE_SECONDS <= time.time()):
            auth = self._renew(auth)
        response = self._send(method, path, auth["access"] if auth else None, params, json, form, files)
        if response.status == 401 and auth:
            auth = self._renew(auth)
            response = self._send(method, path, auth["access"], params, json, form, files)
        return response

    def get(self, path: str, params: Mapping[str, Any] | None = None, signed: bool = True) -> Any:
        """The JSON of a GET that must succeed (ApiError otherwise)."""
        response = self.call("GET", path, params=params, signed=signed)
        if not response.ok:
            raise ApiError(Problem.of(response))
        return response.json()

    def _send(self, method: str, path: str, access: str | None, params: Mapping[str, Any] | None, json: Any,
              form: Mapping[str, str] | None, files: Mapping[str, Upload] | None) -> ApiResponse:
        """One request, with the access token `access` when one is given."""
        headers = {"X-Request-ID": getattr(g, "request_id", ""), "Accept": "application/json"}
        if access:
            headers["Authorization"] = f"Bearer {access}"
        try:
            return self.transport.send(ApiRequest(method, path, headers, params, json, form, files,
                                                  request.remote_addr))
        except TransportError as exc:
            raise Unreachable(str(exc)) from exc

    # --- signing in and out --------------------------------------------------------------------
    def sign_in(self, email: str, password: str) -> Problem | None:
        response = self._send("POST", f"{IDENTITY}/tokens", None, None,
                              {"email": email, "password": password}, None, None)
        if not response.ok:
            return Problem.of(response)
        self._keep(response.json(), since=time.time())
        return None

    def sign_out(self) -> None:
        """Forget the sign-in and revoke its refresh token at identity.

        identity has no revocation endpoint; what it offers is reuse detection: a refresh token
        presented a second time revokes its whole family (every token of this sign-in). So the
        token is spent once (its successor never leaves this function) and presented again.
        """
        auth: SignIn | None = session.pop("auth", None)
        session.modified = True
        if not auth:
            return
        for _ in range(2):
            self._send("POST", f"{IDENTITY}/tokens/refresh", None, None, {"refresh_token": auth["refresh"]},
                       None, None)

    def _renew(self, auth: SignIn) -> SignIn:
        if time.time() - auth.get("since", 0) > self.session_seconds:
            self._forget()
        now = time.monotonic()
        with self._lock:
            for token, (at, _) in list(self._renewals.items()):
                if now - at > SHARED_RENEWAL_SECONDS:
                    del self._renewals[token]
            shared = self._renewals.get(auth["refresh"])
            if shared is None:
                response = self._send("POST", f"{IDENTITY}/tokens/refresh", None, None,
                                      {"refresh_token": auth["refresh"]}, None, None)
                if not response.ok:
                    self._forget()
                shared = (now, response.json())
                self._renewals[auth["refresh"]] = shared
        return self._keep(shared[1], since=auth.get("since", time.time()), me=auth)

    def _forget(self) -> NoReturn:
        session.pop("auth", None)
        session.modified = True
        raise SignedOut()

    def _keep(self, pair: Mapping[str, Any], since: float, me: Mapping[str, Any] | None = None) -> SignIn:
        """The sign-in of a new token pair, kept in the session; who it is of from `me` (the sign-in
        renewed), or asked of identity (`/me`) with the new access token."""
        exp = time.time() + int(pair.get("expires_in", 900))
        if me is None:
            response = self._send("GET", f"{IDENTITY}/me", pair["access_token"], None, None, None, None)
            if not response.ok:
                raise ApiError(Problem.of(response))
            me = response.json()
        auth = SignIn(access=pair["access_token"], refresh=pair["refresh_token"], exp=exp, since=since, id=me["id"],
                      email=me["email"], role=me["role"], organisation_id=me.get("organisation_id"),
                      province_code=me.get("province_code"))
        session["auth"] = auth
        return auth
