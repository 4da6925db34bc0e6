"""The gateway in front of services that run as separate processes (what the Ingress does in
Kubernetes): `/api/v1/<service>/…` forwarded as is to that service's address, `/api/v1/` the
index of the services, and every other path to the web portal (`portal=URL`) when one is given.

Used where the services run apart without an Ingress: the end-to-end tests and a
multi-process local run. Hop-by-hop headers are dropped, `X-Forwarded-For` is added, the
request id is passed through (or made) so one id follows a request through every service.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from wsgiref.types import StartResponse, WSGIEnvironment

import requests

from gateway.responses import index, problem
from gateway.routes import PORTAL, SERVICES, service_for

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
              "trailers", "transfer-encoding", "upgrade", "host", "content-length"}
MAX_BODY = 20 * 1024 * 1024


class ProxyGateway:
    def __init__(self, upstreams: Mapping[str, str], timeout: float = 30.0) -> None:
        unknown = set(upstreams) - {*SERVICES, PORTAL}
        if unknown:
            raise ValueError(f"unknown services: {sorted(unknown)}")
        self.upstreams = {k: v.rstrip("/") for k, v in upstreams.items()}
        self.timeout = timeout
        self.session = requests.Session()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        name = service_for(path)
        if name is None:
            if path in ("/api/v1", "/api/v1/", "/healthz"):
                return index(start_response, SERVICES)
            if path == "/api" or path.startswith("/api/") or PORTAL not in self.upstreams:
                return problem(start_response, 404, f"No service answers {path}; try /api/v1/<service>/.")
            name = PORTAL
        if name not in self.upstreams:
            return problem(start_response, 503, f"{name} is not configured behind this gateway.")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY:
            return problem(start_response, 413, f"The body is larger than {MAX_BODY} bytes.")
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {key[5:].replace("_", "-").title(): value for key, value in environ.items()
                   if key.startswith("HTTP_") and key[5:].replace("_", "-").lower() not in HOP_BY_HOP}
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        headers.setdefault("X-Request-Id", str(uuid.uuid4()))
        forwarded = environ.get("REMOTE_ADDR", "")
        if headers.get("X-Forwarded-For"):
            forwarded = headers["X-Forwarded-For"] + ", " + forwarded
        headers["X-Forwarded-For"] = forwarded
        url = self.upstreams[name] + path
        if environ.get("QUERY_STRING"):
            url += "?" + environ["QUERY_STRING"]
        try:
            upstream = self.session.request(environ["REQUEST_METHOD"], url, data=body, headers=headers,
                                            timeout=self.timeout, allow_redirects=False, stream=False)
        except requests.RequestException:
            return problem(start_response, 502, f"{name} did not answer.")
        # The raw headers: requests folds repeated ones (several Set-Cookie) into one line.
        response_headers = [(k, v) for k, v in upstream.raw.headers.items()
                            if k.lower() not in HOP_BY_HOP and k.lower() != "content-encoding"]
        response_headers.append(("Content-Length", str(len(upstream.content))))
        start_response(f"{upstream.status_code} {upstream.reason}", response_headers)
        return [upstream.content]
