"""identity as the platform runs it: its database, migrations, API and start-up duties."""

from __future__ import annotations

import logging
from pathlib import Path

from identity.adapters import orm
from identity.adapters.id_cipher import IdNumberCipher
from identity.adapters.keys import SigningKeys
from identity.adapters.migrations import MIGRATIONS
from identity.adapters.registry import registry_from_settings
from identity.service_layer.accounts import PasswordHashing, bootstrap_operator
from identity.service_layer.decisions import on_decision_made
from identity.service_layer.sign_in import protection_from_settings
from platform_shared.event_handlers import route
from platform_shared.runtime import Consumes, ServiceDefinition, ServiceRuntime
from platform_shared.uploads import DEFAULT_MAX_BYTES, LocalContentStore

log = logging.getLogger(__name__)


def _start(runtime: ServiceRuntime) -> None:
    settings = runtime.settings
    home = settings.data_dir / "identity"
    keys_dir = settings.setting("KEYS_DIR")
    keys = SigningKeys(Path(keys_dir) if keys_dir else home / "keys",
                       generate_if_missing=settings.setting("GENERATE_KEYS", "true").lower() == "true")
    keys.write_jwks(home / "jwks.json")
    runtime.components["signing_keys"] = keys
    # The platform's address as people reach it: the base of links mailed to them.
    runtime.components["public_url"] = settings.setting("PUBLIC_URL", "http://127.0.0.1:8000")
    runtime.components["id_cipher"] = IdNumberCipher.from_config(
        settings.setting("ID_NUMBER_KEYS"), home / "id-number.key")
    hashing = PasswordHashing()
    runtime.components["password_hashing"] = hashing
    # Documents: a PersistentVolume in deployment (IDENTITY_DOCUMENTS_DIR), var/ when embedded.
    runtime.components["document_store"] = LocalContentStore(
        Path(settings.setting("DOCUMENTS_DIR") or home / "documents"))
    runtime.components["document_max_bytes"] = int(settings.setting("DOCUMENT_MAX_BYTES", str(DEFAULT_MAX_BYTES)))
    runtime.components["registry"] = registry_from_settings(settings.setting)
    runtime.components["sign_in_protection"] = protection_from_settings(settings.setting)
    operator = settings.setting("BOOTSTRAP_OPERATOR")
    if operator:
        with runtime.database.connection_context():
            if bootstrap_operator(operator, hashing):
                log.info("bootstrap operator created")


def definition() -> ServiceDefinition:
    from identity.entrypoints.accounts import blp as accounts_blp
    from identity.entrypoints.api import blp
    from identity.entrypoints.documents import blp as documents_blp
    from identity.entrypoints.organisations import blp as organisations_blp
    from identity.entrypoints.province_ports import blp as province_ports_blp

    return ServiceDefinition(
        name="identity", title="identity — organisations, accounts and tokens",
        tables=orm.tables, migrations=MIGRATIONS,
        blueprints=lambda: [blp, province_ports_blp, organisations_blp, documents_blp, accounts_blp],
        consumes=[Consumes("decisions", ["review.decision.made"],
                           route({"review.decision.made": on_decision_made}))],
        on_start=_start)
