"""reporting's own commands as an operator (or the CronJob) runs them: `publish-month` and
`rebuild`, each a separate process on a database of its own."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.timeout(120)


def run(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/reporting.db",
           "AMQP_URL": "memory://", "LOG_JSON": "false"}
    env.pop("REPORTING_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "reporting", *args], env=env, capture_output=True, text=True,
                          timeout=90)


def test_publish_month_once_and_only_after_the_month(tmp_path):
    first = run(tmp_path, "publish-month", "2020-01")
    assert first.returncode == 0, first.stderr
    assert "2020-01: published 33 reports" in first.stderr
    again = run(tmp_path, "publish-month", "2020-01")
    assert again.returncode == 0 and "already published" in again.stderr
    assert run(tmp_path, "publish-month", "previous").returncode == 0
    future = run(tmp_path, "publish-month", "2999-12")
    assert future.returncode == 2 and "has not ended" in future.stderr
    assert run(tmp_path, "publish-month", "2020-13").returncode == 2


def test_rebuild_with_its_progress_bar(tmp_path):
    done = run(tmp_path, "rebuild")
    assert done.returncode == 0, done.stderr
    assert "rebuilt from 0 archived events" in done.stderr
