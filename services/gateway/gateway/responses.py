"""The gateway's own answers (unknown path, upstream down, health) as plain WSGI responses."""

from __future__ import annotations

import json

PROBLEM = "application/problem+json"


def json_response(start_response, status: int, body: dict, content_type: str = "application/json"):
    from http import HTTPStatus

    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    start_response(f"{status} {HTTPStatus(status).phrase}",
                   [("Content-Type", content_type), ("Content-Length", str(len(data))),
                    ("Cache-Control", "no-store")])
    return [data]


def problem(start_response, status: int, detail: str):
    from http import HTTPStatus

    return json_response(start_response, status, {
        "type": "https://patent-filing.example.cn/problems/" + HTTPStatus(status).phrase.lower().replace(" ", "-"),
        "title": HTTPStatus(status).phrase, "status": status, "detail": detail}, PROBLEM)


def index(start_response, services):
    return json_response(start_response, 200, {
        "platform": "专利产品备案平台 — patent product filing platform",
        "services": {name: {"api": f"/api/v1/{name}/", "openapi": f"/api/v1/{name}/openapi.json"}
                     for name in services},
    })
