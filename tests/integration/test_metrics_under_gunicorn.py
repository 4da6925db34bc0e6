"""/metrics under gunicorn with several workers counts the whole pod, not one worker."""

from __future__ import annotations

import os
import re
import sys

import requests

from tests.support.processes import ProcessGroup, free_port, wait_for_http


def test_requests_served_by_different_workers_are_all_counted(tmp_path):
    port = free_port()
    env = {**os.environ, "DATA_DIR": str(tmp_path), "LOG_JSON": "false"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    group = ProcessGroup(logs=tmp_path / "logs")
    server = group.start("review serve", [sys.executable, "-m", "review", "serve", "--bind",
                                          f"127.0.0.1:{port}", "--workers", "3", "--threads", "1"], env)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/healthz", group, [server])
        for _ in range(60):  # a new connection each time, so the workers share the load
            assert requests.get(f"{base}/healthz", headers={"Connection": "close"}, timeout=5).status_code == 200
        for _ in range(5):  # whichever worker answers, it reports every worker's counts
            text = requests.get(f"{base}/metrics", headers={"Connection": "close"}, timeout=5).text
            counted = sum(float(v) for v in re.findall(
                r'^http_requests_total\{[^}]*endpoint="/healthz"[^}]*status="200"[^}]*\} (\S+)$', text, re.M))
            assert counted >= 61  # the readiness poll above adds at least one
    finally:
        group.stop_all()
