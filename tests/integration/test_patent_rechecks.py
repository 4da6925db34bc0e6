"""Re-checks while filed, end to end on a platform configured with a `file` patent register that
changes under a filed product (tests/integration/own_process/patent_rechecks.py), run in a pytest
process of its own: it opens an embedded platform of its own, and a second `EmbeddedPlatform` in
one process rebinds the services' database proxies under the session's platform."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
CHECKS = Path(__file__).resolve().parent / "own_process" / "patent_rechecks.py"


def test_a_register_changing_under_a_filed_product_marks_mails_and_suspends_it():
    run = subprocess.run([sys.executable, "-m", "pytest", str(CHECKS), "-q", "-p", "no:cacheprovider"],
                         cwd=REPO, capture_output=True, text=True, timeout=900)
    report = run.stdout[-6000:] + run.stderr[-3000:]
    assert run.returncode == 0, report
    passed = re.search(r"(\d+) passed", run.stdout)
    assert passed and int(passed.group(1)) == 7, report
