"""The platform as the README starts it (`python -m gateway embedded`, in a subprocess on a free
port with its own DATA_DIR and first operator), and Debian's Chromium driven by Playwright.

- `portal`: the running platform, the mails of its sink (DATA_DIR/mail/*.eml), its session key
  (set here, so a test can read the portal's encrypted cookie), `reporting publish-month`
  against its DATA_DIR, and the folder the screenshots go to (printed at the end of the run).
- `browser`: headless /usr/bin/chromium (`playwright install` cannot download here); the tests
  are skipped, saying why, where it is not installed (`.ci/run` installs it).
- `visitor`: a new browser context (its own cookies) per person, Chinese by default.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.support.embedded import GENEROUS_RATE_LIMITS
from tests.support.processes import ManagedProcess, ProcessGroup, free_port, wait_for_http, wait_until

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
OPERATOR = ("ops@example.cn", "Operator-browser-2026")
LINK = re.compile(r"https?://[^\s\"'<>]+/password-setup#[A-Za-z0-9_-]+")


@dataclass
class Portal:
    url: str
    data_dir: Path
    session_key: bytes
    shots: Path
    group: ProcessGroup
    server: ManagedProcess
    taken: list[str] = field(default_factory=list)

    def mails_to(self, address: str) -> list[email.message.EmailMessage]:
        found = []
        for path in sorted((self.data_dir / "mail").glob("*.eml"), key=lambda p: p.stat().st_mtime):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if address.lower() in str(message["To"]).lower():
                found.append(message)
        return found

    def password_link(self, address: str) -> str:
        """The one-time link mailed to `address` (the newest)."""

        def link():
            for message in reversed(self.mails_to(address)):
                match = LINK.search(message.get_body(preferencelist=("plain",)).get_content())
                if match:
                    return match.group(0)
            return None

        return wait_until(link, 20, f"a password-setup mail to {address}", self.server.tail)

    def screenshot(self, page, name: str) -> Path:
        path = self.shots / f"{len(self.taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        self.taken.append(path.name)
        return path

    def publish_month(self, month: str) -> subprocess.CompletedProcess:
        """`python -m reporting publish-month` on the platform's own reporting database."""
        env = {**_clean_env(), "DATA_DIR": str(self.data_dir), "AMQP_URL": "memory://", "LOG_JSON": "false"}
        return subprocess.run([sys.executable, "-m", "reporting", "publish-month", month], env=env, cwd=REPO,
                              capture_output=True, text=True, timeout=90)

    def close_year(self, year: int) -> subprocess.CompletedProcess:
        """`python -m reporting close-year YEAR` on the platform's own reporting database."""
        env = {**_clean_env(), "DATA_DIR": str(self.data_dir), "AMQP_URL": "memory://", "LOG_JSON": "false"}
        return subprocess.run([sys.executable, "-m", "reporting", "close-year", str(year)], env=env, cwd=REPO,
                              capture_output=True, text=True, timeout=90)

    def session_of(self, context) -> dict:
        """The portal's session as the browser holds it, decrypted with the platform's key."""
        import json

        cookie = next(c for c in context.cookies() if c["name"] == "portal_session")
        return json.loads(Fernet(self.session_key).decrypt(cookie["value"].encode()))


def _clean_env() -> dict[str, str]:
    """This environment without any platform setting a developer's shell may carry."""
    platform = ("IDENTITY_", "FILING_", "REVIEW_", "REPORTING_", "NOTIFY_", "PORTAL_", "GATEWAY_")
    skip = {"DATABASE_URL", "AMQP_URL", "JWKS_URL", "DATA_DIR", "PUBLIC_URL", "BIND", "WEB_THREADS", "WEB_WORKERS",
            "PROMETHEUS_MULTIPROC_DIR"}
    return {k: v for k, v in os.environ.items() if k not in skip and not k.startswith(platform)}


@pytest.fixture(scope="session")
def portal(tmp_path_factory) -> Iterator[Portal]:
    root = tmp_path_factory.mktemp("browser")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    key = Fernet.generate_key()
    env = {**_clean_env(), "DATA_DIR": str(root / "data"), "IDENTITY_BOOTSTRAP_OPERATOR": ":".join(OPERATOR),
           "PUBLIC_URL": url, "PORTAL_SESSION_KEY": key.decode(), "NOTIFY_MAIL_POLL_SECONDS": "0.1",
           "LOG_JSON": "false", "PYTHONUNBUFFERED": "1",
           # The annual update open all year, so that its page can be used whatever today is (the
           # default, 1 January to 31 March, is closed for most of the year). Nothing else here
           # depends on it being closed.
           "ANNUAL_UPDATE_WINDOW": "01-01/12-31",
           # The browser tests sign the same operator in and register organisations from one
           # address far faster than a person: the limits are tested in tests/integration, not here.
           **GENEROUS_RATE_LIMITS, "IDENTITY_SIGN_IN_LIMIT_PER_ACCOUNT": "100000/minute",
           "IDENTITY_SIGN_IN_LIMIT_PER_ADDRESS": "100000/minute"}
    group = ProcessGroup(logs=root / "logs", cwd=REPO)
    server = group.start("gateway embedded",
                         [sys.executable, "-m", "gateway", "embedded", "--bind", f"127.0.0.1:{port}", "--threads", "8"],
                         env)
    shots = root / "screenshots"
    shots.mkdir()
    running = Portal(url, root / "data", key, shots, group, server)
    try:
        wait_for_http(f"{url}/readyz", group, watch=[server], timeout=60)
        yield running
    finally:
        group.stop_all(timeout=15)
        print(f"\nbrowser screenshots: {shots} ({len(running.taken)} pages)")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def visitor(browser, portal):
    """`visitor()`: a new person at the portal (own cookies, zh-CN), closed after the test."""
    contexts = []

    def open_context(locale: str = "zh-CN"):
        context = browser.new_context(base_url=portal.url, locale=locale, accept_downloads=True,
                                      viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
