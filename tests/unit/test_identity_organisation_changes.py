"""The rules of a verified organisation's changes (issue 17, part 3): who changes the contact and
address, what counts as a change, and what a suspended organisation is reinstated to."""

from __future__ import annotations

import datetime as dt

import pytest

from identity.domain import organisation_changes as rules
from identity.domain.holds import HoldBounds, clock_start, hold_state

pytestmark = pytest.mark.unit


def test_only_a_verified_organisations_admin_changes_the_contact():
    rules.check_may_change_contact("verified", organisation_admin=True)
    with pytest.raises(rules.ChangeRefused) as refused:
        rules.check_may_change_contact("verified", organisation_admin=False)
    assert (refused.value.kind, refused.value.slug) == ("forbidden", "not-organisation-admin")
    for status in ("registered", "pending_review", "rejected", "suspended", "lapsed"):
        with pytest.raises(rules.ChangeRefused) as refused:
            rules.check_may_change_contact(status, organisation_admin=True)
        assert (refused.value.kind, refused.value.slug) == ("conflict", "contact-change-not-allowed")


def test_the_city_stays_in_the_province():
    rules.check_city("440300", "440000", "440000")
    rules.check_city(None, "440000", None)
    with pytest.raises(rules.ChangeRefused) as refused:
        rules.check_city("110100", "440000", "110000")
    assert refused.value.field == "city_code"


def test_field_changes_list_what_differs_and_email_case_is_no_change():
    before = {"address": "甲", "city_code": None, "contact.email": "Zhang@Example.cn", "contact.name": "张三"}
    after = {"address": "甲", "city_code": "440300", "contact.email": "zhang@example.cn", "contact.name": "李四"}
    assert [c.as_dict() for c in rules.field_changes(before, after)] == [
        {"field": "city_code", "before": None, "after": "440300"},
        {"field": "contact.name", "before": "张三", "after": "李四"}]
    assert rules.field_changes(before, {}) == []


@pytest.mark.parametrize(("suspended_from", "back_to"), [
    ("verified", "verified"), ("rejected", "rejected"), ("registered", "registered"),
    ("pending_review", "registered"), (None, "registered")])
def test_a_suspended_organisation_returns_to_its_status_before(suspended_from, back_to):
    assert rules.status_after_reinstatement("suspended", suspended_from) == back_to


def test_only_a_suspended_organisation_is_reinstated_and_a_reason_is_given():
    for status in ("verified", "registered", "lapsed"):
        with pytest.raises(rules.ChangeRefused) as refused:
            rules.status_after_reinstatement(status, None)
        assert refused.value.slug == "organisation-not-suspended"
    assert rules.check_reason("  核实无误 ") == "核实无误"
    with pytest.raises(rules.ChangeRefused) as refused:
        rules.check_reason("  ")
    assert refused.value.field == "reason"


def test_a_reinstated_registration_gets_the_whole_hold_again():
    registered = dt.datetime(2026, 1, 1)
    reinstated = dt.datetime(2026, 3, 1)
    bounds = HoldBounds()
    assert clock_start(registered, None) == registered
    assert clock_start(registered, reinstated) == reinstated
    now = dt.datetime(2026, 3, 10)
    assert hold_state("registered", clock_start(registered, None), now, bounds) == "lapse"
    assert hold_state("registered", clock_start(registered, reinstated), now, bounds) == "held"


def test_only_a_verified_organisations_admin_asks_for_a_change_one_at_a_time():
    rules.check_may_request_change("verified", organisation_admin=True, pending=False)
    for status, admin, pending, slug in (("verified", False, False, "not-organisation-admin"),
                                         ("registered", True, False, "change-request-not-allowed"),
                                         ("suspended", True, False, "change-request-not-allowed"),
                                         ("verified", True, True, "change-request-pending")):
        with pytest.raises(rules.ChangeRefused) as refused:
            rules.check_may_request_change(status, organisation_admin=admin, pending=pending)
        assert refused.value.slug == slug


def test_a_change_request_brings_the_business_licence():
    rules.check_change_documents(["business_license", "authorization_letter"])
    with pytest.raises(rules.ChangeRefused) as refused:
        rules.check_change_documents(["integrity_commitment"])
    assert refused.value.field == "document_ids"


def test_the_id_number_of_a_change_is_shown_masked():
    changes = rules.field_changes({"name": "甲", "legal_representative.id_number": "11010519491231002X"},
                                  {"name": "乙", "legal_representative.id_number": "110105198001010112"})
    assert rules.mask_changes(changes, {"before": "110105********002X", "after": "110105********0112"}) == [
        {"field": "name", "before": "甲", "after": "乙"},
        {"field": "legal_representative.id_number", "before": "110105********002X", "after": "110105********0112"}]
    assert "uscc" not in rules.REVIEWED_FIELDS
