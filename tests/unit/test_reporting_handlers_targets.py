"""Target lists with the fake unit of work: an operator's list stored whole (each USCC checked,
its province from its registration code unless given) or not at all, replacing the list of the
same name; and its coverage — who of the listed has filed — within the reader's scope, audited."""

from __future__ import annotations

import pytest

from platform_shared.errors import Forbidden, NotFound, RuleBroken
from platform_shared.principal import Principal
from reporting.domain.commands import ReplaceTargetList
from reporting.domain.queries import ReadCoverage
from reporting.domain.targets import TargetEntry
from reporting.service_layer.projections import on_organisation_event, on_product_event
from reporting.service_layer.targets import coverage, handle_replace_target_list
from tests.support.fakes.reporting import FUJIAN, FakeReportingUnitOfWork, organisation_events, product_events, uscc

pytestmark = pytest.mark.unit

OPERATOR = Principal("operator-1", "operator")
FUJIAN_ADMIN = Principal("admin-1", "province_admin", province_code=FUJIAN)


FILED, NEVER, BEIJING = uscc("350100", "2YB6QL4"), uscc("350200", "2YB6QL5"), uscc("110108", "2YB6QL6")


def replace_list(uow, *entries: TargetEntry, name: str = "advantage", title: str = "优势企业"):
    return handle_replace_target_list(ReplaceTargetList(name, title, tuple(entries), OPERATOR), uow)


def test_a_list_is_stored_with_each_province_from_its_registration_code_unless_given():
    uow = FakeReportingUnitOfWork()
    target, organisations = replace_list(uow, TargetEntry(FILED.lower(), "甲"), TargetEntry(f" {NEVER} "),
                                         TargetEntry(BEIJING, "北京某公司", province_code="120000"))
    assert (target.name, target.title, target.uploaded_by, organisations) == ("advantage", "优势企业", "operator-1", 3)
    assert [(m.uscc, m.name, m.province_code) for m in uow.target_lists.members("advantage", None)] == [
        (FILED, "甲", FUJIAN), (NEVER, "", FUJIAN), (BEIJING, "北京某公司", "120000")]
    assert uow.commits == 1


def test_a_list_replaces_the_list_of_the_same_name():
    uow = FakeReportingUnitOfWork()
    replace_list(uow, TargetEntry(FILED), TargetEntry(NEVER))
    replace_list(uow, TargetEntry(BEIJING), title="新名单")
    assert [t.title for t in uow.target_lists.lists(None)] == ["新名单"]
    assert [m.uscc for m in uow.target_lists.members("advantage", None)] == [BEIJING]


def test_a_list_with_bad_entries_names_each_and_changes_nothing():
    uow = FakeReportingUnitOfWork()
    replace_list(uow, TargetEntry(FILED))
    national = "12100000470095016Q"  # registered with a national authority: no province in its code
    with pytest.raises(RuleBroken) as refused:
        replace_list(uow, TargetEntry("91350100M0001TGQXM"), TargetEntry(NEVER), TargetEntry(national),
                     TargetEntry(NEVER))
    assert refused.value.slug == "target-list-invalid"
    assert refused.value.detail == "3 entries of the list cannot be taken; nothing was changed."
    assert set(refused.value.errors or {}) == {"organisations.0.uscc", "organisations.2.province_code",
                                               "organisations.3.uscc"}
    assert "listed twice" in refused.value.errors["organisations.3.uscc"][0]
    assert [m.uscc for m in uow.target_lists.members("advantage", None)] == [FILED] and uow.commits == 1


def test_a_name_no_list_can_have_is_not_found():
    uow = FakeReportingUnitOfWork()
    with pytest.raises(NotFound) as refused:
        replace_list(uow, TargetEntry(FILED), name="Bad Name")
    assert refused.value.slug == "no-such-list" and uow.target_lists.items == {} and uow.commits == 0


def with_a_list_and_a_filing() -> FakeReportingUnitOfWork:
    uow = FakeReportingUnitOfWork()
    filer = organisation_events(uscc=FILED)
    lister = organisation_events(name="福建乙公司", uscc=NEVER)  # registered, never filed
    with uow:
        for event in (*filer, *lister):
            on_organisation_event(event, uow)
        for event in product_events(filer[0]):
            on_product_event(event, uow)
    replace_list(uow, TargetEntry(FILED, "甲"), TargetEntry(NEVER, "乙"), TargetEntry(BEIJING, "北京某公司"))
    return uow


