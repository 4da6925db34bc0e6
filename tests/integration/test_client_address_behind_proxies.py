"""The user's address through the platform's proxies, as deployed: the services trust only the
proxies' network (`TRUSTED_PROXIES`), the portal passes each user's address on in
`X-Forwarded-For` over HTTP, so the failed-sign-in budget and the anonymous rate limits count
per user — an attacker who spends its own budget through the portal does not lock out another
portal user —, a spoofed `X-Forwarded-For` from outside the proxies is ignored, and the audit
log records the user's address.

The session's platform is put behind a real HTTP server on 127.0.0.1 and its services made to
trust 127.0.0.0/8 (standing for the pod network) with low limits counted afresh, for each test;
the portal runs as its own process would, calling that server as a pod calls the Ingress, behind
an Ingress of its own (10.0.0.0/8). One platform per process: a second would rebind the
services' global database proxies under the session's."""

from __future__ import annotations

import html
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest
from cryptography.fernet import Fernet
from werkzeug.serving import make_server

from identity.adapters.sign_in_limits import protection_from_settings
from platform_shared.rate_limits import RateLimits
from platform_shared.web.client_address import behind_proxies
from portal.app import create_app
from portal.config import PortalSettings
from tests.support.embedded import OPERATOR, ApiClient, sign_in
from tests.support.members import PASSWORD, Member, bearer

pytestmark = pytest.mark.integration

INGRESS = "10.1.0.5"  # the Ingress controller's pod, in front of the portal
SIGN_IN_FAILURES = 3
LOOKUPS = 3


def _addresses() -> tuple[str, str, str]:
    """An attacker's, a user's and a spoofed address of this test's own (the platform's limits are
    counted in one store for the whole session)."""
    tag = uuid.uuid4().int
    return (f"198.51.{tag % 250}.{tag // 250 % 250 + 1}", f"203.0.{tag % 249}.{tag // 249 % 250 + 1}",
            f"192.0.2.{tag % 250 + 1}")


@pytest.fixture
def deployed(platform, monkeypatch) -> Iterator[str]:
    """The session's platform as deployed, at the URL this yields: its services trust the pod
    network (127.0.0.0/8 here, as `create_service_app` does with TRUSTED_PROXIES), failed
    sign-ins are limited to SIGN_IN_FAILURES a minute per address and public filing checks to
    LOOKUPS, in fresh stores."""
    for app in platform.apps.values():
        monkeypatch.setattr(app, "wsgi_app", behind_proxies(app.wsgi_app, trusted_proxies="127.0.0.0/8"))
    identity = platform.runtimes["identity"]
    low = {"SIGN_IN_LIMIT_PER_ADDRESS": f"{SIGN_IN_FAILURES}/minute"}
    protection = protection_from_settings(lambda name, default: low.get(name, default))
    monkeypatch.setattr(identity, "dependencies", replace(identity.dependencies, sign_in_protection=protection))
    monkeypatch.setitem(platform.apps["filing"].extensions, "rate_limits", RateLimits(
        "memory://", lambda scope, default: f"{LOOKUPS}/minute" if scope == "public_verification" else default))
    server = make_server("127.0.0.1", 0, platform.wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture
def portal(deployed) -> Iterator[object]:
    """The portal as its own process runs it: HTTP to the API, behind the Ingress (10.0.0.0/8)."""
    settings = PortalSettings(api_url=deployed, api_timeout=10.0, session_keys=(Fernet.generate_key(),),
                              cookie_secure=False, session_hours=12, trusted_proxy_hops=0,
                              trusted_proxies="10.0.0.0/8")
    app = create_app(settings)
    yield app
    app.extensions["portal.api"].transport.session.close()


class Browser(ApiClient):
    """A person's browser at `address`, reaching the portal through the Ingress (whose pod is the
    portal's peer, and which writes the address it received the request from)."""

    def __init__(self, portal, address: str) -> None:
        super().__init__(portal)
        self.through_ingress = {"REMOTE_ADDR": INGRESS, "HTTP_X_FORWARDED_FOR": address}

    def open(self, *args, **kwargs):
        kwargs["environ_base"] = {**self.through_ingress, **kwargs.get("environ_base", {})}
        return super().open(*args, **kwargs)


def browser_of(portal, address: str) -> Browser:
    return Browser(portal, address)


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no CSRF token"
    return html.unescape(found.group(1))


def sign_in_through_portal(browser: Browser, email: str, password: str) -> int:
    form = browser.get("/login").get_data(as_text=True)
    return browser.post("/login", data={"email": email, "password": password, "csrf_token": _csrf(form)}).status_code


def test_an_attacker_spending_its_sign_in_budget_through_the_portal_does_not_lock_out_another_user(platform,
                                                                                                portal):
    ATTACKER, USER, SPOOFED = _addresses()
    api = ApiClient(platform.wsgi)
    member = Member(api)  # registered from 127.0.0.1 straight to the API
    attacker, user = browser_of(portal, ATTACKER), browser_of(portal, USER)
    guessed = [f"guess-{uuid.uuid4().hex[:8]}@example.cn" for _ in range(SIGN_IN_FAILURES)]
    for email in guessed:
        assert sign_in_through_portal(attacker, email, "wrong password") == 401
    assert sign_in_through_portal(attacker, member.email, PASSWORD) == 429  # its budget is spent ...
    assert sign_in_through_portal(user, member.email, PASSWORD) == 302  # ... not the other user's

    # Straight to identity from outside the proxies, an X-Forwarded-For naming someone else is not believed.
    spoofing = api.post("/api/v1/identity/tokens", json={"email": member.email, "password": PASSWORD},
                        environ_base={"REMOTE_ADDR": ATTACKER, "HTTP_X_FORWARDED_FOR": USER})
    assert spoofing.status_code == 429 and spoofing.get_json()["type"].endswith("/too-many-sign-ins")
    # From inside (a proxy), the address it names is believed: the attacker's budget is still spent.
    proxied = api.post("/api/v1/identity/tokens", json={"email": member.email, "password": PASSWORD},
                       environ_base={"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": f"{SPOOFED}, {ATTACKER}"})
    assert proxied.status_code == 429

    # The audit log has each sign-in under the address of who made it, not the portal's.
    operator = bearer(sign_in(api, *OPERATOR))
    entries = api.get("/api/v1/identity/audit-log?per_page=200", headers=operator).get_json()["items"]
    succeeded = [e for e in entries if e["action"] == "sign_in.succeeded" and e["detail"]["email"] == member.email]
    failed = [e for e in entries if e["action"] == "sign_in.failed" and e["detail"]["email"] in guessed]
    assert succeeded[0]["address"] == USER  # newest first: the sign-in through the portal
    assert [e["address"] for e in failed] == [ATTACKER] * SIGN_IN_FAILURES


def test_the_anonymous_rate_limits_count_per_portal_user(portal):
    ATTACKER, USER, _ = _addresses()
    attacker, user = browser_of(portal, ATTACKER), browser_of(portal, USER)
    lookup = "/verify?number=BA-2000-44-999999"  # a public filing check: rate-limited per address
    not_found, refused = "该备案号不存在", "操作过于频繁"  # the catalogue's words for too-many-requests
    pages = [html.unescape(attacker.get(lookup).get_data(as_text=True)) for _ in range(LOOKUPS + 1)]
    assert all(not_found in page and refused not in page for page in pages[:LOOKUPS])
    assert refused in pages[-1]  # the attacker's own limit ...
    page = html.unescape(user.get(lookup).get_data(as_text=True))
    assert not_found in page and refused not in page  # ... is not the other user's
