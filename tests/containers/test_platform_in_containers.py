"""The images as deployment runs them: built from the one Dockerfile, each service's migrate, serve,
consume and relay as containers on the machine's RabbitMQ and PostgreSQL, the gateway image in
proxy mode in front, the portal image calling the API through it, and one registration driven
through it to reporting's summary.
"""

from __future__ import annotations

import json
import uuid

import pytest
import requests

from tests.containers.conftest import OPERATOR, SERVICES, ContainerPlatform, _wait_for_http, docker
from tests.deploy.images import command_of
from tests.deploy.images import image as declared_image
from tests.support.embedded import organisation_body
from tests.support.processes import free_port

pytestmark = [pytest.mark.containers, pytest.mark.timeout(1800)]

MAX_IMAGE_BYTES = 400_000_000


def run_once(image: str, *command: str) -> str:
    """`python -c …` or another command in a throwaway container of `image` (no network)."""
    result = docker("run", "--rm", "--network", "none", "--read-only", "--entrypoint", command[0], image,
                    *command[1:], timeout=120)
    return result.stdout


def test_the_images_are_slim_non_root_and_hold_nothing_to_build_with(images):
    probe = ("import importlib.util, json, os, shutil; print(json.dumps({'uid': os.getuid(), "
             "'tools': [t for t in ('gcc', 'cc', 'make', 'pip', 'pip3') if shutil.which(t)], "
             "'pip': importlib.util.find_spec('pip') is not None}))")
    for name, image in images.items():
        facts = json.loads(run_once(image, "python", "-c", probe))
        assert facts == {"uid": 10001, "tools": [], "pip": False}, f"{image}: {facts}"
        config = json.loads(docker("image", "inspect", image).stdout)[0]
        assert config["Config"]["User"] == "10001:10001"
        entrypoint = ["python", "-m", name]
        assert config["Config"]["Entrypoint"] == entrypoint
        # What images.conf declares for it, as the one Dockerfile's build arguments made it.
        declared = declared_image(name)
        assert config["Config"]["Cmd"] == command_of(name)
        assert set(config["Config"]["ExposedPorts"]) == {f"{declared.port}/tcp"}
        assert f"BIND=0.0.0.0:{declared.port}" in config["Config"]["Env"]
        assert config["Config"]["WorkingDir"] == "/var/lib/platform"
        labels = config["Config"]["Labels"]
        assert labels["platform.service"] == name
        assert labels["org.opencontainers.image.title"] == f"patent-platform {name}"
        assert labels["org.opencontainers.image.description"] == declared.description
        assert config["Size"] < MAX_IMAGE_BYTES, f"{image}: {config['Size'] / 1e6:.0f} MB"
        print(f"{image}: {config['Size'] / 1e6:.0f} MB")


@pytest.mark.parametrize("name", ["filing", "identity", "portal", "gateway"])
def test_the_images_that_make_pdfs_embed_a_chinese_font(images, name):
    # Certificates (filing), the forms to sign (identity), the manual (portal): one font kit.
    found = run_once(images[name], "python", "-c",
                     "from platform_shared.pdf import PdfFont; "
                     "f = PdfFont.find(None); print(f.embedded, f.path)")
    embedded, path = found.split()
    assert embedded == "True" and "wqy-microhei" in path, found


def test_the_font_is_only_in_the_images_that_ask_for_it(images):
    probe = "import os; print(os.path.isdir('/usr/share/fonts/truetype/wqy'))"
    for name, image in images.items():
        assert run_once(image, "python", "-c", probe).strip() == str(declared_image(name).cjk_font), name


