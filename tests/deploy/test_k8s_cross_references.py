"""The manifests agree with the code and with each other.

- every Service selects the pods of a Deployment, on a port they expose;
- every probe asks a path the process serves (the API's /healthz and /readyz exist in the app;
  consumers and relays are probed on their metrics port);
- every setting the code reads (`settings.setting("X")`, ServiceSettings, `os.environ`) is set
  for that service (its ConfigMaps, env, the image's ENV), or is in CODE_DEFAULTS below with the
  reason its default is right in deployment; and every ConfigMap key is read by the code;
- every image is one of the images the Dockerfile builds, running a command of its service;
- the Ingress routes /api/v1/<service>/ of every service the gateway knows to its Service, and
  every other path (/) to the web portal;
- the portal is reached only by the Ingress controller and Prometheus, and reaches only the
  Ingress controller (the public API) and DNS;
- each database is reachable only from its own service, and only its own pods hold its Secret;
- every pod is non-root with a read-only root filesystem, no privilege escalation, no
  capabilities, and resource requests and limits; every process is scraped by Prometheus;
- prod scales (HPAs, PDBs, several relays and instances), dev runs one of everything.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

import pytest

from gateway.routes import SERVICES as GATEWAY_SERVICES
from tests.deploy.images import declared_images, entrypoint_of, environment_of, image
from tests.deploy.manifests import (
    PORTAL,
    REPO,
    SERVICES,
    THIRD_PARTY_IMAGES,
    WORKLOADS,
    named,
    of_kind,
    overlay,
    pod_templates,
    render,
    selects,
    service_of,
)

pytestmark = pytest.mark.deploy

# Settings the manifests leave unset on purpose: the code's default is right in deployment.
# Names without the service prefix; (service, name), or (None, name) for every service.
CODE_DEFAULTS = {
    **{(None, f"RATE_LIMIT_{scope}"): "the anonymous endpoint's default limit, in the README"
       for scope in ("REGISTRATION", "PROVINCE_PORT_APPLICATION", "PASSWORD_SETUP", "PUBLIC_VERIFICATION",
                     "PUBLIC_NOTICE", "FORM_GENERATION")},
    (None, "PROMETHEUS_MULTIPROC_DIR"): "serve makes a fresh folder under /tmp (an emptyDir)",
    (None, "INDUSTRY_CLASSIFICATION_FILE"): "the 2019 classification shipped in platform_shared",
    (None, "METRICS_PORT"): "set on consumers and relays; the API serves /metrics itself",
    (None, "TRUSTED_PROXY_HOPS"): "0: TRUSTED_PROXIES names the proxies in deployment (every path's hops)",
    ("identity", "REGISTRY_FILE"): "only with IDENTITY_REGISTRY=file",
    ("identity", "REGISTRY_URL"): "only with IDENTITY_REGISTRY=http",
    ("filing", "PATENT_REGISTRY_FILE"): "only with FILING_PATENT_REGISTRY=file",
    ("filing", "PATENT_REGISTRY_LICENCE_FILE"): "only with FILING_PATENT_REGISTRY=file (no licences known without it)",
    ("filing", "PATENT_REGISTRY_URL"): "only with FILING_PATENT_REGISTRY=http",
    ("filing", "CERTIFICATE_FONT"): "the image's fonts-wqy-microhei, which filing finds",
    ("filing", "RECHECK_POLL_SECONDS"): "30 s between looks for re-checks a round asked for: a round is opened "
                                        "weeks before its formal check",
    ("identity", "PDF_FONT"): "the image's fonts-wqy-microhei, which identity finds for its forms",
    ("portal", "PDF_FONT"): "the image's fonts-wqy-microhei, which the portal finds for the manual",
    ("review", "PATENT_REGISTRY_FILE"): "only with REVIEW_PATENT_REGISTRY=file",
    ("review", "PATENT_REGISTRY_LICENCE_FILE"): "only with REVIEW_PATENT_REGISTRY=file (no licences known without it)",
    ("review", "PATENT_REGISTRY_URL"): "only with REVIEW_PATENT_REGISTRY=http",
    ("review", "INDICATORS_FILE"): "review's indicators-v1.json shipped in its package",
    ("review", "BENCHMARK_MINIMUM_PRODUCTS"): "5: a derived benchmark needs five products with a value (README)",
    # platform_shared.cli (gunicorn for `serve`) imports the services' ServiceSettings, which
    # reads these; `python -m portal serve` never makes one: the portal has no database or broker.
    ("portal", "DATABASE_URL"): "the services' ServiceSettings, which the portal never builds",
    ("portal", "AMQP_URL"): "the services' ServiceSettings, which the portal never builds",
    ("portal", "AMQP_CA_FILE"): "the services' ServiceSettings, which the portal never builds",
}
# Variables the manifests set that no code reads: the parts AMQP_URL is made of in each pod.
COMPOSED = {"AMQP_HOST", "AMQP_USERNAME", "AMQP_PASSWORD"}
# Secrets made by the operators' controllers; the others an operator creates (deploy/README.md).
OPERATOR_SECRETS = {"rabbitmq-default-user", *(f"{s}-db-app" for s in SERVICES)}


# --- what the code reads ---------------------------------------------------------------------
def _string_argument(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _is_environ(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ" and getattr(node.value, "id", None) == "os"


def settings_read(files: list[Path]) -> tuple[set[str], set[str]]:
    """(names read as service settings — `<SERVICE>_X` or `X` —, names read from os.environ, or from
    the `env` mapping a settings class's from_env is given, as they are)."""
    scoped, raw = set(), set()
    for path in files:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = _string_argument(node)
                function = node.func
                if name is None:
                    continue
                if (isinstance(function, ast.Attribute) and function.attr == "setting") or (
                        isinstance(function, ast.Name) and function.id == "setting"):
                    scoped.add(name)
                elif isinstance(function, ast.Name) and function.id == "get" and path.name == "config.py":
                    scoped.add(name)  # ServiceSettings.from_env's own reader
                elif (isinstance(function, ast.Attribute) and function.attr == "get" and path.name == "config.py"
                      and getattr(function.value, "id", None) == "env"):
                    raw.add(name)  # a variable read as it is from from_env's `env` (the portal's PORTAL_API_URL)
                elif isinstance(function, ast.Attribute) and (
                        (function.attr == "get" and _is_environ(function.value)) or function.attr == "getenv"):
                    raw.add(name)
            elif (isinstance(node, ast.Subscript) and _is_environ(node.value)
                  and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)):
                raw.add(node.slice.value)
    return scoped, raw


