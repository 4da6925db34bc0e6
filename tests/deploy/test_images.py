"""The Dockerfiles, without building them (tests/containers builds and runs them): clean under
hadolint, multi-stage from the offline base image, non-root, nothing to build with in the final
stage, every package pinned; and the Grafana dashboard asks only for
metrics the services (or RabbitMQ) expose.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client import Counter, Gauge, Histogram

from platform_shared.observability import metrics
from tests.deploy.manifests import REPO

pytestmark = pytest.mark.deploy

IMAGES = ("identity", "filing", "review", "reporting", "notify", "gateway", "portal")
DOCKERFILES = [REPO / "services" / name / "Dockerfile" for name in IMAGES]
BASE = "patent-platform/base:bookworm-python3.11"


def hadolint() -> str:
    return str(Path(sys.executable).parent / "hadolint")


def stages(path: Path) -> list[str]:
    """The Dockerfile's stages, each as its text (continuation lines joined)."""
    text = path.read_text().replace("\\\n", " ")
    parts = re.split(r"^(?=FROM )", text, flags=re.M)
    return [part for part in parts if part.startswith("FROM ")]


def test_every_image_has_its_dockerfile_beside_its_package():
    for name, path in zip(IMAGES, DOCKERFILES, strict=True):
        assert path.exists() and (path.parent / "pyproject.toml").exists(), name


def test_hadolint_finds_nothing():
    result = subprocess.run([hadolint(), "--failure-threshold", "info", *map(str, DOCKERFILES)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", DOCKERFILES, ids=IMAGES)
def test_two_stages_from_the_offline_base_and_a_non_root_final_stage(path):
    text = path.read_text()
    assert f"ARG BASE_IMAGE={BASE}" in text
    builder, final = stages(path)
    assert builder.startswith("FROM ${BASE_IMAGE} AS builder")
    assert final.startswith("FROM ${BASE_IMAGE}\n")
    # The builder installs with every package pinned, without build isolation (setuptools pinned too).
    assert "-c constraints.txt" in builder and "--no-build-isolation" in builder and "pip check" in builder
    # The final stage: only the virtual environment from the builder, a numeric non-root user,
    # no compiler or package build tools, no pip (uninstalled in the builder).
    assert "COPY --from=builder /opt/venv /opt/venv" in final
    users = re.findall(r"^USER (\S+)$", final, flags=re.M)
    assert users == ["10001:10001"]
    for tool in ("gcc", "build-essential", "python3-dev", "libpq-dev", "pip install"):
        assert tool not in final, f"{path}: {tool} in the final stage"
    assert "pip uninstall --yes setuptools pip" in builder
    assert "DATA_DIR=/var/lib/platform" in final


def test_the_build_script_builds_every_image():
    script = (REPO / "deploy" / "images" / "build.sh").read_text()
    listed = re.search(r"^SERVICES=\((.*)\)$", script, flags=re.M)
    assert listed is not None and tuple(listed.group(1).split()) == IMAGES


def test_the_filing_images_carry_the_certificate_font():
    for name in ("filing", "gateway"):
        final = stages(REPO / "services" / name / "Dockerfile")[-1]
        assert "fonts-wqy-microhei=" in final


def test_image_constraints_pin_every_package_the_pyproject_files_do_not():
    """deploy/images/constraints.txt pins exactly the packages the images get beside the pyproject pins."""
    result = subprocess.run([sys.executable, str(REPO / "deploy" / "images" / "lock.py"), "--check"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_the_build_context_leaves_out_the_virtual_environment_and_data():
    ignore = (REPO / ".dockerignore").read_text().splitlines()
    assert ignore[ignore.index("*") + 1:][:3] == ["!shared/", "!services/", "!deploy/images/constraints.txt"]


# --- the Grafana dashboard -------------------------------------------------------------------
def exposed_metric_names() -> set[str]:
    names = set()
    for value in vars(metrics).values():
        if isinstance(value, Counter):
            names |= {value._name + "_total", value._name}
        elif isinstance(value, Histogram):
            names |= {value._name + suffix for suffix in ("_bucket", "_sum", "_count")}
        elif isinstance(value, Gauge):
            names.add(value._name)
    return names


def test_the_dashboard_asks_only_for_metrics_that_exist():
    dashboard = json.loads((REPO / "deploy" / "grafana" / "platform-dashboard.json").read_text())
    known = exposed_metric_names()
    functions = {"sum", "by", "rate", "increase", "max", "histogram_quantile", "topk", "without"}
    asked = set()
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            asked |= {name for name in re.findall(r"([a-z_][a-z0-9_]*)\s*[{\[(]", target["expr"])
                      if name not in functions}
    unknown = sorted(name for name in asked if name not in known and not name.startswith("rabbitmq_"))
    assert not unknown, f"the dashboard asks for metrics nobody exposes: {unknown}"
    assert {"http_requests_total", "http_request_duration_seconds_bucket", "outbox_oldest_pending_seconds",
            "events_dead_lettered_total", "events_consumed_total"} <= asked
