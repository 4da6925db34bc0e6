"""TLS to the broker: how a service verifies the RabbitMQ cluster it talks AMQPS to.

On `amqps://` the broker's certificate must chain to `AMQP_CA_FILE` (the cluster's CA, mounted
from a Secret; the system's CAs when unset) and name the host of the URL: py-amqp's own
default for `amqps://` checks the chain but not the name, which would let any certificate
of the same CA stand in for the broker. Other schemes (`amqp://` on a developer's machine
and in tests, `memory://`) use no TLS.
"""

from __future__ import annotations

import ssl
from typing import Any
from urllib.parse import urlsplit


def tls_options(url: str, ca_file: str = "") -> dict[str, Any] | bool:
    """kombu's `ssl` argument for a connection to `url`: False unless it is `amqps://`."""
    parts = urlsplit(url)
    if parts.scheme != "amqps":
        return False
    options: dict[str, Any] = {"cert_reqs": ssl.CERT_REQUIRED, "server_hostname": parts.hostname}
    if ca_file:
        options["ca_certs"] = ca_file
    return options