def test_a_registration_through_the_gateway_reaches_mail_and_reporting(container_platform: ContainerPlatform):
    platform, http = container_platform, container_platform.session
    body = organisation_body(
        contact={"name": "张三", "phone": "13800138000", "email": "zhang.san@huawei.example.cn"},
        account={"email": "filing@huawei.example.cn", "password": "correct horse battery staple"})
    contact, account = body["contact"]["email"], body["account"]["email"]
    operator = {"Authorization": "Bearer " + platform.sign_in(*OPERATOR)}

    def figures() -> dict:
        answer = http.get(platform.url("/api/v1/reporting/summary"), params={"province": "440000"},
                          headers=operator, timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()["organisations"]

    before = figures()
    request_id = f"containers-{uuid.uuid4()}"
    response = http.post(platform.url("/api/v1/identity/organisations"), json=body,
                         headers={"X-Request-ID": request_id}, timeout=15)
    assert response.status_code == 201, response.text
    assert response.headers["X-Request-ID"] == request_id
    assert response.json()["status"] == "registered" and set(response.json()) == {"id", "status"}

    # identity's relay published the event; notify's consumer and worker mailed both people.
    mails = platform.wait_until(lambda: platform.mailbox.to(contact), f"the registration mail to {contact}")
    assert "华为技术有限公司" in mails[0].subject and "注册成功" in mails[0].subject
    platform.wait_until(lambda: platform.mailbox.to(account), f"the registration mail to {account}")

    # reporting's consumer counted the organisation, from the event alone.
    after = platform.wait_until(lambda: (now := figures())["total"] == before["total"] + 1 and now,
                                "reporting to count the organisation in 440000")
    assert after["by_kind"]["enterprise"] == before["by_kind"].get("enterprise", 0) + 1

    # The enterprise's own account signs in through the gateway, and may not read the statistics.
    enterprise = {"Authorization": "Bearer " + platform.sign_in(account, body["account"]["password"])}
    assert http.get(platform.url("/api/v1/identity/me"), headers=enterprise, timeout=10).status_code == 200
    forbidden = http.get(platform.url("/api/v1/reporting/summary"), params={"province": "440000"},
                         headers=enterprise, timeout=10)
    assert forbidden.status_code == 403, forbidden.text


def test_every_process_runs_read_only_as_non_root_and_reports_metrics(container_platform: ContainerPlatform):
    platform = container_platform
    for name in platform.containers.ids:
        if name.endswith(" migrate"):
            assert platform.containers.inspect(name, "{{.State.ExitCode}}") == "0"
        else:
            assert platform.containers.running(name), f"{name} stopped:\n{platform.containers.logs(name)}"
        assert platform.containers.inspect(name, "{{.HostConfig.ReadonlyRootfs}}") == "true"
        assert platform.containers.inspect(name, "{{.Config.User}}") in ("10001:10001", "")
    # The consumers' metrics (METRICS_PORT): reporting handled the registration's event.
    text = requests.get(platform.metrics["reporting"], timeout=5).text
    handled = [line for line in text.splitlines()
               if line.startswith("events_consumed_total{") and 'service="reporting"' in line]
    assert handled and any(float(line.rsplit(" ", 1)[1]) >= 1 for line in handled), text[-2000:]
    # Each API serves its own metrics, and its OpenAPI document through the gateway.
    for service in SERVICES:
        assert "http_requests_total" in requests.get(platform.services[service] + "/metrics", timeout=5).text
        document = platform.session.get(platform.url(f"/api/v1/{service}/openapi.json"), timeout=10)
        assert document.status_code == 200 and document.json()["openapi"].startswith("3.")


def test_the_portal_image_serves_its_chinese_pages_over_the_gateway(container_platform: ContainerPlatform):
    platform = container_platform
    health = requests.get(platform.portal + "/healthz", timeout=10)
    assert health.status_code == 200 and health.json()["status"] == "ok", health.text
    # /readyz asks identity's JWKS through the gateway: the portal reaches the API.
    ready = requests.get(platform.portal + "/readyz", timeout=10)
    assert ready.status_code == 200, ready.text
    # The home page, in Chinese by default, from the portal's own container and through the
    # gateway's `/` (the Ingress's `/` in Kubernetes), which keeps /api/v1/<service>/ to the services.
    for where in (platform.portal, platform.gateway):
        home = requests.get(where + "/", timeout=10)
        assert home.status_code == 200, f"{where}/: {home.status_code} {home.text[:500]}"
        assert home.headers["Content-Type"].startswith("text/html")
        page = home.content.decode("utf-8")
        assert '<html lang="zh-CN">' in page and "专利产品备案平台" in page and "首页" in page, page[:1000]
    login = requests.get(platform.portal + "/login", timeout=10)
    assert login.status_code == 200 and "登录" in login.content.decode("utf-8")
    assert requests.get(platform.url("/api/v1/identity/.well-known/jwks.json"), timeout=10).status_code == 200
    # Its metrics, for Prometheus' scrape of :8080 in Kubernetes.
    assert "http_requests_total" in requests.get(platform.portal + "/metrics", timeout=10).text


def test_the_gateway_image_runs_the_whole_platform_in_one_container(images, containers):
    port = free_port()
    containers.start("gateway embedded", images["gateway"], ["embedded", "--bind", f"127.0.0.1:{port}"],
                     {"LOG_JSON": "false", "IDENTITY_BOOTSTRAP_OPERATOR": ":".join(OPERATOR)})
    try:
        _wait_for_http(f"http://127.0.0.1:{port}/healthz", containers, ["gateway embedded"], 60)
        for service in SERVICES:
            document = requests.get(f"http://127.0.0.1:{port}/api/v1/{service}/openapi.json", timeout=10)
            assert document.status_code == 200, f"{service}: {document.status_code}"
        token = requests.post(f"http://127.0.0.1:{port}/api/v1/identity/tokens",
                              json={"email": OPERATOR[0], "password": OPERATOR[1]}, timeout=10)
        assert token.status_code == 200, token.text
    finally:
        docker("stop", "--time", "15", containers.ids["gateway embedded"], timeout=60, check=False)

