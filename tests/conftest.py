"""Fixtures every layer may use: the embedded platform in this process."""

from __future__ import annotations

import pytest

from tests.support.embedded import OPERATOR, ApiClient, sign_in, start_platform


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    running = start_platform(tmp_path_factory.mktemp("platform"))
    yield running
    running.stop()


@pytest.fixture
def client(platform) -> ApiClient:
    return ApiClient(platform.wsgi)


@pytest.fixture(scope="session")
def operator_token(platform) -> str:
    return sign_in(ApiClient(platform.wsgi), *OPERATOR)
