"""A deactivated account's access token refused by another service, in the deployed form
(issue 17, part 2): identity, filing and review as separate processes on RabbitMQ and PostgreSQL.

An operator makes a reviewer, who sets a password from the mail and signs in; filing and review
answer the reviewer's access token. The operator deactivates the reviewer: identity's relay
publishes `identity.account.deactivated`, filing's and review's consumers record it in their own
databases, and from then on their token checks refuse that token, which has not expired. The
README's bound (10 seconds, the event's lag) is what is measured here.
"""

from __future__ import annotations

import re
import time
import uuid

import pytest

from tests.e2e.conftest import OPERATOR, RunningPlatform

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]
IDENTITY = "/api/v1/identity"
PASSWORD = "a long reviewer pass phrase"
BOUND_SECONDS = 10.0
READS = {"filing": "/api/v1/filing/products", "review": "/api/v1/review/tasks"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_deactivated_reviewers_access_token_is_refused_by_other_services_within_the_bound(
        e2e_platform: RunningPlatform):
    platform, http = e2e_platform, e2e_platform.session
    operator = bearer(platform.sign_in(*OPERATOR))
    address = f"leaving-{uuid.uuid4().hex[:8]}@example.cn"
    made = http.post(platform.url(f"{IDENTITY}/staff"), json={"email": address, "role": "reviewer"},
                     headers=operator, timeout=10)
    assert made.status_code == 201, made.text
    account_id = made.json()["id"]
    mails = platform.wait_until(lambda: platform.mailbox.to(address), f"the invitation to {address}")
    token = re.search(r"/password-setup#(\S+)", mails[0].text).group(1)
    assert http.post(platform.url(f"{IDENTITY}/password-setup"), json={"token": token, "password": PASSWORD},
                     timeout=10).status_code == 204
    pair = http.post(platform.url(f"{IDENTITY}/tokens"), json={"email": address, "password": PASSWORD},
                     timeout=10).json()
    old = bearer(pair["access_token"])
    for path in READS.values():
        assert http.get(platform.url(path), headers=old, timeout=10).status_code == 200

    started = time.monotonic()
    done = http.post(platform.url(f"{IDENTITY}/accounts/{account_id}/deactivation"),
                     json={"reason": "调离审核岗位"}, headers=operator, timeout=10)
    assert done.status_code == 200, done.text

    def refused() -> dict[str, dict] | None:
        answers = {service: http.get(platform.url(path), headers=old, timeout=10) for service, path in READS.items()}
        if all(a.status_code == 401 for a in answers.values()):
            return {service: a.json() for service, a in answers.items()}
        return None

    told = platform.wait_until(refused, "filing and review refusing the deactivated reviewer's token",
                               timeout=BOUND_SECONDS)
    took = time.monotonic() - started
    assert took <= BOUND_SECONDS
    assert all(problem["type"].endswith("/account-deactivated") for problem in told.values()), told
    # Signing in is refused as a wrong password is, and the refresh token is dead.
    again = http.post(platform.url(f"{IDENTITY}/tokens"), json={"email": address, "password": PASSWORD}, timeout=10)
    assert again.status_code == 401 and again.json()["type"].endswith("/invalid-credentials")
    assert http.post(platform.url(f"{IDENTITY}/tokens/refresh"), json={"refresh_token": pair["refresh_token"]},
                     timeout=10).status_code == 401
    platform.wait_until(lambda: [m for m in platform.mailbox.to(address) if "停用" in m.subject],
                        "the deactivation mail")

    # Reactivated: a new sign-in is answered by every service; the old token stays refused.
    assert http.post(platform.url(f"{IDENTITY}/accounts/{account_id}/reactivation"),
                     json={"reason": "重新担任审核"}, headers=operator, timeout=10).status_code == 200
    new = bearer(http.post(platform.url(f"{IDENTITY}/tokens"), json={"email": address, "password": PASSWORD},
                           timeout=10).json()["access_token"])
    platform.wait_until(lambda: all(http.get(platform.url(path), headers=new, timeout=10).status_code == 200
                                    for path in READS.values()), "the new token answered", timeout=BOUND_SECONDS)
    assert http.get(platform.url(READS["filing"]), headers=old, timeout=10).status_code == 401
