"""The anonymous endpoints are rate-limited per client address, in a store every worker shares:
past the limit a 429 problem with Retry-After, nothing done; another address is not held back;
two processes on the same Redis count together; a store that cannot be reached limits nothing
(the suite itself runs with the limits raised, tests/support/embedded.py)."""

from __future__ import annotations

import uuid

import pytest

from platform_shared.rate_limits import RateLimits
from tests.support.embedded import ApiClient
from tests.support.embedded import organisation_body as base_body
from tests.support.members import new_uscc

pytestmark = pytest.mark.integration
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def strict(platform, monkeypatch):
    """Low limits on the session's platform, counted in Redis under this test's own scopes."""
    def install(service: str, **limits: str) -> None:
        prefix = uuid.uuid4().hex[:8]
        counted = RateLimits(REDIS_URL, lambda scope, default: limits.get(scope.removeprefix(prefix), default))
        # Each test counts under fresh keys: a scope of its own is the simplest (the store is shared).
        spend = counted.spend
        monkeypatch.setattr(counted, "spend", lambda scope, default, key: spend(prefix + scope, default, key))
        monkeypatch.setitem(platform.apps[service].extensions, "rate_limits", counted)

    return install


def organisation_body() -> dict:
    tag = uuid.uuid4().hex[:8]
    return base_body(uscc=new_uscc(), name=f"限流测试{tag}有限公司",
                     account={"email": f"limit-{tag}@example.cn", "password": "correct horse battery"})


def _from(client_address: str):
    return {"REMOTE_ADDR": client_address}


def test_registration_past_its_limit_is_a_429_with_retry_after_and_registers_nothing(platform, strict):
    strict("identity", registration="2/hour")
    client = ApiClient(platform.wsgi)
    addresses = []
    for _ in range(2):
        body = organisation_body()
        answer = client.post("/api/v1/identity/organisations", json=body, environ_base=_from("198.51.100.7"))
        assert answer.status_code == 201, answer.get_json()
        addresses.append(body["account"]["email"])
    body = organisation_body()
    refused = client.post("/api/v1/identity/organisations", json=body, environ_base=_from("198.51.100.7"))
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()["type"].endswith("/too-many-requests")
    # Nothing was registered: the address may sign in with no account.
    signed = client.post("/api/v1/identity/tokens", json={"email": body["account"]["email"],
                                                           "password": body["account"]["password"]})
    assert signed.status_code == 401
    # Another address is not held back.
    other = client.post("/api/v1/identity/organisations", json=organisation_body(), environ_base=_from("203.0.113.9"))
    assert other.status_code == 201


@pytest.mark.parametrize(("service", "scope", "path"), [
    ("filing", "public_verification", "/api/v1/filing/public/filings/BA-2000-44-999999"),
    ("review", "public_notice", f"/api/v1/review/public/recognition-rounds/{uuid.uuid4()}"),
])
def test_the_public_lookups_past_their_limit_are_a_429(platform, strict, service, scope, path):
    strict(service, **{scope: "3/minute"})
    client = ApiClient(platform.wsgi)
    answers = [client.get(path, environ_base=_from("192.0.2.44")).status_code for _ in range(4)]
    assert answers == [404, 404, 404, 429]


def test_two_processes_on_one_store_count_together_and_a_lost_store_limits_nothing():
    scope = f"together-{uuid.uuid4().hex[:8]}"
    one, other = RateLimits(REDIS_URL), RateLimits(REDIS_URL)  # two gunicorn workers, say
    assert one.spend(scope, "3/hour", "198.51.100.1") is None
    assert other.spend(scope, "3/hour", "198.51.100.1") is None
    assert one.spend(scope, "3/hour", "198.51.100.1") is None
    assert other.spend(scope, "3/hour", "198.51.100.1") > 0
    unreachable = RateLimits("redis://127.0.0.1:1/0")
    assert all(unreachable.spend(scope, "1/hour", "198.51.100.1") is None for _ in range(3))


def test_the_prefilled_port_form_past_its_limit_is_a_429_and_renders_nothing(platform, strict):
    strict("identity", form_generation="2/minute")
    client = ApiClient(platform.wsgi)
    path = "/api/v1/identity/province-port-application-form.pdf?province_code=630000&office_name=青海省知识产权局"
    answers = [client.get(path, environ_base=_from("192.0.2.45")) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[0].data.startswith(b"%PDF-") and not answers[2].data.startswith(b"%PDF-")
    assert int(answers[2].headers["Retry-After"]) > 0
    assert client.get(path, environ_base=_from("203.0.113.10")).status_code == 200
