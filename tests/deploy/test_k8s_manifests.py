"""Every manifest an operator applies is valid: each overlay renders with kustomize, every
Kubernetes resource passes `kubernetes-validate --strict` (no unknown field anywhere) for the
stated Kubernetes version, and the operators' resources (CloudNativePG Cluster, RabbitmqCluster,
the Messaging Topology Operator's User, Permission, TopicPermission, Exchange) pass the JSON
schemas kept in deploy/k8s/schemas/ for the fields the manifests use.
"""

from __future__ import annotations

import copy
import json

import jsonschema
import kubernetes_validate
import pytest

from tests.deploy.manifests import K8S, KUBERNETES_VERSION, OVERLAYS, named, of_kind, overlay, render

pytestmark = pytest.mark.deploy

CUSTOM = {("postgresql.cnpg.io/v1", "Cluster"): "postgresql.cnpg.io_v1_Cluster.json",
          **{("rabbitmq.com/v1beta1", kind): f"rabbitmq.com_v1beta1_{kind}.json"
             for kind in ("RabbitmqCluster", "User", "Permission", "TopicPermission", "Exchange")}}


def custom_schema(resource: dict) -> dict | None:
    name = CUSTOM.get((resource["apiVersion"], resource["kind"]))
    return None if name is None else json.loads((K8S / "schemas" / name).read_text())


def describe(resource: dict) -> str:
    return f"{resource['kind']} {resource['metadata']['name']}"


@pytest.mark.parametrize("target", ["base", *(f"overlays/{o}" for o in OVERLAYS), "ingress-nginx"])
def test_every_resource_is_valid_for_the_stated_kubernetes_version(target):
    failures = []
    for resource in render(target):
        schema = custom_schema(resource)
        try:
            if schema is not None:
                jsonschema.validate(resource, schema)
            else:
                kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
        except (jsonschema.ValidationError, kubernetes_validate.ValidationError,
                kubernetes_validate.SchemaNotFoundError) as error:
            failures.append(f"{describe(resource)}: {getattr(error, 'message', error)}")
    assert not failures, "\n".join(failures)


def test_strict_validation_refuses_an_unknown_field():
    """The check has teeth: a misspelt field fails, in a built-in resource and in a custom one."""
    deployment = copy.deepcopy(named(overlay("prod"), "Deployment", "identity-api"))
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {"httpGet": {"path": "/readyz"}}
    deployment["spec"]["template"]["spec"]["containers"][0]["readynessProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)

    cluster = copy.deepcopy(named(overlay("prod"), "Cluster", "identity-db"))
    cluster["spec"]["instance"] = 3
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(cluster, custom_schema(cluster))

    permission = copy.deepcopy(named(overlay("prod"), "Permission", "filing-broker"))
    jsonschema.validate(permission, custom_schema(permission))
    permission["spec"]["permissions"]["configur"] = ".*"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(permission, custom_schema(permission))
    topic = copy.deepcopy(named(overlay("prod"), "TopicPermission", "filing-broker"))
    topic["spec"]["user"] = "filing"  # beside userReference: the CRD takes one or the other
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(topic, custom_schema(topic))


@pytest.mark.parametrize("name", OVERLAYS)
def test_no_secret_is_committed(name):
    """Secrets are created by an operator (deploy/README.md) or by the operators' controllers."""
    assert of_kind(overlay(name), "Secret") == []
    text = "\n".join(path.read_text() for path in K8S.rglob("*.yaml"))
    assert "kind: Secret" not in text