def _module_file(module: str) -> Path | None:
    base = REPO / "shared" / Path(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def code_of(service: str) -> list[Path]:
    """The service's (or the portal's) own modules and every platform_shared module they import,
    transitively."""
    files = set((REPO / "services" / service / service).rglob("*.py"))
    queue = list(files)
    while queue:
        tree = ast.parse(queue.pop().read_text())
        modules = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module)
                modules |= {f"{node.module}.{alias.name}" for alias in node.names}
        for module in modules:
            if not module.startswith("platform_shared"):
                continue
            parts = module.split(".")
            for depth in range(1, len(parts) + 1):  # the packages on the way, too
                found = _module_file(".".join(parts[:depth]))
                if found is not None and found not in files:
                    files.add(found)
                    queue.append(found)
    return sorted(files)


def pod_environment_of(resources, service: str) -> set[str]:
    """Every variable some pod of `service` gets: env, envFrom ConfigMaps, the image's ENV."""
    config_maps = {c["metadata"]["name"]: c.get("data", {}) for c in of_kind(resources, "ConfigMap")}
    names = set(environment_of(service))
    for _owner, template in pod_templates(resources):
        if service_of(template) != service:
            continue
        for container in template["spec"]["containers"]:
            names |= {variable["name"] for variable in container.get("env", [])}
            for source in container.get("envFrom", []):
                assert "configMapRef" in source, "envFrom only from ConfigMaps (Secrets key by key, in env)"
                names |= set(config_maps[source["configMapRef"]["name"]])
    return names


