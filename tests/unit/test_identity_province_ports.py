"""Rules of the provincial management port (identity.domain.province_ports) and the database's
guard of one open application per province (identity.adapters.orm)."""

from __future__ import annotations

import datetime as dt
import uuid

import peewee
import pytest

from identity.adapters.orm import ProvincePortApplication
from identity.domain.province_ports import APPROVED, REJECTED, SUBMITTED, DecisionRefused, decide
from platform_shared.database import open_database

pytestmark = pytest.mark.unit


def test_a_submitted_application_may_be_approved_without_a_reason():
    decision = decide(SUBMITTED, "approve", None)
    assert (decision.status, decision.reason) == (APPROVED, None)


def test_a_rejection_keeps_its_reason_trimmed():
    decision = decide(SUBMITTED, "reject", "  申请表缺少单位盖章。 ")
    assert (decision.status, decision.reason) == (REJECTED, "申请表缺少单位盖章。")


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_rejection_without_a_reason_is_refused_naming_the_field(reason):
    with pytest.raises(DecisionRefused) as refused:
        decide(SUBMITTED, "reject", reason)
    assert (refused.value.conflict, refused.value.field) == (False, "reason")


@pytest.mark.parametrize("status", [APPROVED, REJECTED])
@pytest.mark.parametrize("outcome", ["approve", "reject"])
def test_a_decided_application_is_never_decided_again(status, outcome):
    with pytest.raises(DecisionRefused) as refused:
        decide(status, outcome, "再议")
    assert refused.value.conflict is True


def test_an_unknown_outcome_is_refused():
    with pytest.raises(DecisionRefused) as refused:
        decide(SUBMITTED, "return", "x")
    assert refused.value.field == "outcome"


@pytest.fixture
def applications(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'identity.db'}")
    with database.bind_ctx([ProvincePortApplication]), database.connection_context():
        database.create_tables([ProvincePortApplication])
        yield database
    database.close_all() if hasattr(database, "close_all") else database.close()


def _row(province: str, status: str) -> dict:
    return {"id": str(uuid.uuid4()), "province_code": province, "office_name": "青海省知识产权局",
            "contact_name": "王五",
                "contact_title": "处长", "contact_phone": "13800138000", "contact_email": "wang@qh.example.cn",
                "form_sha256": "0" * 64, "form_media_type": "application/pdf", "form_size": 100, "status": status,
                "submitted_at": dt.datetime(2026, 5, 5)}


@pytest.mark.parametrize(("first", "second"), [(SUBMITTED, SUBMITTED), (APPROVED, SUBMITTED), (SUBMITTED, APPROVED)])
def test_the_database_refuses_a_second_open_application_for_a_province(applications, first, second):
    ProvincePortApplication.create(**_row("630000", first))
    with pytest.raises(peewee.IntegrityError), applications.atomic():
        ProvincePortApplication.create(**_row("630000", second))


def test_rejected_applications_do_not_hold_their_province(applications):
    for status in (REJECTED, REJECTED, SUBMITTED):
        ProvincePortApplication.create(**_row("630000", status))
    ProvincePortApplication.create(**_row("540000", SUBMITTED))
    assert ProvincePortApplication.select().count() == 4
