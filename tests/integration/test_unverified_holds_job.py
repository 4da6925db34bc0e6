"""The hold of unverified registrations on their USCC (the job `unverified-holds` at chosen
moments), run in a pytest process of its own (tests/integration/own_process/unverified_holds_job.py):
the job releases every registration old enough, which must not happen to the registrations of the
session's shared platform."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
CHECKS = Path(__file__).resolve().parent / "own_process" / "unverified_holds_job.py"


def test_unverified_registrations_are_warned_then_released_by_the_job():
    run = subprocess.run([sys.executable, "-m", "pytest", str(CHECKS), "-q", "-p", "no:cacheprovider"],
                         cwd=REPO, capture_output=True, text=True, timeout=900)
    report = run.stdout[-6000:] + run.stderr[-3000:]
    assert run.returncode == 0, report
    passed = re.search(r"(\d+) passed", run.stdout)
    assert passed and int(passed.group(1)) == 1, report