@pytest.mark.parametrize("service", WORKLOADS)
def test_every_setting_the_code_reads_is_set_or_has_a_listed_default(service):
    resources = overlay("prod")
    provided = pod_environment_of(resources, service)
    scoped, raw = settings_read(code_of(service))
    prefix = service.upper() + "_"
    missing = []
    for name in sorted(scoped):
        if prefix + name in provided or name in provided:
            continue
        if (service, name) in CODE_DEFAULTS or (None, name) in CODE_DEFAULTS:
            continue
        missing.append(f"{prefix}{name} (or {name})")
    for name in sorted(raw):
        if name in provided or (None, name) in CODE_DEFAULTS:
            continue
        if name.startswith(prefix) and (service, name.removeprefix(prefix)) in CODE_DEFAULTS:
            continue
        missing.append(name)
    assert not missing, (f"{service} reads settings the manifests do not set: {missing}; set them in "
                         f"deploy/k8s/base/ or list the default in CODE_DEFAULTS with its reason")


def test_every_configured_variable_is_read_by_the_code():
    resources = overlay("prod")
    everything_read = set()
    for service in WORKLOADS:
        scoped, raw = settings_read(code_of(service))
        everything_read |= scoped | raw | {service.upper() + "_" + name for name in scoped}
    unread = []
    for config_map in of_kind(resources, "ConfigMap"):
        for key in config_map.get("data", {}):
            if key not in everything_read and key not in COMPOSED:
                unread.append(f"{config_map['metadata']['name']}: {key}")
    assert not unread, f"ConfigMap keys no code reads (misspelt or stale): {unread}"


# --- Services, probes, images, the Ingress ---------------------------------------------------
@pytest.mark.parametrize("name", ["dev", "prod"])
def test_every_service_selects_a_deployment_on_a_port_it_exposes(name):
    resources = overlay(name)
    deployments = of_kind(resources, "Deployment")
    for service in of_kind(resources, "Service"):
        selector = service["spec"]["selector"]
        chosen = [d for d in deployments if selects(selector, d["spec"]["template"]["metadata"]["labels"])]
        assert len(chosen) == 1, f"Service {service['metadata']['name']} selects {len(chosen)} Deployments"
        ports = {p.get("name") for c in chosen[0]["spec"]["template"]["spec"]["containers"] for p in c["ports"]}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in ports, f"{service['metadata']['name']}: no container port {port}"
        # The Deployment's own selector matches its pods (and only the API's pods get traffic).
        for deployment in chosen:
            assert selects(deployment["spec"]["selector"], deployment["spec"]["template"]["metadata"]["labels"])


def test_every_probe_asks_a_path_the_process_serves(platform):
    resources = overlay("prod")
    for deployment in of_kind(resources, "Deployment"):
        template = deployment["spec"]["template"]
        service = service_of(template)
        if service not in SERVICES:
            continue
        container = template["spec"]["containers"][0]
        component = template["metadata"]["labels"]["app.kubernetes.io/component"]
        probes = {kind: container[kind] for kind in ("startupProbe", "livenessProbe", "readinessProbe")
                  if kind in container}
        assert "livenessProbe" in probes, f"{deployment['metadata']['name']} has no liveness probe"
        if component == "api":
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
            rules = {rule.rule for rule in platform.apps[service].url_map.iter_rules()}
            for kind, probe in probes.items():
                assert probe["httpGet"]["path"] in rules, f"{service} serves no {probe['httpGet']['path']} ({kind})"
                assert probe["httpGet"]["port"] in {p["name"] for p in container["ports"]}
        else:
            # No HTTP API: prometheus-client's server on METRICS_PORT answers the probe.
            env = {v["name"]: v.get("value") for v in container.get("env", [])}
            port = next(p for p in container["ports"] if p["name"] == container["livenessProbe"]["httpGet"]["port"])
            assert env.get("METRICS_PORT") == str(port["containerPort"]), deployment["metadata"]["name"]
            assert container["livenessProbe"]["httpGet"]["path"] == "/metrics"


