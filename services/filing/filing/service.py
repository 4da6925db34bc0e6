"""filing as the platform runs it: its database, migrations, API, consumers and start-up duties."""

from __future__ import annotations

from pathlib import Path

from filing.adapters import orm
from filing.adapters.certificate import CertificateFont
from filing.adapters.migrations import MIGRATIONS
from filing.domain.annual_update import AnnualUpdateWindow
from filing.service_layer.decisions import on_decision_made, on_product_recognised
from filing.service_layer.organisations import on_organisation_event
from platform_shared.event_handlers import route
from platform_shared.events.catalogue.identity import ORGANISATION_STATUS_AFTER as STATUS_AFTER
from platform_shared.patents.registry import registry_from_settings
from platform_shared.runtime import Consumes, ServiceDefinition, ServiceRuntime
from platform_shared.uploads import DEFAULT_MAX_BYTES, LocalContentStore


def _start(runtime: ServiceRuntime) -> None:
    settings = runtime.settings
    home = settings.data_dir / "filing"
    components = runtime.components
    # The platform's address as people reach it: the base of the certificate's verification link.
    components["public_url"] = settings.setting("PUBLIC_URL", "http://127.0.0.1:8000")
    # Materials: a PersistentVolume in deployment (FILING_MATERIALS_DIR), var/ when embedded.
    components["material_store"] = LocalContentStore(Path(settings.setting("MATERIALS_DIR") or home / "materials"))
    components["material_max_bytes"] = int(settings.setting("MATERIAL_MAX_BYTES", str(DEFAULT_MAX_BYTES)))
    components["bulk_max_bytes"] = int(settings.setting("BULK_MAX_BYTES", str(DEFAULT_MAX_BYTES)))
    components["patent_registry"] = registry_from_settings(settings.setting)
    window = settings.setting("ANNUAL_UPDATE_WINDOW", "01-01/03-31")
    components["annual_update_window"] = AnnualUpdateWindow.parse(window)
    components["certificate_font"] = CertificateFont.find(settings.setting("CERTIFICATE_FONT") or None)


def definition() -> ServiceDefinition:
    from filing.entrypoints.api import BLUEPRINTS

    return ServiceDefinition(
        name="filing", title="filing — products and filings",
        tables=orm.tables, migrations=MIGRATIONS, blueprints=lambda: list(BLUEPRINTS),
        consumes=[Consumes("organisations", ["identity.organisation.*"],
                           route(dict.fromkeys(STATUS_AFTER, on_organisation_event))),
                  Consumes("decisions", ["review.decision.made"], route({"review.decision.made": on_decision_made})),
                  Consumes("recognitions", ["review.product.recognised"],
                           route({"review.product.recognised": on_product_recognised}))],
        on_start=_start)
