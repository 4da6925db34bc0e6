"""Fixtures every layer may use: the embedded platform in this process."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from tests.support.embedded import OPERATOR, sign_in, start_platform


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    running = start_platform(tmp_path_factory.mktemp("platform"))
    yield running
    running.stop()


@pytest.fixture
def client(platform) -> Client:
    return Client(platform.wsgi)


@pytest.fixture(scope="session")
def operator_token(platform) -> str:
    return sign_in(Client(platform.wsgi), *OPERATOR)
