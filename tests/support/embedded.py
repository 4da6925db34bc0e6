"""The whole platform in this test process (SQLite under a temporary folder, `memory://`),
exactly as `make run` starts it, minus gunicorn: for API tests and the OpenAPI fuzzing."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from werkzeug.test import Client, TestResponse

from gateway.embedded import EmbeddedPlatform

OPERATOR = ("ops@example.cn", "Operator-pass-2026")
# The suite registers hundreds of organisations and checks numbers from one address (127.0.0.1):
# the anonymous endpoints' limits are raised for it. The limits themselves are tested with their
# own low values (tests/integration/test_anonymous_rate_limits.py).
GENEROUS_RATE_LIMITS = {f"RATE_LIMIT_{scope}": "1000000/hour" for scope in (
    "REGISTRATION", "PROVINCE_PORT_APPLICATION", "PASSWORD_SETUP", "PUBLIC_VERIFICATION", "PUBLIC_NOTICE",
    "PASSWORD_RESET", "PASSWORD_RESET_PER_ADDRESS", "FORM_GENERATION")}


class ApiClient(Client):
    """werkzeug's test client, reading every response whole and closing it, and closing the
    request's body too (a streamed file response, or a large multipart body that werkzeug spooled
    to a temporary file and the app refused unread, would otherwise stay open until the garbage
    collector finds it)."""

    def open(self, *args: Any, buffered: bool = True, **kwargs: Any) -> TestResponse:
        response = super().open(*args, buffered=buffered, **kwargs)
        body = response.request.environ.get("wsgi.input")
        if body is not None and hasattr(body, "close"):
            body.close()
        return response


def start_platform(folder: Path, **settings: str) -> EmbeddedPlatform:
    """The embedded platform under `folder`; `settings` add to or override its environment (a
    second platform in one process needs its own `AMQP_URL`: memory:// is one per process)."""
    env = {"DATA_DIR": str(folder), "IDENTITY_BOOTSTRAP_OPERATOR": ":".join(OPERATOR),
           "NOTIFY_MAIL_POLL_SECONDS": "0.05", "LOG_JSON": "false", **GENEROUS_RATE_LIMITS, **settings}
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


def sent_deliveries(platform: EmbeddedPlatform, recipient: str, event_type: str) -> list[Any]:
    """notify's deliveries of `event_type` to `recipient` that went out."""
    from notify.adapters.orm import Delivery

    with platform.runtimes["notify"].database.connection_context():
        return list(Delivery.select().where(Delivery.recipient == recipient, Delivery.event_type == event_type,
                                            Delivery.state == "sent"))


def mailed_link(platform: EmbeddedPlatform, email: str, event_type: str = "identity.account.invited") -> str:
    """The one-time password-setup link as its holder gets it: in the mail notify sent, as the
    mail sink wrote it (identity's outbox keeps it only until the broker has the event, and
    notify's delivery keeps a placeholder: the link is put in only as the mail goes out)."""
    from email import policy
    from email.parser import BytesParser

    mails = eventually(lambda: sent_deliveries(platform, email, event_type), timeout=20)
    assert len(mails) == 1, f"expected one {event_type} mail to {email}, found {len(mails)}"
    eml = platform.runtimes["notify"].settings.data_dir / "mail" / f"{mails[0].id}.eml"
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/password-setup#\S+", text)
    assert link, text
    return link.group(0)
