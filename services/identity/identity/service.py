"""identity as the platform runs it: its database, migrations, API and start-up duties."""

from __future__ import annotations

import logging
from pathlib import Path

from identity.adapters import orm
from identity.adapters.id_cipher import IdNumberCipher
from identity.adapters.keys import SigningKeys
from identity.adapters.migrations import MIGRATIONS
from identity.service_layer.accounts import PasswordHashing, bootstrap_operator
from platform_shared.runtime import ServiceDefinition, ServiceRuntime

log = logging.getLogger(__name__)


def _start(runtime: ServiceRuntime) -> None:
    settings = runtime.settings
    home = settings.data_dir / "identity"
    keys_dir = settings.setting("KEYS_DIR")
    keys = SigningKeys(Path(keys_dir) if keys_dir else home / "keys",
                       generate_if_missing=settings.setting("GENERATE_KEYS", "true").lower() == "true")
    keys.write_jwks(home / "jwks.json")
    runtime.components["signing_keys"] = keys
    runtime.components["id_cipher"] = IdNumberCipher.from_config(
        settings.setting("ID_NUMBER_KEYS"), home / "id-number.key")
    hashing = PasswordHashing()
    runtime.components["password_hashing"] = hashing
    operator = settings.setting("BOOTSTRAP_OPERATOR")
    if operator:
        with runtime.database.connection_context():
            if bootstrap_operator(operator, hashing):
                log.info("bootstrap operator created")


def definition() -> ServiceDefinition:
    from identity.entrypoints.api import blp

    return ServiceDefinition(
        name="identity", title="identity — organisations, accounts and tokens",
        database=orm.database, outbox=orm.Outbox, inbox=orm.Inbox, migrations=MIGRATIONS,
        blueprints=lambda: [blp], consumes=(), on_start=_start)