def test_coverage_counts_who_of_the_listed_has_filed_per_province_and_is_audited():
    uow = with_a_list_and_a_filing()
    rows = coverage(ReadCoverage(OPERATOR, None, "advantage"), uow)
    assert [(r["province_code"], r["total"], r["filed"], r["rate"], r["not_filed"]) for r in rows] == [
        ("110000", 1, 0, 0.0, [{"uscc": BEIJING, "name": "北京某公司"}]),
        (FUJIAN, 2, 1, 0.5, [{"uscc": NEVER, "name": "乙"}])]
    [entry] = [e for e in uow.audit_log if e.action != "target_list.replaced"]
    assert (entry.action, entry.subject_id, entry.detail) == ("coverage.read", "national", {"list": "advantage"})


def test_a_province_admin_sees_the_coverage_of_their_province_only():
    uow = with_a_list_and_a_filing()
    rows = coverage(ReadCoverage(FUJIAN_ADMIN, None, None), uow)
    assert [r["province_code"] for r in rows] == [FUJIAN] and uow.audit_log[-1].subject_id == FUJIAN
    with pytest.raises(Forbidden):
        coverage(ReadCoverage(FUJIAN_ADMIN, "110000", None), uow)


def test_the_coverage_of_a_list_that_does_not_exist_is_not_found_and_not_audited():
    uow = with_a_list_and_a_filing()
    with pytest.raises(NotFound) as refused:
        coverage(ReadCoverage(OPERATOR, None, "nope"), uow)
    assert refused.value.slug == "target-list-not-found" and uow.audit_actions() == ["target_list.replaced"]


def test_a_province_admin_stores_a_list_of_its_own_province_only():
    from reporting.service_layer.targets import handle_upload_target_list

    uow = FakeReportingUnitOfWork()
    own = ReplaceTargetList("srdi", "专精特新", (TargetEntry(FILED), TargetEntry(NEVER)), FUJIAN_ADMIN)
    assert handle_replace_target_list(own, uow)[1] == 2
    beijing_admin = Principal("admin-2", "province_admin", province_code="110000")
    for principal, entries in ((FUJIAN_ADMIN, (TargetEntry(FILED), TargetEntry(BEIJING))),
                               (FUJIAN_ADMIN, (TargetEntry(FILED, province_code="110000"),)),
                               (beijing_admin, (TargetEntry(BEIJING),))):  # Fujian's list is not Beijing's
        with pytest.raises(Forbidden) as refused:
            handle_replace_target_list(ReplaceTargetList("srdi", "x", entries, principal), uow)
        assert refused.value.slug == "target-list-outside-province"
    assert len(uow.target_lists.members("srdi", None)) == 2
    replace_list(uow, TargetEntry(FILED), TargetEntry(BEIJING), name="national")
    with pytest.raises(Forbidden):  # a list holding other provinces' organisations is the operators'
        handle_replace_target_list(ReplaceTargetList("national", "x", (TargetEntry(FILED),), FUJIAN_ADMIN), uow)
    # From a file, each bad entry is named by its row.
    with pytest.raises(RuleBroken) as bad:
        handle_upload_target_list(ReplaceTargetList("srdi", "x", (TargetEntry(FILED), TargetEntry("91350100M0001TGQXM"),
                                                                  TargetEntry(NEVER, province_code="999999")),
                                                    FUJIAN_ADMIN), [2, 5, 7], uow)
    assert set(bad.value.errors or {}) == {"rows.5.uscc", "rows.7.province_code"}


def test_a_target_file_is_read_by_its_bytes_within_bounds():
    import io

    import openpyxl

    from platform_shared.errors import TooLarge, UnsupportedMedia
    from reporting.adapters import target_files

    rows = target_files.read_target_file(f"统一社会信用代码,名称\n{FILED},甲\n,\n{NEVER}\n".encode("gb18030"))
    assert [(row, entry.uscc, entry.name) for row, entry in rows] == [(2, FILED, "甲"), (4, NEVER, "")]
    book = openpyxl.Workbook()
    book.active.append([FILED, "甲", FUJIAN])
    content = io.BytesIO()
    book.save(content)
    [(row, entry)] = target_files.read_target_file(content.getvalue())
    assert (row, entry.province_code) == (1, FUJIAN)
    for disguised in (b"%PDF-1.7 x", b"\x89PNG\r\n\x1a\n0000", b"\xd0\xcf\x11\xe0 xls", b"MZ\x00\x00binary"):
        with pytest.raises(UnsupportedMedia):
            target_files.read_target_file(disguised)
    with pytest.raises(RuleBroken) as damaged:
        target_files.read_target_file(b"PK\x03\x04 not really a zip")
    assert list(damaged.value.errors or {}) == ["file"]
    with pytest.raises(TooLarge):
        target_files.read_target_file(b"a" * (target_files.MAX_FILE_BYTES + 1))
    too_many = "\n".join([FILED] * (target_files.MAX_ROWS + 2)).encode()
    with pytest.raises(RuleBroken) as overlong:
        target_files.read_target_file(too_many)
    assert list(overlong.value.errors or {}) == [f"rows.{target_files.MAX_ROWS + 2}"]
