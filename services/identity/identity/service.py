"""identity as the platform runs it (the composition root): its tables and unit of work, the
dependencies its handlers need, built from the settings, its blueprints and subscriptions, and
its start-up duties (the JWKS file, the first operator).

Settings (`IDENTITY_…`, or the platform-wide name):
- `KEYS_DIR` (`<DATA_DIR>/identity/keys`), `GENERATE_KEYS` (true): the RS256 signing keys;
- `PUBLIC_URL` (`http://127.0.0.1:8000`): the base of links mailed to people;
- `ID_NUMBER_KEYS` (or a generated `<DATA_DIR>/identity/id-number.key`): ID numbers at rest;
- `DOCUMENTS_DIR` (`<DATA_DIR>/identity/documents`), `DOCUMENT_MAX_BYTES` (10 MB): documents and
  the provinces' signed forms; `QUOTA_DOCUMENT_FILES` (100), `QUOTA_DOCUMENT_BYTES` (500 MiB): what
  one organisation keeps;
- `REGISTRY` (`checksum`, `file`, `http`) with its `_FILE`, `_URL` and `_TIMEOUT`: real-name checks;
- `RATELIMIT_STORAGE_URI`, `SIGN_IN_LIMIT_PER_ACCOUNT`, `_PER_ADDRESS`, `LOCKOUT_FAILURES`,
  `LOCKOUT_WINDOW_SECONDS`, `LOCKOUT_SECONDS`: sign-in protection;
- `PDF_FONT` (a Debian CJK font if installed): the font embedded in the forms' PDFs;
- `BOOTSTRAP_OPERATOR` (`email:password`): the first operator, created once.
"""

from __future__ import annotations

import logging
from pathlib import Path

from identity.adapters import orm
from identity.adapters.forms import PdfForms
from identity.adapters.id_cipher import IdNumberCipher
from identity.adapters.keys import SigningKeys
from identity.adapters.migrations import MIGRATIONS
from identity.adapters.passwords import PasswordHashing
from identity.adapters.registry import registry_from_settings
from identity.adapters.repository import PeeweeIdentityUnitOfWork
from identity.adapters.sign_in_limits import protection_from_settings
from identity.domain.holds import HoldBounds
from identity.entrypoints.events import SUBSCRIPTIONS
from identity.service_layer.accounts import bootstrap_command, handle_bootstrap_operator
from identity.service_layer.dependencies import IdentityDependencies
from platform_shared.config import ServiceSettings
from platform_shared.pdf import PdfFont
from platform_shared.quotas import MiB, StorageQuota, quota_of
from platform_shared.runtime import ServiceDefinition, ServiceRuntime
from platform_shared.uploads import DEFAULT_MAX_BYTES, LocalContentStore

log = logging.getLogger(__name__)


def signing_keys_from(settings: ServiceSettings) -> SigningKeys:
    keys_dir = settings.setting("KEYS_DIR")
    return SigningKeys(Path(keys_dir) if keys_dir else settings.data_dir / "identity" / "keys",
                       generate_if_missing=settings.setting("GENERATE_KEYS", "true").lower() == "true")


def dependencies_from(settings: ServiceSettings, keys: SigningKeys) -> IdentityDependencies:
    setting = settings.setting
    home = settings.data_dir / "identity"
    return IdentityDependencies(
        signing_keys=keys,
        password_hashing=PasswordHashing(),
        id_cipher=IdNumberCipher.from_config(setting("ID_NUMBER_KEYS"), home / "id-number.key"),
        registry=registry_from_settings(setting),
        # Documents: a PersistentVolume in deployment (IDENTITY_DOCUMENTS_DIR), var/ when embedded.
        document_store=LocalContentStore(Path(setting("DOCUMENTS_DIR") or home / "documents")),
        document_max_bytes=int(setting("DOCUMENT_MAX_BYTES", str(DEFAULT_MAX_BYTES))),
        document_quota=StorageQuota(quota_of("document_files", setting("QUOTA_DOCUMENT_FILES", "100")),
                                    quota_of("document_bytes", setting("QUOTA_DOCUMENT_BYTES", str(500 * MiB)))),
        sign_in_protection=protection_from_settings(setting),
        public_url=setting("PUBLIC_URL", "http://127.0.0.1:8000"),
        forms=PdfForms(PdfFont.find(setting("PDF_FONT") or None)),
        holds=HoldBounds(unverified_days=int(setting("UNVERIFIED_HOLD_DAYS", "30")),
                         warn_days=int(setting("UNVERIFIED_HOLD_WARN_DAYS", "7")),
                         invitation_days=int(setting("INVITATION_HOLD_DAYS", "7")),
                         port_pending_days=int(setting("PORT_PENDING_DAYS", "14"))))


def _start(runtime: ServiceRuntime) -> None:
    keys = signing_keys_from(runtime.settings)
    # The public keys for the services on this machine (JWKS_URL=file://…).
    keys.write_jwks(runtime.settings.data_dir / "identity" / "jwks.json")
    dependencies = dependencies_from(runtime.settings, keys)
    runtime.dependencies = dependencies
    operator = runtime.settings.setting("BOOTSTRAP_OPERATOR")
    if operator:
        with runtime.database.connection_context():
            uow = PeeweeIdentityUnitOfWork(orm.tables, producer=runtime.name)
            if handle_bootstrap_operator(bootstrap_command(operator), uow, dependencies.password_hashing):
                log.info("bootstrap operator created")


def definition() -> ServiceDefinition:
    from identity.entrypoints.api import BLUEPRINTS
    from identity.entrypoints.scheduled import SCHEDULED

    return ServiceDefinition(
        name="identity", title="identity — organisations, accounts and tokens",
        tables=orm.tables, migrations=MIGRATIONS, unit_of_work=PeeweeIdentityUnitOfWork,
        blueprints=lambda: BLUEPRINTS, consumes=SUBSCRIPTIONS, on_start=_start, scheduled=SCHEDULED)
