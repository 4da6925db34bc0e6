"""Least privilege on the bus, as deployed: the manifests give each service the broker rights the
code defines, and nothing more.

- each service has a Topology Operator `User` (credentials imported from its own Secret, no
  management tag), a `Permission` and a `TopicPermission` on that user whose regexes equal
  `gateway.broker_users.bus_permissions()` (its own queues, its own events, its own bindings);
- the platform's two exchanges are `Exchange` resources of the types the code declares;
- every pod that talks to the broker does so as its own service's user, over AMQPS on 5671
  with the cluster's CA mounted (only ca.crt of the broker's TLS Secret) and `AMQP_CA_FILE`
  pointing at it; no pod reads the broker's administrator;
- the broker has TLS on and plain AMQP off, and its NetworkPolicy opens no plain AMQP port.
"""

from __future__ import annotations

import pytest

from gateway.broker_users import bus_permissions
from platform_shared.messaging.permissions import BUS_SERVICES
from platform_shared.messaging.topology import PLATFORM_EXCHANGES
from tests.deploy.manifests import SERVICES, named, of_kind, overlay, pod_templates, service_of

pytestmark = pytest.mark.deploy

CA_MOUNT = "/etc/platform/broker-ca"


def env_of(container: dict) -> dict[str, dict]:
    return {variable["name"]: variable for variable in container.get("env", [])}


def secret_of(variable: dict) -> str | None:
    return variable.get("valueFrom", {}).get("secretKeyRef", {}).get("name")


def test_the_services_on_the_bus_are_the_deployed_ones():
    assert set(BUS_SERVICES) == set(SERVICES)


@pytest.mark.parametrize("name", ["dev", "prod"])
@pytest.mark.parametrize("service", BUS_SERVICES)
def test_each_service_has_a_user_with_the_rights_the_code_defines(name, service):
    resources = overlay(name)
    rights = bus_permissions()[service]
    user = named(resources, "User", f"{service}-broker")
    assert user["spec"]["importCredentialsSecret"]["name"] == f"{service}-broker-user"
    assert user["spec"].get("tags", []) == [], "a service's user needs no management access"
    cluster = user["spec"]["rabbitmqClusterReference"]["name"]
    assert named(resources, "RabbitmqCluster", cluster)

    permission = named(resources, "Permission", f"{service}-broker")["spec"]
    assert permission["userReference"]["name"] == f"{service}-broker"
    assert permission["vhost"] == "/" and permission["rabbitmqClusterReference"]["name"] == cluster
    assert permission["permissions"] == {"configure": rights.configure, "write": rights.write,
                                         "read": rights.read}

    topic = named(resources, "TopicPermission", f"{service}-broker")["spec"]
    assert topic["userReference"]["name"] == f"{service}-broker"
    assert topic["vhost"] == "/" and topic["rabbitmqClusterReference"]["name"] == cluster
    assert topic["permissions"] == {"exchange": rights.topic_exchange, "write": rights.topic_write,
                                    "read": rights.topic_read}
    # One user, one Permission, one TopicPermission per service: no second grant widens them.
    for kind in ("Permission", "TopicPermission"):
        grants = [r for r in of_kind(resources, kind) if r["spec"]["userReference"]["name"] == f"{service}-broker"]
        assert len(grants) == 1, f"{service}: {len(grants)} {kind}s"


def test_the_platforms_exchanges_are_declared_by_the_operator():
    resources = overlay("prod")
    declared = {r["spec"]["name"]: r["spec"] for r in of_kind(resources, "Exchange")}
    for exchange in PLATFORM_EXCHANGES:
        spec = declared[exchange.name]
        assert (spec["type"], spec["durable"], spec["autoDelete"]) == (exchange.type, True, False)
        assert spec["vhost"] == "/"


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_every_pod_on_the_bus_is_its_own_services_user_over_tls(name):
    resources = overlay(name)
    config = named(resources, "ConfigMap", "platform-config")["data"]
    assert config["AMQP_CA_FILE"] == f"{CA_MOUNT}/ca.crt"
    on_the_bus = 0
    for owner, template in pod_templates(resources):
        service = service_of(template)
        volumes = {v["name"]: v for v in template["spec"].get("volumes", [])}
        for container in template["spec"]["containers"]:
            env = env_of(container)
            assert not any(secret_of(v) == "rabbitmq-default-user" for v in env.values()), (
                f"{owner['metadata']['name']} reads the broker's administrator")
            if "AMQP_URL" not in env:
                continue
            on_the_bus += 1
            where = owner["metadata"]["name"]
            assert env["AMQP_URL"]["value"].startswith("amqps://") and ":5671/" in env["AMQP_URL"]["value"], where
            assert secret_of(env["AMQP_USERNAME"]) == secret_of(env["AMQP_PASSWORD"]) == f"{service}-broker-user", where
            mounts = {m["name"]: m for m in container.get("volumeMounts", [])}
            assert mounts["broker-ca"]["mountPath"] == CA_MOUNT and mounts["broker-ca"]["readOnly"], where
            ca = volumes["broker-ca"]["secret"]
            # Only the CA: the broker's private key (tls.key) of the same Secret never reaches a pod.
            assert ca["secretName"] == "rabbitmq-tls" and ca["items"] == [{"key": "ca.crt", "path": "ca.crt"}], where
    assert on_the_bus >= 4 * len(BUS_SERVICES)  # api, consumer, relay and migrate of each


def test_the_broker_speaks_only_tls():
    resources = overlay("prod")
    cluster = named(resources, "RabbitmqCluster", "rabbitmq")
    assert cluster["spec"]["tls"] == {"secretName": "rabbitmq-tls", "disableNonTLSListeners": True}
    policy = named(resources, "NetworkPolicy", "rabbitmq")
    ports = {port["port"] for rule in policy["spec"]["ingress"] for port in rule.get("ports", [])}
    assert 5671 in ports and not ports & {5672, 15672}