def portal_app():
    """The portal's Flask application, as `python -m portal serve` makes it (no API is called)."""
    from cryptography.fernet import Fernet

    from portal.app import create_app
    from portal.config import PortalSettings

    settings = PortalSettings(api_url="http://127.0.0.1:9", api_timeout=1.0, session_keys=(Fernet.generate_key(),),
                              cookie_secure=True, session_hours=12, trusted_proxy_hops=0,
                              trusted_proxies="10.244.0.0/16")
    return create_app(settings)


def test_the_portal_is_probed_on_paths_it_serves():
    deployment = named(overlay("prod"), "Deployment", PORTAL)
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    rules = {rule.rule for rule in portal_app().url_map.iter_rules()}
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
        probe = container[kind]["httpGet"]
        assert probe["path"] in rules, f"the portal serves no {probe['path']} ({kind})"
        assert probe["port"] in ports
    # `python -m portal serve` binds :8080 unless BIND says otherwise (the image's ENV does).
    assert ports[container["livenessProbe"]["httpGet"]["port"]] == 8080
    assert image(PORTAL).port == 8080 and environment_of(PORTAL)["BIND"] == "0.0.0.0:8080"


def portal_accepts(args: list[str]) -> bool:
    """Whether `python -m portal <args>` parses (gunicorn is not started, nothing is written)."""
    from cryptography.fernet import Fernet

    import portal.__main__ as portal_main

    started = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(portal_main, "serve_with_gunicorn", lambda *a, **k: started.append(a))
        patch.setattr(portal_main, "configure_logging", lambda *a, **k: None)
        patch.setenv("PORTAL_SESSION_KEY", Fernet.generate_key().decode())
        try:
            status = portal_main.main(args)
        except SystemExit:
            return False
    return status == 0 and len(started) == 1


def commands_of(service: str) -> dict[str, argparse.ArgumentParser]:
    """The commands `python -m <service>` accepts, each with its own argument parser."""
    import importlib

    definition = importlib.import_module(f"{service}.service").definition()
    parsers = {name: argparse.ArgumentParser(prog=name) for name in ("serve", "consume", "relay", "migrate")}
    parsers["serve"].add_argument("--bind")
    for command in [*definition.commands, *(job.command() for job in definition.scheduled)]:
        parsers[command.name] = argparse.ArgumentParser(prog=command.name)
        command.arguments(parsers[command.name])
    return parsers


@pytest.mark.parametrize("service", SERVICES)
def test_every_scheduled_job_has_a_cronjob_on_its_schedule(service):
    """What the embedded runner runs at a time, deployment runs from a CronJob at the same time
    (UTC), with the job's command; and every CronJob runs a scheduled job or a command."""
    import importlib

    definition = importlib.import_module(f"{service}.service").definition()
    cronjobs = {job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"][0]: job
                for job in of_kind(render("base"), "CronJob")
                if service_of(job["spec"]["jobTemplate"]["spec"]["template"]) == service}
    for job in definition.scheduled:
        assert job.name in cronjobs, f"no CronJob runs `python -m {service} {job.name}`"
        spec = cronjobs[job.name]["spec"]
        assert (spec["schedule"], spec["timeZone"]) == (job.schedule.cron, "Etc/UTC"), job.name
        assert spec["concurrencyPolicy"] == "Forbid", job.name


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_every_image_is_built_by_the_dockerfile_and_runs_a_command_of_its_service(name):
    build_script = (REPO / "deploy" / "images" / "build.sh").read_text()
    assert "REGISTRY=${REGISTRY:-patent-platform}" in build_script
    built = [declared.name for declared in declared_images()]
    for owner, template in pod_templates(overlay(name)):
        for container in template["spec"]["containers"]:
            image = container["image"]
            if image.startswith(THIRD_PARTY_IMAGES):
                continue
            service = service_of(template)
            repository, _, tag = image.rpartition(":")
            assert tag, f"{owner['metadata']['name']}: {image} has no tag"
            assert repository.endswith(f"patent-platform/{service}"), f"{owner['metadata']['name']} runs {image}"
            assert service in built, f"deploy/images/images.conf declares no image {service}"
            assert entrypoint_of(service) == ["python", "-m", service]
            args = container["args"]
            if service == PORTAL:
                assert portal_accepts(args), f"{owner['metadata']['name']}: `python -m portal {args}` does not parse"
                continue
            parsers = commands_of(service)
            assert args[0] in parsers, f"{owner['metadata']['name']}: `python -m {service} {args[0]}` is no command"
            parsers[args[0]].parse_args(args[1:])


