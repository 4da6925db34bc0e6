"""Fixtures every layer may use (the embedded platform in this process), and the rule that a
test's marker is its folder's: `tests/<folder>/` holds the tests marked `<folder>`, one of the six
layers declared in pyproject.toml, so `-m unit` and `tests/unit` always select the same tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.embedded import EmbeddedPlatform
from tests.support.embedded import GENEROUS_RATE_LIMITS, OPERATOR, ApiClient, sign_in, start_platform

# Processes the suite starts (the browser's platform, the deployed form) inherit these.
os.environ.update(GENEROUS_RATE_LIMITS)

TESTS = Path(__file__).resolve().parent
# The layers, each a folder of tests/ and the marker of every test in it.
LAYERS = ("unit", "integration", "e2e", "deploy", "containers", "browser")


def misplaced(item: pytest.Item) -> str | None:
    """Why `item` breaks the rule (its folder is no layer, or it carries another layer's marker
    or none), or None when it carries exactly its folder's."""
    path = Path(item.path).resolve()
    folder = path.relative_to(TESTS).parts[0] if TESTS in path.parents else None
    marked = sorted({mark.name for mark in item.iter_markers() if mark.name in LAYERS})
    if folder not in LAYERS:
        return f"{item.nodeid}: tests live in one of tests/{{{','.join(LAYERS)}}}/, not in {folder or path.parent}"
    if marked != [folder]:
        return f"{item.nodeid}: in tests/{folder}/ but marked {marked or 'with no layer'}, not only {folder!r}"
    return None


@pytest.hookimpl(trylast=True)  # after the folders' own conftests have marked their tests
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    wrong = [reason for reason in map(misplaced, items) if reason is not None]
    if wrong:
        raise pytest.UsageError("a test's marker must be its folder's:\n  " + "\n  ".join(wrong))


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPlatform]:
    running = start_platform(tmp_path_factory.mktemp("platform"))
    yield running
    running.stop()


@pytest.fixture
def client(platform: EmbeddedPlatform) -> ApiClient:
    return ApiClient(platform.wsgi)


@pytest.fixture(scope="session")
def operator_token(platform: EmbeddedPlatform) -> str:
    return sign_in(ApiClient(platform.wsgi), *OPERATOR)
