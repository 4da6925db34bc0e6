"""Bulk filing, handled with filing's unit of work in memory: a file refused as a whole (415 or
422), a caller who may not file refused before any row, every row validated like `POST /products`
with its errors by column, repeats within the file and conflicts with stored products named, and
the valid rows written as drafts each in its own savepoint."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from filing.domain.bulk import BulkFileRefused
from filing.domain.commands import BulkCreate
from filing.service_layer.bulk import handle_bulk
from platform_shared.errors import Forbidden, QuotaExceeded, RuleBroken, UnsupportedMedia
from platform_shared.quotas import Quota
from tests.support.fakes.filing import (
    MEMBER,
    FakeBulkFiles,
    FakeFilingUnitOfWork,
    organisation_in,
    product_in,
    verified_uow,
)

pytestmark = pytest.mark.unit
ROOMY = Quota("drafts", 1000)
COMMAND = BulkCreate(b"name,brand,...", "products.csv", MEMBER)


@pytest.fixture
def uow() -> FakeFilingUnitOfWork:
    return verified_uow()


def validate(draft: Mapping[str, Any]) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """Like the schema: a name is required, and variants must not be blank."""
    errors = {}
    if not draft.get("name"):
        errors["name"] = ["Missing data for required field."]
    for index, variant in enumerate(draft.get("variants", [])):
        if not variant.strip():
            errors[f"variants.{index}"] = ["must not be blank"]
    if errors:
        return None, errors
    return {"description": "", "launched_on": None, "industry_code": "01", **draft}, {}


def row(name: str | None, model: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "brand": "华为", "model": model, "variants": [], "economic_data": [], "patents": [], **more}


def test_valid_rows_become_drafts_and_every_other_row_says_what_is_wrong_by_column(uow):
    product_in(uow, "filed", organisation_id="org-2", model="Taken")
    files = FakeBulkFiles([row("手机", "A"), row(None, "B", variants=[" "]), row("手机", "a"), row("手机", "Taken"),
                           row("平板", "C")])
    result = handle_bulk(COMMAND, uow, files, validate, quota=ROOMY)

    assert result["rows"] == 5 and [c["row"] for c in result["created"]] == [2, 6]
    assert {uow.products.get(c["id"]).model for c in result["created"]} == {"A", "C"}
    errors = {e["row"]: e["errors"] for e in result["errors"]}
    assert errors[3] == {"name（产品名称）": ["Missing data for required field."],
                         "variants（规格型号变体）第1项": ["must not be blank"]}
    assert errors[4] == {"model（型号）": ["the same brand and model as row 2"]}
    assert errors[5] == {"model（型号）": ["already filed or under review"]}
    assert uow.commits == 2 and len(uow.products) == 3


@pytest.mark.parametrize(("unsupported", "refusal"), [(True, UnsupportedMedia), (False, RuleBroken)])
def test_a_file_refused_as_a_whole_writes_nothing(uow, unsupported, refusal):
    files = FakeBulkFiles(refused=BulkFileRefused("The file has no data rows.", unsupported=unsupported))
    with pytest.raises(refusal) as refused:
        handle_bulk(COMMAND, uow, files, validate, quota=ROOMY)
    assert refused.value.slug == "bulk-file-refused"
    assert refused.value.errors == {"file": ["The file has no data rows."]}
    assert refused.value.detail == "The file has no data rows." and len(uow.products) == 0


def test_a_member_of_an_unverified_organisation_is_refused_before_any_row(uow):
    organisation_in(uow, "pending")
    checked = []

    def watching(draft):
        checked.append(draft)
        return validate(draft)

    with pytest.raises(Forbidden):
        handle_bulk(COMMAND, uow, FakeBulkFiles([row("手机", "A")]), watching, quota=ROOMY)
    assert checked == [] and len(uow.products) == 0


def test_a_file_whose_rows_would_pass_the_drafts_quota_makes_no_draft(uow):
    product_in(uow, model="Existing")
    files = FakeBulkFiles([row("手机", "A"), row("平板", "B"), row(None, "invalid")])
    with pytest.raises(QuotaExceeded) as refused:
        handle_bulk(COMMAND, uow, files, validate, quota=Quota("drafts", 2))
    assert (refused.value.quota, refused.value.limit, refused.value.used) == ("drafts", 2, 1)
    assert len(uow.products) == 1
    # The two valid rows fit a quota of three: only valid rows count.
    result = handle_bulk(COMMAND, uow, files, validate, quota=Quota("drafts", 3))
    assert len(result["created"]) == 2 and uow.products.drafts_of(MEMBER.organisation_id) == 3
