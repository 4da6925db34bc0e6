"""Target lists over HTTP: an operator uploads one (organisations that should have filed), and
readers see its coverage in their scope."""

from __future__ import annotations

from typing import Any

from platform_shared.web.access import current_principal
from platform_shared.web.attachments import upload_body_limit
from platform_shared.web.blueprint import ServiceBlueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.routes import endpoint
from reporting.domain.commands import ReplaceTargetList
from reporting.domain.queries import ReadCoverage
from reporting.domain.scope import READERS
from reporting.domain.targets import MAX_FILE_BYTES, TargetEntry
from reporting.entrypoints import target_lists_schemas as schemas
from reporting.service_layer.dependencies import ReportingDependencies
from reporting.service_layer.targets import coverage, handle_replace_target_list, handle_upload_target_list
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

blp = ServiceBlueprint("target_lists", __name__)
# Operators upload any list; a province admin its province's own (every organisation of it).
UPLOADERS = ("operator", "province_admin")


@endpoint(blp, "/target-lists/<name>", "PUT", roles=UPLOADERS, body=schemas.TargetListIn,
          response=(200, schemas.TargetListOut), problems=(401, 403, 404, 422))
def put_target_list(body: dict[str, Any], name: str) -> dict[str, Any]:
    """Create or replace a target list: organisations (by USCC) that should have filed, e.g.
    national IP advantage and demonstration enterprises (operators), or a province's own list,
    e.g. specialised "专精特新" SMEs (its province admins: every organisation of their province,
    and not a list holding another province's — 403). Each USCC is checked; its province is the
    one it was registered in unless given. 404 for a name other than
    lower-case letters, digits, `-` and `_`."""
    entries = tuple(TargetEntry(uscc=entry["uscc"], name=entry["name"], province_code=entry["province_code"])
                    for entry in body["organisations"])
    target, organisations = handle_replace_target_list(
        ReplaceTargetList(name=name, title=body["title"], organisations=entries, principal=current_principal()),
        current_uow(ReportingUnitOfWork))
    return {"name": target.name, "title": target.title, "organisations": organisations,
            "uploaded_at": target.uploaded_at}


@endpoint(blp, "/target-lists/<name>/file", "PUT", roles=UPLOADERS, form=schemas.TargetListFileForm,
          response=(200, schemas.TargetListOut), problems=(401, 403, 404, 413, 415, 422),
          max_bytes=upload_body_limit(lambda: MAX_FILE_BYTES))
def put_target_list_file(form: dict[str, Any], name: str) -> dict[str, Any]:
    """Create or replace a target list from a spreadsheet of USCCs (operators), as `PUT
    /target-lists/<name>` does from JSON (operators; province admins their province's own
    lists, as there). The file is judged by its bytes: 415 for what is no
    spreadsheet, 422 naming each bad row (`rows.<row>.uscc`) — nothing changes then."""
    reader = current_dependencies(ReportingDependencies).read_target_file
    if reader is None:
        raise TypeError("reporting's target file reader is not set")
    rows = reader(form["file"].stream.read(MAX_FILE_BYTES + 1))
    command = ReplaceTargetList(name=name, title=form["title"], organisations=tuple(entry for _, entry in rows),
                                principal=current_principal())
    target, organisations = handle_upload_target_list(command, [row for row, _ in rows],
                                                      current_uow(ReportingUnitOfWork))
    return {"name": target.name, "title": target.title, "organisations": organisations,
            "uploaded_at": target.uploaded_at}


@endpoint(blp, "/coverage", "GET", roles=READERS, query=schemas.CoverageQuery, response=(200, schemas.CoverageOut),
          problems=(401, 403, 404))
def get_coverage(query: dict[str, Any]) -> dict[str, Any]:
    """Per target list and province: how many listed organisations have filed at least one
    product, the rate, and which have not (province admins: their province only). Audited."""
    asked = ReadCoverage(current_principal(), query["province"], query["list"])
    return {"items": coverage(asked, current_uow(ReportingUnitOfWork))}
