"""Configuration read from environment variables, with the embedded defaults.

Every service reads its settings through `ServiceSettings.from_env(name)`. Without any
variable set, a service runs on the embedded default: a SQLite file under `var/`, the
in-process `memory://` bus and a mail sink folder. Deployment sets `DATABASE_URL`,
`AMQP_URL` and the rest (the Kubernetes ConfigMap and Secrets name the same variables).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class ServiceSettings:
    """What one service needs to know about its surroundings."""

    service: str
    data_dir: Path
    database_url: str
    amqp_url: str
    jwks_url: str
    # The CA the broker's certificate must chain to on amqps:// (messaging.tls).
    amqp_ca_file: str = ""
    log_level: str = "INFO"
    log_json: bool = True
    prefetch: int = 200
    consumer_batch: int = 100
    relay_batch: int = 500
    delivery_limit: int = 5
    handler_attempts: int = 3
    max_body_bytes: int = 1_048_576
    migrate_on_start: bool = True
    env: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_env(cls, service: str, env: Mapping[str, str] | None = None) -> ServiceSettings:
        """Settings of `service`; a variable `<SERVICE>_X` wins over the platform-wide `X`."""
        env = os.environ if env is None else env
        prefix = service.upper() + "_"

        def get(name: str, default: str = "") -> str:
            return env.get(prefix + name) or env.get(name) or default

        data_dir = Path(get("DATA_DIR", "var")).resolve()
        return cls(
            service=service,
            data_dir=data_dir,
            database_url=get("DATABASE_URL", f"sqlite:///{data_dir / (service + '.db')}"),
            amqp_url=get("AMQP_URL", "memory://"),
            amqp_ca_file=get("AMQP_CA_FILE", ""),
            jwks_url=get("JWKS_URL", "http://127.0.0.1:8000/api/v1/identity/.well-known/jwks.json"),
            log_level=get("LOG_LEVEL", "INFO"),
            log_json=_flag(get("LOG_JSON"), True),
            prefetch=int(get("PREFETCH", "200")),
            consumer_batch=int(get("CONSUMER_BATCH", "100")),
            relay_batch=int(get("RELAY_BATCH", "500")),
            delivery_limit=int(get("DELIVERY_LIMIT", "5")),
            handler_attempts=int(get("HANDLER_ATTEMPTS", "3")),
            max_body_bytes=int(get("MAX_BODY_BYTES", "1048576")),
            migrate_on_start=_flag(get("MIGRATE_ON_START"), True),
            env=dict(env),
        )

    def setting(self, name: str, default: str = "") -> str:
        """A service-specific setting `<SERVICE>_<NAME>` (or the platform-wide `<NAME>`)."""
        prefix = self.service.upper() + "_"
        return self.env.get(prefix + name) or self.env.get(name) or default
