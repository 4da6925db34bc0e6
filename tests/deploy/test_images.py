"""The images, without building them (tests/containers builds and runs them): one Dockerfile for
all seven, clean under hadolint, multi-stage from the offline base image, non-root, nothing to
build with in the final stage, every package pinned, what differs between the images declared
once (images.conf) and given to the build by build.sh; and the Grafana dashboard asks only for
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
from tests.deploy.images import (
    BUILD_SCRIPT,
    DOCKERFILE,
    command_of,
    declared_images,
    entrypoint_of,
    environment_of,
    final_stages,
    image,
    stages,
)
from tests.deploy.manifests import REPO

pytestmark = pytest.mark.deploy

IMAGES = ("identity", "filing", "review", "reporting", "notify", "gateway", "portal")
BASE = "patent-platform/base:bookworm-python3.11"


def hadolint() -> str:
    return str(Path(sys.executable).parent / "hadolint")


def test_one_dockerfile_builds_the_seven_images_declared_once():
    assert [found.name for found in declared_images()] == list(IMAGES)
    # No service folder keeps a Dockerfile of its own any more.
    assert sorted(REPO.glob("services/*/Dockerfile")) == []
    for found in declared_images():
        assert found.name in stages(), f"the Dockerfile has no stage {found.name}"
        folders = found.package_folders()
        assert REPO / "services" / found.name in folders, f"{found.name}'s image does not install its own package"
        assert all((folder / "pyproject.toml").exists() for folder in folders), found.packages
    # The gateway runs the whole platform: every package under services/.
    assert image("gateway").package_folders() == sorted(p.parent for p in REPO.glob("services/*/pyproject.toml"))


def test_hadolint_finds_nothing():
    result = subprocess.run([hadolint(), "--failure-threshold", "info", str(DOCKERFILE)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_two_stages_from_the_offline_base_and_a_non_root_final_stage():
    text = DOCKERFILE.read_text()
    assert f"ARG BASE_IMAGE={BASE}" in text
    builder, runtime = stages()["builder"], stages()["runtime"]
    assert builder.startswith("FROM ${BASE_IMAGE} AS builder")
    assert runtime.startswith("FROM ${BASE_IMAGE} AS runtime\n")
    # The builder installs with every package pinned, without build isolation (setuptools pinned too).
    assert "-c constraints.txt" in builder and "--no-build-isolation" in builder and "pip check" in builder
    assert "pip uninstall --yes setuptools pip" in builder
    for name in IMAGES:
        # Each image: the runtime stage and its own, which adds its entrypoint and command only.
        first, *rest = final_stages(name)
        assert first == runtime and len(rest) == 1, name
        assert {line.split()[0] for line in rest[0].splitlines()[1:] if line.strip() and not line.startswith("#")} \
            == {"ENTRYPOINT", "CMD"}, name
        final = "".join(final_stages(name))
        # Only the virtual environment from the builder, a numeric non-root user, no compiler or
        # package build tools, no pip (uninstalled in the builder).
        assert "COPY --from=builder /opt/venv /opt/venv" in final
        assert re.findall(r"^USER (\S+)$", final, flags=re.M) == ["10001:10001"]
        for tool in ("gcc", "build-essential", "python3-dev", "libpq-dev", "pip install"):
            assert tool not in final, f"{name}: {tool} in the final stage"
        assert environment_of(name)["DATA_DIR"] == "/var/lib/platform"


@pytest.mark.parametrize("name", IMAGES)
def test_each_image_runs_its_module_its_command_on_its_port(name):
    assert entrypoint_of(name) == ["python", "-m", name]
    assert command_of(name) == (["embedded"] if name == "gateway" else ["serve"])
    port = 8080 if name == "portal" else 8000
    assert image(name).port == port
    assert environment_of(name)["BIND"] == f"0.0.0.0:{port}"
    assert "EXPOSE ${PORT}" in stages()["runtime"]


def test_the_build_script_gives_every_build_argument_and_the_target():
    script = BUILD_SCRIPT.read_text()
    assert "IMAGES_FILE=deploy/images/images.conf" in script
    assert "-f deploy/images/Dockerfile --target \"$image\"" in script
    declared = set(re.findall(r"^ARG (\w+)", DOCKERFILE.read_text(), flags=re.M))
    given = set(re.findall(r"--build-arg (\w+)=", script))
    assert declared == given == {"BASE_IMAGE", "PACKAGES", "PORT", "CJK_FONT", "SERVICE", "DESCRIPTION"}
    # The labels the engine's prune (platform.service) and the manifests' readers rely on.
    runtime = stages()["runtime"]
    for label in ('platform.service="${SERVICE}"', 'org.opencontainers.image.title="patent-platform ${SERVICE}"',
                  'org.opencontainers.image.description="${DESCRIPTION}"'):
        assert label in runtime


def test_the_images_that_render_pdfs_carry_the_cjk_font():
    # filing's certificates, identity's forms, the portal's manual; the gateway embeds them all.
    assert {found.name for found in declared_images() if found.cjk_font} == {"filing", "identity", "portal", "gateway"}
    runtime = stages()["runtime"]
    assert re.search(r'if \[ "\$CJK_FONT" = true \]; then .*fonts-wqy-microhei=\S+', runtime)


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