def test_the_ingress_routes_every_service_of_the_gateway_over_tls(platform):
    resources = overlay("prod")
    ingress = named(resources, "Ingress", "platform")
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"] == "20m"
    hosts = {rule["host"] for rule in ingress["spec"]["rules"]}
    assert hosts <= {host for tls in ingress["spec"]["tls"] for host in tls["hosts"]}
    routes = {path["path"]: path["backend"]["service"] for rule in ingress["spec"]["rules"]
              for path in rule["http"]["paths"] if path["pathType"] == "Prefix"}
    services = {s["metadata"]["name"]: s for s in of_kind(resources, "Service")}
    assert set(GATEWAY_SERVICES) == set(SERVICES)
    for service in GATEWAY_SERVICES:
        backend = routes.get(f"/api/v1/{service}/")
        assert backend is not None, f"the Ingress does not route /api/v1/{service}/"
        assert backend["name"] == service
        assert backend["port"]["name"] in {p["name"] for p in services[service]["spec"]["ports"]}
        rules = [r.rule for r in platform.apps[service].url_map.iter_rules()]
        assert any(rule.startswith(f"/api/v1/{service}/") for rule in rules)
    # Every other path is the web portal's (the longest prefix wins: the API paths stay).
    backend = routes.get("/")
    assert backend is not None, "the Ingress does not route / to the portal"
    assert backend["name"] == PORTAL
    assert backend["port"]["name"] in {p["name"] for p in services[PORTAL]["spec"]["ports"]}
    assert "/" in {rule.rule for rule in portal_app().url_map.iter_rules()}
    assert set(routes) == {"/", *(f"/api/v1/{service}/" for service in GATEWAY_SERVICES)}


