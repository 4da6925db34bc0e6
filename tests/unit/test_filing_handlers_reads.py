"""What filing shows, handled with filing's unit of work in memory: the products a caller may
list and read (staff reads recorded in the audit log), the certificate of a product on record,
and the public check of a filing number (nothing confidential)."""

from __future__ import annotations

import datetime as dt

import pytest

from filing.domain.review_outcomes import Recognition, RecognitionOptIn
from filing.service_layer import certificates, product_views, public_verification
from platform_shared.errors import Conflict, NotFound
from platform_shared.moments import utcnow
from platform_shared.pages import PageRequest
from tests.support.fakes.filing import (
    MEMBER,
    OPERATOR,
    REVIEWER,
    STRANGER,
    FakeCertificates,
    FakeFilingUnitOfWork,
    product_in,
    verified_uow,
)

pytestmark = pytest.mark.unit
PUBLIC_URL = "https://ba.example.cn/"


@pytest.fixture
def uow() -> FakeFilingUnitOfWork:
    return verified_uow()


def listed(uow, principal, **filters):
    which = product_views.filter_for(principal, **filters)
    return product_views.list_products(principal, which, PageRequest(1, 10), uow)


def test_a_member_lists_its_organisations_products_newest_change_first(uow):
    older = product_in(uow, model="A", updated_at=utcnow() - dt.timedelta(days=1))
    newer = product_in(uow, "recognised", model="B")
    product_in(uow, organisation_id="org-2", model="C")

    page = listed(uow, MEMBER, organisation_id="org-2")  # not staff: the filter is its own organisation
    assert [p["id"] for p in page["items"]] == [newer.id, older.id] and page["total"] == 2
    assert [p["recognised"] for p in page["items"]] == [True, False]
    assert uow.audit_log == []


def test_staff_list_everything_filtered_and_the_list_is_audited(uow):
    mine = product_in(uow, "filed", model="Mate X")
    product_in(uow, organisation_id="org-2", model="P70")

    assert listed(uow, REVIEWER)["total"] == 2
    assert [p["id"] for p in listed(uow, REVIEWER, text="mate x")["items"]] == [mine.id]
    assert [p["id"] for p in listed(uow, OPERATOR, text=mine.filing_number)["items"]] == [mine.id]
    assert listed(uow, OPERATOR, status="draft", organisation_id="org-1")["total"] == 0
    assert [e.action for e in uow.audit_log] == ["product.list"] * 4
    assert dict(uow.audit_log[1].detail) == {"products": [mine.id]} and uow.audit_log[1].subject_id is None


def test_one_product_with_its_declaration_decisions_and_recognitions(uow):
    product = product_in(uow, "recognised", last_decision={
        "task_id": "t-1", "outcome": "approve", "reasons": [], "decided_at": "2031-03-01T08:00:00"})
    uow.recognitions.add(Recognition(product.id, 2031, "round-1", utcnow()))
    uow.opt_ins.keep(RecognitionOptIn(product.id, 2032, True, "erin", utcnow()))

    shown = product_views.read_product(product.id, MEMBER, uow)
    assert (shown["status"], shown["recognised"], shown["recognised_years"]) == ("recognised", True, [2031])
    assert shown["economic_data"][0]["sales_revenue"] == "5000000.00" and shown["patents"][0]["dispute"] is False
    assert shown["last_decision"]["decided_at"] == dt.datetime(2031, 3, 1, 8)
    assert [o["year"] for o in shown["recognition_opt_ins"]] == [2032] and shown["industry_name"]
    assert uow.audit_log == []
    product_views.read_product(product.id, REVIEWER, uow)
    [entry] = uow.audit_log
    assert (entry.action, dict(entry.detail)) == ("product.read", {"organisation_id": "org-1"})
    with pytest.raises(NotFound):
        product_views.read_product(product.id, STRANGER, uow)


def test_the_certificate_of_a_product_on_record_says_what_was_filed(uow):
    product = product_in(uow, "filed")
    renderer = FakeCertificates()
    number, document = certificates.certificate_of(product.id, MEMBER, uow, renderer, PUBLIC_URL)

    assert number == product.filing_number and document == f"certificate {number}".encode()
    [content] = renderer.rendered
    assert content.verification_url == f"https://ba.example.cn/verify?number={number}"
    assert (content.organisation_name, content.organisation_uscc) == ("深圳测试科技有限公司", "914403001922038216")
    assert [p.number for p in content.patents] == ["201710601862.3"] and content.industry.startswith("01 ")
    assert uow.audit_log == []
    certificates.certificate_of(product.id, OPERATOR, uow, renderer, PUBLIC_URL)
    [entry] = uow.audit_log
    assert (entry.action, dict(entry.detail)) == ("product.certificate", {"filing_number": number})


def test_no_certificate_before_filing_nor_for_a_stranger(uow):
    draft, filed = product_in(uow, model="A"), product_in(uow, "filed", model="B")
    with pytest.raises(Conflict) as refused:
        certificates.certificate_of(draft.id, MEMBER, uow, FakeCertificates(), PUBLIC_URL)
    assert refused.value.slug == "wrong-status"
    with pytest.raises(NotFound):
        certificates.certificate_of(filed.id, STRANGER, uow, FakeCertificates(), PUBLIC_URL)


@pytest.mark.parametrize("status", ["filed", "recognised", "cancelled", "revoked"])
def test_a_filing_number_is_checked_as_typed_telling_nothing_confidential(uow, status):
    product = product_in(uow, status)
    closed = dt.datetime(2031, 7, 1, 9, 30)
    if status in ("cancelled", "revoked"):
        product.closed_at = closed
        uow.products.save(product)
    typed = " " + product.filing_number.lower() + " "
    answer = public_verification.verify_filing(typed, uow)
    valid = status in ("filed", "recognised")
    assert answer == {"filing_number": product.filing_number, "product_name": "智能手机", "model": "Mate 60 Pro",
                      "brand": "华为", "organisation_name": "深圳测试科技有限公司", "status": status,
                      "filed_on": product.filed_at.date(), "valid": valid,
                      "status_since": None if valid else closed.date(), "organisation_suspended": False,
                      "edition": 1, "amended_on": None}


@pytest.mark.parametrize("number", ["BA-2031-44-999999", "not a number", ""])
def test_an_unknown_number_is_not_genuine(uow, number):
    product_in(uow, "submitted", filing_number="BA-2031-44-000009")
    with pytest.raises(NotFound) as refused:
        public_verification.verify_filing(number or "BA-2031-44-000009", uow)
    assert refused.value.slug == "filing-not-found"
