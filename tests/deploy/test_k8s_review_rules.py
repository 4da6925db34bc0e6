"""The deployed review refuses a rejection (不予备案) by one reviewer alone: in every overlay, the
environment review's pods get makes review's own settings reader turn the four-eyes rule on
(the embedded default keeps it off, for trying the platform alone)."""

from __future__ import annotations

import pytest

from platform_shared.config import ServiceSettings
from review.service import queue_rules_from
from tests.deploy.manifests import OVERLAYS, of_kind, overlay, pod_templates, service_of

pytestmark = pytest.mark.deploy


def review_pod_environments(resources) -> list[dict[str, str]]:
    """Each review pod's variables from its ConfigMaps and literal env, as the container sees them."""
    config_maps = {c["metadata"]["name"]: c.get("data", {}) for c in of_kind(resources, "ConfigMap")}
    found = []
    for _owner, template in pod_templates(resources):
        if service_of(template) != "review":
            continue
        for container in template["spec"]["containers"]:
            env: dict[str, str] = {}
            for source in container.get("envFrom", []):
                env.update(config_maps[source["configMapRef"]["name"]])
            env.update({v["name"]: v["value"] for v in container.get("env", []) if "value" in v})
            found.append(env)
    return found


@pytest.mark.parametrize("name", OVERLAYS)
def test_every_deployed_review_process_needs_a_second_reviewer_for_a_rejection(name):
    environments = review_pod_environments(overlay(name))
    assert environments, "no review pods rendered"
    for env in environments:
        assert queue_rules_from(ServiceSettings.from_env("review", env)).four_eyes


def test_the_embedded_default_decides_alone():
    assert not queue_rules_from(ServiceSettings.from_env("review", {})).four_eyes