def test_the_portal_is_reached_by_the_ingress_and_reaches_only_the_ingress():
    resources = overlay("prod")
    pod = named(resources, "Deployment", PORTAL)["spec"]["template"]["metadata"]["labels"]
    port = named(resources, "Deployment", PORTAL)["spec"]["template"]["spec"]["containers"][0]["ports"][0]
    guarding = [p for p in of_kind(resources, "NetworkPolicy") if selects(p["spec"]["podSelector"], pod)]
    inbound = [p for p in guarding if "Ingress" in p["spec"]["policyTypes"]]
    outbound = [p for p in guarding if "Egress" in p["spec"]["policyTypes"]]
    assert inbound and outbound, "the portal's pods need an ingress and an egress NetworkPolicy"
    allowed_from = set()
    for policy in inbound:
        for rule in policy["spec"].get("ingress", []):
            assert {p["port"] for p in rule["ports"]} == {port["containerPort"]}, policy["metadata"]["name"]
            for peer in rule["from"]:
                assert set(peer) == {"namespaceSelector"}, f"{policy['metadata']['name']}: {peer}"
                allowed_from.add(peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"])
    assert allowed_from == {"ingress-nginx", "monitoring"}
    allowed_to = set()
    for policy in outbound:
        for rule in policy["spec"].get("egress", []):
            assert rule.get("to") and rule.get("ports"), f"{policy['metadata']['name']}: an open egress rule"
            for peer in rule["to"]:
                assert "ipBlock" not in peer, f"{policy['metadata']['name']}: {peer}"
                namespace = peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
                allowed_to.add((namespace, tuple(sorted(p["port"] for p in rule["ports"]))))
    assert allowed_to == {("ingress-nginx", (443,)), ("kube-system", (53, 53))}
    # The API it calls is the Ingress's own host, over TLS: PUBLIC_URL of platform-config.
    config = named(resources, "ConfigMap", "portal-config")["data"]
    platform_config = named(resources, "ConfigMap", "platform-config")["data"]
    ingress = named(resources, "Ingress", "platform")
    assert config["PORTAL_API_URL"] == platform_config["PUBLIC_URL"]
    assert config["PORTAL_API_URL"] in {f"https://{rule['host']}" for rule in ingress["spec"]["rules"]}
    assert config["PORTAL_COOKIE_SECURE"] == "true"


def test_dev_points_the_portal_at_its_own_ingress_host():
    resources = overlay("dev")
    config = named(resources, "ConfigMap", "portal-config")["data"]
    ingress = named(resources, "Ingress", "platform")
    assert config["PORTAL_API_URL"] == named(resources, "ConfigMap", "platform-config")["data"]["PUBLIC_URL"]
    assert config["PORTAL_API_URL"] in {f"https://{rule['host']}" for rule in ingress["spec"]["rules"]}


# --- databases, secrets, pods ----------------------------------------------------------------
def test_each_database_is_reachable_only_from_its_own_service():
    resources = overlay("prod")
    policies = of_kind(resources, "NetworkPolicy")
    for service in SERVICES:
        cluster = named(resources, "Cluster", f"{service}-db")
        database_pod = {"cnpg.io/cluster": cluster["metadata"]["name"]}
        guarding = [p for p in policies if selects(p["spec"]["podSelector"], database_pod)]
        assert guarding, f"no NetworkPolicy guards {service}'s database"
        for policy in guarding:
            assert "Ingress" in policy["spec"]["policyTypes"]
            for rule in policy["spec"].get("ingress", []):
                if not any(port["port"] == 5432 for port in rule.get("ports", [])):
                    continue
                for peer in rule["from"]:
                    assert set(peer) == {"podSelector"}, f"{policy['metadata']['name']}: 5432 open to {peer}"
                    for other in SERVICES:
                        if other != service:
                            assert not selects(peer["podSelector"], {"app.kubernetes.io/name": other}), (
                                f"{other} reaches {service}'s database")
        # And only its own pods are given its credentials.
        for owner, template in pod_templates(resources):
            for container in template["spec"]["containers"]:
                for variable in container.get("env", []):
                    secret = variable.get("valueFrom", {}).get("secretKeyRef", {}).get("name")
                    if secret == f"{service}-db-app":
                        assert service_of(template) == service, f"{owner['metadata']['name']} reads {secret}"


def test_the_secrets_referenced_are_the_operators_or_documented_for_operators():
    resources = overlay("prod")
    referenced = set()
    for _owner, template in pod_templates(resources):
        for container in template["spec"]["containers"]:
            for variable in container.get("env", []):
                reference = variable.get("valueFrom", {}).get("secretKeyRef")
                if reference:
                    referenced.add(reference["name"])
        for volume in template["spec"].get("volumes", []):
            if "secret" in volume:
                referenced.add(volume["secret"]["secretName"])
    for ingress in of_kind(resources, "Ingress"):
        referenced |= {tls["secretName"] for tls in ingress["spec"]["tls"]}
    guide = (REPO / "deploy" / "README.md").read_text()
    undocumented = sorted(s for s in referenced - OPERATOR_SECRETS if s not in guide)
    assert not undocumented, f"Secrets deploy/README.md does not tell operators to create: {undocumented}"


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_every_pod_is_locked_down_and_sized(name):
    for owner, template in pod_templates(overlay(name)):
        where = f"{owner['kind']} {owner['metadata']['name']}"
        pod = template["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, where
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", where
        assert pod.get("automountServiceAccountToken") is False, where
        for container in pod["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, where
            assert security["allowPrivilegeEscalation"] is False, where
            assert security["capabilities"]["drop"] == ["ALL"], where
            assert "add" not in security["capabilities"], where
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), where
            assert "memory" in container["resources"]["limits"], where
            mounted = {m["mountPath"] for m in container.get("volumeMounts", [])}
            if service_of(template) in SERVICES:
                assert {"/tmp", "/var/lib/platform"} <= mounted, f"{where}: /tmp and DATA_DIR must be writable"
            elif service_of(template) == PORTAL:
                # The session key comes from a Secret: the portal writes /tmp only.
                assert "/tmp" in mounted, f"{where}: /tmp must be writable"


def test_every_process_of_the_platform_is_scraped_by_prometheus():
    deployments = of_kind(overlay("prod"), "Deployment")
    assert PORTAL in {service_of(d["spec"]["template"]) for d in deployments}
    for deployment in deployments:
        template = deployment["spec"]["template"]
        if service_of(template) not in WORKLOADS:
            continue
        annotations = template["metadata"]["annotations"]
        assert annotations["prometheus.io/scrape"] == "true"
        assert annotations["prometheus.io/path"] == "/metrics"
        ports = {str(p["containerPort"]) for c in template["spec"]["containers"] for p in c["ports"]}
        assert annotations["prometheus.io/port"] in ports, deployment["metadata"]["name"]


# --- the overlays ----------------------------------------------------------------------------
def test_prod_scales_every_process_and_bounds_disruptions():
    resources = overlay("prod")
    autoscalers = {h["spec"]["scaleTargetRef"]["name"]: h for h in of_kind(resources, "HorizontalPodAutoscaler")}
    budgets = of_kind(resources, "PodDisruptionBudget")
    for service in SERVICES:
        for component in ("api", "consumer", "relay"):
            deployment = named(resources, "Deployment", f"{service}-{component}")
            labels = deployment["spec"]["template"]["metadata"]["labels"]
            assert [b for b in budgets if selects(b["spec"]["selector"], labels)], f"no PDB for {service}-{component}"
            if component == "relay":
                assert deployment["spec"]["replicas"] >= 2
            else:
                assert "replicas" not in deployment["spec"], f"{service}-{component}: the HPA owns its replicas"
                assert autoscalers[f"{service}-{component}"]["spec"]["minReplicas"] >= 2
        assert named(resources, "Cluster", f"{service}-db")["spec"]["instances"] == 3
    portal = named(resources, "Deployment", PORTAL)
    assert [b for b in budgets if selects(b["spec"]["selector"], portal["spec"]["template"]["metadata"]["labels"])]
    assert "replicas" not in portal["spec"], "portal: the HPA owns its replicas"
    assert autoscalers[PORTAL]["spec"]["minReplicas"] >= 2
    assert named(resources, "RabbitmqCluster", "rabbitmq")["spec"]["replicas"] == 3
    for claim in of_kind(resources, "PersistentVolumeClaim"):
        assert claim["spec"]["accessModes"] == ["ReadWriteMany"], claim["metadata"]["name"]


def test_dev_runs_one_of_everything():
    resources = overlay("dev")
    assert of_kind(resources, "HorizontalPodAutoscaler") == []
    for deployment in of_kind(resources, "Deployment"):
        assert deployment["spec"]["replicas"] == 1, deployment["metadata"]["name"]
    for cluster in of_kind(resources, "Cluster"):
        assert cluster["spec"]["instances"] == 1
    assert named(resources, "RabbitmqCluster", "rabbitmq")["spec"]["replicas"] == 1


def test_reporting_publishes_the_previous_month_on_the_first():
    cron = named(overlay("prod"), "CronJob", "reporting-publish-month")
    assert cron["spec"]["schedule"].split()[2:4] == ["1", "*"]
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    container = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert container["args"][0] == "publish-month"


def test_the_operational_paths_are_not_public_through_the_ingress(platform):
    """/metrics, /healthz and /readyz are for Prometheus and the kubelet, which call a pod
    directly. The Ingress routes / to the portal and /api/v1/<service>/ to each service: what
    comes through it carries X-Forwarded-For (ingress-nginx sets it), and every process answers
    those paths 404 then, while the probes (no such header) still get their answer."""
    ingress = named(overlay("prod"), "Ingress", "platform")
    paths = {p["path"] for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]}
    assert not {"/metrics", "/healthz", "/readyz"} & paths
    through_ingress = {"X-Forwarded-For": "203.0.113.7"}
    apps = {name: platform.apps[name] for name in SERVICES}
    apps[PORTAL] = portal_app()
    for name, app in apps.items():
        client = app.test_client()
        for path in ("/metrics", "/healthz"):
            assert client.get(path).status_code == 200, (name, path)
            assert client.get(path, headers=through_ingress).status_code == 404, (name, path)
            assert client.get(path, headers={"Forwarded": "for=203.0.113.7"}).status_code == 404, (name, path)


def _through_ingress(peer: str, received: str | None) -> str:
    """The X-Forwarded-For ingress-nginx sends on with compute-full-forwarded-for (its template's
    `$full_x_forwarded_for`: what it received, then the address it received it from)."""
    return f"{received}, {peer}" if received else peer


def test_the_ingress_controller_passes_on_the_client_address_the_services_and_the_portal_trust():
    """ingress-nginx keeps X-Forwarded-For and appends to it, believing it only from the pod
    network; the services and the portal trust the same network (TRUSTED_PROXIES), so both paths
    give them the user's address and a client's own X-Forwarded-For is never believed."""
    from platform_shared.web.client_address import client_address, parse_networks

    [controller] = render("ingress-nginx")
    assert (controller["kind"], controller["metadata"]["name"], controller["metadata"]["namespace"]) == (
        "ConfigMap", "ingress-nginx-controller", "ingress-nginx")
    settings = controller["data"]
    assert settings["use-forwarded-headers"] == "true" and settings["compute-full-forwarded-for"] == "true"
    assert settings["forwarded-for-header"] == "X-Forwarded-For"
    believed_from = set(parse_networks(settings["proxy-real-ip-cidr"]))
    assert believed_from and not any(n.prefixlen == 0 for n in believed_from), "the controller must not believe anyone"
    for name in ("dev", "prod"):
        config = named(overlay(name), "ConfigMap", "platform-config")["data"]
        assert "TRUSTED_PROXY_HOPS" not in config  # a hop count is wrong for one path or the other
        assert set(parse_networks(config["TRUSTED_PROXIES"])) == believed_from, name

    trusted = parse_networks(named(overlay("prod"), "ConfigMap", "platform-config")["data"]["TRUSTED_PROXIES"])
    network = trusted[0]
    ingress_pod, portal_pod = str(network[5]), str(network[9])
    user, spoofed = "198.51.100.23", "192.0.2.66"
    # Browser → Ingress → service, the browser sending an X-Forwarded-For of its own.
    assert client_address(ingress_pod, _through_ingress(user, spoofed), trusted) == user
    # Browser → Ingress → portal: the portal finds the user ...
    at_portal = client_address(ingress_pod, _through_ingress(user, spoofed), trusted)
    assert at_portal == user
    # ... and sends it on (portal.transport.HttpTransport) → Ingress → service.
    assert client_address(ingress_pod, _through_ingress(portal_pod, at_portal), trusted) == user
    # Straight to a pod from outside the pod network: the peer is the client, whatever it claims.
    assert client_address(user, spoofed, trusted) == user
