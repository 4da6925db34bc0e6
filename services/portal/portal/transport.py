"""How the portal reaches the platform's public API: one interface, two transports.

- `HttpTransport`: HTTP to `PORTAL_API_URL` (the gateway or the Ingress) — the portal as its own
  process or container.
- `WsgiTransport`: the embedded default, where the portal lives in the gateway's process: the
  same requests, handed to the gateway's WSGI application in-process (werkzeug's test client),
  so they pass through exactly the routing, auth and validation an HTTP request would.

Either way the portal sees only `/api/v1/<service>/…` answers: it never reaches a service's
code or data by another path.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from wsgiref.types import WSGIApplication

import requests
from werkzeug.test import Client

# A file to upload: (file name, content, media type).
Upload = tuple[str, bytes, str]


@dataclass(frozen=True)
class ApiRequest:
    method: str
    path: str  # /api/v1/<service>/…
    headers: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, Any] | None = None
    json: Any = None
    form: Mapping[str, str] | None = None
    # Given (even empty): the form goes as multipart/form-data, as an HTML form with a file input does.
    files: Mapping[str, Upload] | None = None
    client_address: str | None = None


@dataclass(frozen=True)
class ApiResponse:
    status: int
    headers: Mapping[str, str]
    content: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        return json.loads(self.content.decode("utf-8")) if self.content else None

    @property
    def media_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip()


class ApiTransport(Protocol):
    def send(self, request: ApiRequest) -> ApiResponse: ...


class TransportError(Exception):
    """The API could not be reached at all (not an HTTP error answer)."""


def _clean_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (params or {}).items() if v not in (None, "")}


class HttpTransport:
    def __init__(self, base_url: str, timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()

    def send(self, request: ApiRequest) -> ApiResponse:
        headers = dict(request.headers)
        if request.client_address:
            headers["X-Forwarded-For"] = request.client_address
        files: dict[str, Any] | None = None
        form: Mapping[str, str] | None = request.form
        if request.files is not None:  # multipart, the form's fields as parts without a file name
            files = {name: (None, value) for name, value in (request.form or {}).items()}
            files.update({name: (upload[0], upload[1], upload[2]) for name, upload in request.files.items()})
            form = None
        try:
            answer = self.session.request(request.method, self.base_url + request.path, headers=headers,
                                          params=_clean_params(request.params), json=request.json,
                                          data=form, files=files, timeout=self.timeout,
                                          allow_redirects=False)
        except requests.RequestException as exc:
            raise TransportError(str(exc)) from exc
        return ApiResponse(answer.status_code, dict(answer.headers), answer.content)


class WsgiTransport:
    def __init__(self, app: WSGIApplication):
        self.client = Client(app, use_cookies=False)

    def send(self, request: ApiRequest) -> ApiResponse:
        data: Any = None
        if request.form is not None or request.files:
            data = dict(request.form or {})
            for name, (filename, content, media_type) in (request.files or {}).items():
                data[name] = (io.BytesIO(content), filename, media_type)
        environ = {"REMOTE_ADDR": request.client_address or "127.0.0.1"}
        content_type = "multipart/form-data" if request.files is not None else None
        answer = self.client.open(request.path, method=request.method, headers=dict(request.headers),
                                  query_string=_clean_params(request.params), json=request.json, data=data,
                                  content_type=content_type, environ_base=environ, buffered=True)
        try:
            return ApiResponse(answer.status_code, dict(answer.headers), answer.get_data())
        finally:
            answer.close()
