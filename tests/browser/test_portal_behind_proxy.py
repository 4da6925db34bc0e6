"""The portal as its own process (`python -m portal serve`, as its container runs it) calling the
platform over HTTP (`PORTAL_API_URL`), behind the gateway in proxy mode: `/` is the portal's,
`/api/v1/` the index of the services, `/api/v1/<service>/` the services'."""

from __future__ import annotations

import sys

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import OPERATOR, REPO, _clean_env
from tests.support.processes import ProcessGroup, free_port, wait_for_http

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]
SERVICES = ("identity", "filing", "review", "reporting", "notify")


@pytest.fixture(scope="module")
def proxied(portal, tmp_path_factory):
    root = tmp_path_factory.mktemp("proxied")
    portal_port, gateway_port = free_port(), free_port()
    group = ProcessGroup(logs=root / "logs", cwd=REPO)
    env = {**_clean_env(), "PORTAL_API_URL": portal.url, "PORTAL_SESSION_KEY": portal.session_key.decode(),
           "PORTAL_COOKIE_SECURE": "false", "DATA_DIR": str(root / "data"), "LOG_JSON": "false"}
    web = group.start("portal serve", [sys.executable, "-m", "portal", "serve", "--bind",
                                       f"127.0.0.1:{portal_port}", "--workers", "1", "--threads", "4"], env)
    upstreams = [f"{name}={portal.url}" for name in SERVICES] + [f"portal=http://127.0.0.1:{portal_port}"]
    gateway = group.start("gateway proxy", [sys.executable, "-m", "gateway", "proxy", "--bind",
                                            f"127.0.0.1:{gateway_port}", "--workers", "1", *upstreams],
                          {**_clean_env(), "LOG_JSON": "false"})
    try:
        wait_for_http(f"http://127.0.0.1:{portal_port}/readyz", group, watch=[web], timeout=45)
        wait_for_http(f"http://127.0.0.1:{gateway_port}/healthz", group, watch=[gateway], timeout=45)
        yield f"http://127.0.0.1:{gateway_port}", f"http://127.0.0.1:{portal_port}"
    finally:
        group.stop_all(timeout=15)


def test_the_portal_in_its_own_process_behind_the_proxy_gateway(proxied, browser):
    gateway, portal_process = proxied
    assert requests.get(f"{portal_process}/healthz", timeout=5).json() == {"status": "ok"}
    index = requests.get(f"{gateway}/api/v1/", timeout=5).json()
    assert set(index["services"]) == set(SERVICES)
    assert requests.get(f"{gateway}/api/v1/nothing", timeout=5).status_code == 404
    context = browser.new_context(base_url=gateway, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto("/")
        expect(page.locator("h1")).to_have_text("专利产品备案平台")
        page.get_by_role("link", name="English").click()  # a cookie set through the proxy
        expect(page.locator("h1")).to_have_text("Patent Product Filing Platform")
        page.goto("/login")
        page.fill("#f-email", OPERATOR[0])
        page.fill("#f-password", OPERATOR[1])
        page.click("form.narrow button[type=submit]")
        expect(page.locator("h1")).to_have_text("Operations")
        assert {c["name"] for c in context.cookies()} >= {"lang", "portal_session"}
        page.goto("/operator/staff")
        expect(page.locator("h1")).to_have_text("Staff accounts")
    finally:
        context.close()
    scraped = requests.get(f"{portal_process}/metrics", timeout=5).text
    assert 'service="portal"' in scraped and "http_requests_total" in scraped
