"""The whole platform in this test process (SQLite under a temporary folder, `memory://`),
exactly as `make run` starts it, minus gunicorn: for API tests and the OpenAPI fuzzing."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from werkzeug.test import Client

from gateway.embedded import EmbeddedPlatform

OPERATOR = ("ops@example.cn", "Operator-pass-2026")


def start_platform(folder: Path) -> EmbeddedPlatform:
    env = {"DATA_DIR": str(folder), "IDENTITY_BOOTSTRAP_OPERATOR": ":".join(OPERATOR),
           "NOTIFY_MAIL_POLL_SECONDS": "0.05", "LOG_JSON": "false"}
    platform = EmbeddedPlatform(env=env, data_dir=folder).open()
    platform.start_background()
    return platform


def sign_in(client: Client, email: str, password: str) -> str:
    response = client.post("/api/v1/identity/tokens", json={"email": email, "password": password})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["access_token"]


def eventually(check: Callable[[], object], timeout: float = 10.0, interval: float = 0.05):
    """Poll `check` until it returns something truthy; its last value otherwise."""
    deadline = time.monotonic() + timeout
    value = check()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = check()
    return value


def organisation_body(**changes) -> dict:
    body = {
        "name": "华为技术有限公司", "uscc": "914403001922038216", "kind": "enterprise",
        "province_code": "440000", "city_code": "440300", "address": "深圳市龙岗区坂田华为基地",
        "legal_representative": {"name": "赵明路", "id_number": "11010519491231002X"},
        "contact": {"name": "张三", "phone": "13800138000", "email": "zhang@example.cn"},
        "account": {"email": "admin@example.cn", "password": "correct horse battery"},
    }
    body.update(changes)
    return body
