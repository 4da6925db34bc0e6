"""Declared patents held against the register on a platform configured with a `file` and an `http`
register (tests/integration/own_process/patent_register_checks.py), run in a pytest process of its
own: those tests open embedded platforms of their own, and a second `EmbeddedPlatform` in one
process rebinds the services' database proxies under the session's platform, whose consumers then
run on closed databases (a segfault in SQLite, seen in the full run)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
CHECKS = Path(__file__).resolve().parent / "own_process" / "patent_register_checks.py"


def test_declared_patents_are_held_against_file_and_http_registers():
    run = subprocess.run([sys.executable, "-m", "pytest", str(CHECKS), "-q", "-p", "no:cacheprovider"],
                         cwd=REPO, capture_output=True, text=True, timeout=900)
    report = run.stdout[-6000:] + run.stderr[-3000:]
    assert run.returncode == 0, report
    passed = re.search(r"(\d+) passed", run.stdout)
    assert passed and int(passed.group(1)) == 10, report  # five checks, against each kind of register
