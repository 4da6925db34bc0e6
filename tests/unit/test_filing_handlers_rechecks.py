"""Re-checking filed products' patents, with filing's unit of work in memory and a registry whose
answers the test sets: each check kept once per product, patent and check (a repeated run asks
nothing and says nothing), a lost patent announced with its deadline and the product marked,
suspension past the grace period, the mark lifted when the patent holds again, an expiry in
advance announced once, and a registry that cannot answer changing nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from filing.service_layer import certificates, product_views
from filing.service_layer.patent_rechecks import (
    RecheckRun,
    annual_update_key,
    on_round_opened,
    recheck_all,
    recheck_product,
    run_requested,
)
from filing.service_layer.public_verification import verify_filing
from platform_shared.errors import Conflict, Forbidden
from platform_shared.events.contracts import build_event
from platform_shared.pages import PageRequest
from platform_shared.patents.registry import RegistryUnavailable
from platform_shared.patents.verdict import PatentVerdict, RegisteredHolder, RegisterRecord
from platform_shared.principal import Principal
from tests.support.fakes.filing import (
    MEMBER,
    OPERATOR,
    VALID_PATENT,
    FakeCertificates,
    FakeFilingUnitOfWork,
    deliver,
    organisation_in,
    product_in,
    verified_uow,
)

pytestmark = pytest.mark.unit

NOW = dt.datetime(2027, 1, 1, 1, 0)
PROBLEM = "filing.product.patent_problem_found"
ORG_NAME = "深圳测试科技有限公司"


class Registry:
    """Answers per number as the test sets them; counts the questions."""

    name = "file"

    def __init__(self) -> None:
        self.answers: dict[str, PatentVerdict] = {}
        self.asked = 0
        self.down = False

    def set(self, number: str, status: str = "valid", holders: tuple[str, ...] = (ORG_NAME,),
            expires_on: dt.date | None = None) -> None:
        record = RegisterRecord("file", status, tuple(RegisteredHolder(h) for h in holders), expires_on=expires_on)
        self.answers[number] = PatentVerdict(status == "valid", None if status == "valid" else "not valid", record)

    def check(self, number: str) -> PatentVerdict:
        self.asked += 1
        if self.down:
            raise RegistryUnavailable("down")
        return self.answers[number]


@pytest.fixture
def uow() -> FakeFilingUnitOfWork:
    return verified_uow()


@pytest.fixture
def registry() -> Registry:
    found = Registry()
    found.set(VALID_PATENT)
    return found


def run(uow, registry, now=NOW, grace=90):
    return recheck_all(lambda: uow.products.on_record_ids(), lambda: uow, registry, now, grace)


def types(uow):
    return [e.type for e in uow.events]


def test_patents_that_still_hold_are_kept_as_checked_and_nothing_is_said(uow, registry):
    product = product_in(uow, "filed")
    outcome = run(uow, registry)
    assert outcome.checked == 1 and outcome.problems == 0
    assert uow.rechecks.done(product.id, "monthly:2027-01") == {VALID_PATENT}
    assert types(uow) == [] and uow.products.get(product.id).at_risk_since is None


def test_only_products_on_record_are_checked(uow, registry):
    for status in ("draft", "submitted", "cancelled", "revoked"):
        product_in(uow, status, brand=status)
    assert run(uow, registry).checked == 0 and registry.asked == 0


def test_a_lapsed_patent_is_announced_the_product_marked_and_a_repeated_run_changes_nothing(uow, registry):
    product = product_in(uow, "filed")
    registry.set(VALID_PATENT, "lapsed")
    assert run(uow, registry).problems == 1

    [event] = uow.events
    assert event.type == "filing.product.patent_problem_found"
    assert event.data["problem"] == "lapsed" and event.data["patent_number"] == VALID_PATENT
    assert event.data["deadline"] == "2027-04-01" and event.data["filing_number"] == product.filing_number
    assert event.data["register"]["status"] == "lapsed" and event.data["check"] == "monthly:2027-01"
    stored = uow.products.get(product.id)
    assert stored.at_risk_since == NOW and stored.patent_deadline == dt.date(2027, 4, 1)
    assert stored.suspended_at is None

    asked = registry.asked
    again = run(uow, registry, NOW + dt.timedelta(hours=5))
    assert registry.asked == asked and again.problems == 0 and len(uow.events) == 1
    assert uow.products.get(product.id) == stored


def test_the_next_month_finding_the_same_lapse_says_nothing_new(uow, registry):
    product_in(uow, "filed")
    registry.set(VALID_PATENT, "lapsed")
    run(uow, registry)
    run(uow, registry, dt.datetime(2027, 2, 1, 1, 0))
    assert types(uow) == ["filing.product.patent_problem_found"]


def test_past_the_grace_period_with_no_patent_holding_the_filing_is_suspended_then_lifted(uow, registry):
    product = product_in(uow, "filed")
    registry.set(VALID_PATENT, "invalidated")
    run(uow, registry)
    run(uow, registry, dt.datetime(2027, 4, 1, 1, 0))  # on the deadline: still valid
    assert uow.products.get(product.id).suspended_at is None
    suspended_at = dt.datetime(2027, 5, 1, 1, 0)
    assert run(uow, registry, suspended_at).suspended == 1
    assert types(uow)[-1] == "filing.product.suspended"
    assert uow.events[-1].data["lost_patents"] == [VALID_PATENT] and uow.events[-1].data["deadline"] == "2027-04-01"
    assert uow.products.get(product.id).suspended_at == suspended_at

    registry.set(VALID_PATENT)  # the register corrected, the patent valid again
    assert run(uow, registry, dt.datetime(2027, 6, 1, 1, 0)).cleared == 1
    cleared = uow.events[-1]
    assert cleared.type == "filing.product.patent_problems_cleared"
    assert cleared.data["suspension_lifted"] is True and cleared.data["at_risk"] is False
    stored = uow.products.get(product.id)
    assert (stored.at_risk_since, stored.patent_deadline, stored.suspended_at) == (None, None, None)


def test_a_transfer_to_another_company_is_a_change_of_holder(uow, registry):
    product_in(uow, "recognised")
    registry.set(VALID_PATENT, holders=("别家公司",))
    run(uow, registry)
    assert uow.events[0].data["problem"] == "holder_changed"
    assert uow.events[0].data["register"]["holders"] == ["别家公司"]


def test_each_event_carries_the_products_next_version(uow, registry):
    product = product_in(uow, "filed")
    registry.set(VALID_PATENT, "lapsed")
    run(uow, registry, grace=0)
    run(uow, registry, dt.datetime(2027, 2, 1))
    versions = [e.aggregate_version for e in uow.events]
    assert versions == sorted(set(versions)) and versions[0] == product.version + 1


def test_an_expiry_within_90_days_is_announced_once(uow, registry):
    product = product_in(uow, "filed")
    registry.set(VALID_PATENT, expires_on=dt.date(2027, 3, 1))
    run(uow, registry)
    run(uow, registry, dt.datetime(2027, 2, 1, 1, 0))
    assert types(uow) == ["filing.product.patent_expiring"]
    assert uow.events[0].data["expires_on"] == "2027-03-01"
    assert uow.products.get(product.id).at_risk_since is None


def test_an_expiry_further_away_is_not_announced_yet(uow, registry):
    product_in(uow, "filed")
    registry.set(VALID_PATENT, expires_on=dt.date(2027, 6, 1))
    run(uow, registry)
    assert types(uow) == []


def test_a_registry_that_cannot_answer_leaves_the_product_for_the_next_run(uow, registry):
    product = product_in(uow, "filed")
    registry.down = True
    outcome = run(uow, registry)
    assert outcome.unanswered == [product.id] and outcome.checked == 0
    assert uow.rechecks.done(product.id, "monthly:2027-01") == set() and types(uow) == []


def test_the_annual_update_check_is_its_own_check(uow, registry):
    product = product_in(uow, "filed")
    run(uow, registry)
    registry.set(VALID_PATENT, "lapsed")
    recheck_product(product.id, annual_update_key(2026), uow, registry, NOW + dt.timedelta(days=20), 90, RecheckRun())
    assert types(uow) == ["filing.product.patent_problem_found"]
    assert uow.events[0].data["check"] == "annual-update:2026"


# --- what the mark changes: the at-risk list, the certificate, the public verification ---------

ADMIN_44 = Principal("pat", "province_admin", province_code="440000")
ADMIN_11 = Principal("bea", "province_admin", province_code="110000")


def suspended_product(uow, registry, **changes):
    product = product_in(uow, "filed", **changes)
    registry.set(VALID_PATENT, "lapsed")
    run(uow, registry, grace=0)
    run(uow, registry, dt.datetime(2027, 2, 1))
    return uow.products.get(product.id)


def test_operators_see_every_province_at_risk_and_province_admins_their_own(uow, registry):
    organisation_in(uow, organisation_id="org-11", province_code="110000", name="北京公司")
    here = product_in(uow, "filed")
    there = product_in(uow, "filed", organisation_id="org-11", brand="别的", province_code="110000")
    product_in(uow, "filed", brand="没问题")  # its patent holds: not listed
    registry.set(VALID_PATENT, "lapsed")
    recheck_product(here.id, "monthly:2027-01", uow, registry, NOW, 90)
    recheck_product(there.id, "monthly:2027-01", uow, registry, NOW, 90)

    everything = product_views.products_at_risk(OPERATOR, None, PageRequest(1, 50), uow)
    assert {item["id"] for item in everything["items"]} == {here.id, there.id}
    item = next(i for i in everything["items"] if i["id"] == here.id)
    assert item["lost_patents"][0]["problem"] == "lapsed" and item["organisation_name"] == "深圳测试科技有限公司"
    assert item["patent_risk"]["deadline"] == dt.date(2027, 4, 1) and item["patent_risk"]["suspended"] is False
    assert [i["id"] for i in product_views.products_at_risk(OPERATOR, "110000", PageRequest(1, 50), uow)["items"]] \
        == [there.id]
    assert [i["id"] for i in product_views.products_at_risk(ADMIN_44, None, PageRequest(1, 50), uow)["items"]] \
        == [here.id]
    with pytest.raises(Forbidden):
        product_views.products_at_risk(ADMIN_44, "110000", PageRequest(1, 50), uow)
    assert [i["id"] for i in product_views.products_at_risk(ADMIN_11, None, PageRequest(1, 50), uow)["items"]] \
        == [there.id]


def test_the_product_shows_its_mark_and_lost_patents_to_its_members(uow, registry):
    product = suspended_product(uow, registry)
    shown = product_views.read_product(product.id, MEMBER, uow)
    assert shown["patent_risk"]["suspended"] is True and shown["patent_risk"]["suspended_at"] == dt.datetime(2027, 2, 1)
    assert [p["number"] for p in shown["lost_patents"]] == [VALID_PATENT]


def test_no_certificate_while_the_filing_is_suspended(uow, registry):
    product = suspended_product(uow, registry)
    with pytest.raises(Conflict) as refused:
        certificates.certificate_of(product.id, MEMBER, uow, FakeCertificates(), "http://x")
    assert refused.value.slug == "filing-suspended"


def test_the_public_verification_says_a_suspended_filing_is_not_valid(uow, registry):
    product = suspended_product(uow, registry)
    answer = verify_filing(product.filing_number, uow)
    assert answer["status"] == "suspended" and answer["valid"] is False
    assert answer["status_since"] == dt.date(2027, 2, 1)


# --- before a recognition round's formal check ------------------------------------------------

def round_opened(round_id: str = "round-1"):
    return build_event("review.recognition_round.opened", {
        "round_id": round_id, "year": 2027, "cut_off": "2027-03-31", "industry_codes": ["01"],
        "opened_at": "2027-01-10T02:00:00+00:00"}, producer="review", aggregate_id=round_id)


def test_a_round_opened_asks_for_a_recheck_once_and_the_worker_runs_it(uow, registry):
    product = product_in(uow, "filed")
    deliver(round_opened(), on_round_opened, uow)
    deliver(round_opened(), on_round_opened, uow)  # delivered twice: asked for once
    assert uow.recheck_requests.pending() == ["round:round-1"]
    assert registry.asked == 0  # never inside the consumer's transaction

    registry.set(VALID_PATENT, "invalidated")
    assert run_requested(lambda: uow, registry, 90) == 1
    assert uow.rechecks.done(product.id, "round:round-1") == {VALID_PATENT}
    assert [e.data["check"] for e in uow.events if e.type == PROBLEM] == ["round:round-1"]
    assert uow.recheck_requests.pending() == [] and run_requested(lambda: uow, registry, 90) == 0


def test_a_round_recheck_the_registry_cannot_answer_is_tried_again(uow, registry):
    product_in(uow, "filed")
    deliver(round_opened(), on_round_opened, uow)
    registry.down = True
    assert run_requested(lambda: uow, registry, 90) == 0
    assert uow.recheck_requests.pending() == ["round:round-1"]
    registry.down = False
    assert run_requested(lambda: uow, registry, 90) == 1
