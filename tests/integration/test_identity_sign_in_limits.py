"""Sign-in rate limits shared through the machine's Redis, as gunicorn workers and replicas of
identity share them in deployment (`IDENTITY_RATELIMIT_STORAGE_URI=redis://…`)."""

from __future__ import annotations

import os
import uuid

import redis

from identity.adapters.sign_in_limits import SignInLimits, protection_from_settings

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def workers(count: int, **limits: str) -> list[SignInLimits]:
    """Limits as `count` worker processes would build them from the same settings."""
    values = {"RATELIMIT_STORAGE_URI": REDIS_URL,
              "SIGN_IN_LIMIT_PER_ACCOUNT": limits.get("per_account", "10/minute"),
              "SIGN_IN_LIMIT_PER_ADDRESS": limits.get("per_address", "60/minute")}
    return [protection_from_settings(lambda name, default="": values.get(name) or default).limits
            for _ in range(count)]


def test_the_redis_store_is_reachable():
    assert redis.Redis.from_url(REDIS_URL).ping()


def test_attempts_at_an_e_mail_address_count_across_workers():
    first, second = workers(2, per_account="3/minute")
    email = f"{uuid.uuid4().hex}@example.cn"
    assert [first.attempt_at_account(email), second.attempt_at_account(email), first.attempt_at_account(email)] \
        == [None, None, None]
    wait = second.attempt_at_account(email)
    assert wait is not None and 1 <= wait <= 60
    assert first.attempt_at_account(email) is not None


def test_failures_from_an_address_count_across_workers():
    first, second, third = workers(3, per_address="2/minute")
    address = f"203.0.113.7#{uuid.uuid4().hex}"  # unique: an earlier run's counts may still be live
    first.failure_from(address)
    second.failure_from(address)
    wait = third.address_refused(address)
    assert wait is not None and 1 <= wait <= 60


def test_in_memory_counts_are_per_process_which_is_why_deployment_needs_redis():
    first, second = (SignInLimits("memory://", per_account="1/minute") for _ in range(2))
    email = f"{uuid.uuid4().hex}@example.cn"
    assert first.attempt_at_account(email) is None
    assert second.attempt_at_account(email) is None  # the other worker never heard of the first attempt
    assert first.attempt_at_account(email) is not None
