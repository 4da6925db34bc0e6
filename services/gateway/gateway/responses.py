"""The gateway's own answers (unknown path, upstream down, health) as plain WSGI responses."""

from __future__ import annotations

import json
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any
from wsgiref.types import StartResponse

PROBLEM = "application/problem+json"


def json_response(start_response: StartResponse, status: int, body: dict[str, Any],
                  content_type: str = "application/json") -> list[bytes]:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    start_response(f"{status} {HTTPStatus(status).phrase}",
                   [("Content-Type", content_type), ("Content-Length", str(len(data))),
                    ("Cache-Control", "no-store")])
    return [data]


def problem(start_response: StartResponse, status: int, detail: str) -> list[bytes]:
    return json_response(start_response, status, {
        "type": "https://patent-filing.example.cn/problems/" + HTTPStatus(status).phrase.lower().replace(" ", "-"),
        "title": HTTPStatus(status).phrase, "status": status, "detail": detail}, PROBLEM)


def index(start_response: StartResponse, services: Iterable[str]) -> list[bytes]:
    return json_response(start_response, 200, {
        "platform": "专利产品备案平台 — patent product filing platform",
        "services": {name: {"api": f"/api/v1/{name}/", "openapi": f"/api/v1/{name}/openapi.json"}
                     for name in services},
    })
