"""Submitting products and taking submissions back, handled with filing's unit of work in memory:
the rules per field, the patent registry asked before the transaction (and a product changed
meanwhile refused), the brand and model claimed on submission and released on withdrawal, and
one event per change of status."""

from __future__ import annotations

import datetime as dt

import pytest

from filing.domain.commands import SubmitProduct, WithdrawProduct
from filing.domain.lifecycle import TransitionRefused
from filing.domain.products import ModelClaim
from filing.service_layer import submission
from platform_shared.errors import Conflict, NotFound, RuleBroken, Unavailable
from platform_shared.moments import utcnow
from tests.support.fakes.filing import (
    MEMBER,
    STRANGER,
    VALID_PATENT,
    FakeFilingUnitOfWork,
    organisation_in,
    product_in,
    verified_uow,
)
from tests.support.fakes.review import FakePatentRegistry

pytestmark = pytest.mark.unit
TODAY = dt.date(2031, 5, 1)


@pytest.fixture
def uow() -> FakeFilingUnitOfWork:
    return verified_uow()


def submit(uow, product, registry=None):
    return submission.handle_submit(SubmitProduct(product.id, MEMBER), uow, registry or FakePatentRegistry(), TODAY)


@pytest.mark.parametrize("status", ["draft", "returned"])
def test_a_product_that_meets_the_rules_is_submitted_claimed_and_announced(uow, status):
    product = product_in(uow, status, province_code=None, submissions=0 if status == "draft" else 1)
    submitted = submit(uow, product)

    stored = uow.products.get(product.id)
    assert (stored.status, stored.version, stored.province_code) == ("submitted", 4, "440000")
    assert stored.submissions == (1 if status == "draft" else 2) and stored.submitted_at is not None
    assert submitted.status == "submitted" and uow.claims.of(product.id) == [product.model_key]
    [event] = uow.events
    assert (event.type, event.aggregate_id, event.aggregate_version) == ("filing.product.submitted", product.id, 4)
    assert event.data["submission"] == stored.submissions and event.data["organisation_name"] == "深圳测试科技有限公司"
    assert event.data["economic_data"] == [{"year": 2030, "sales_revenue": "5000000.00", "sales_volume": 50,
                                            "export_revenue": None, "profit": None, "ip_investment": None}]
    assert [p["number"] for p in event.data["patents"]] == [VALID_PATENT] and "dispute" not in event.data["patents"][0]


def test_every_broken_rule_is_named_by_field_and_nothing_changes(uow):
    organisation_in(uow, "suspended")
    product = product_in(uow, with_lists=False)
    with pytest.raises(RuleBroken) as refused:
        submit(uow, product)
    assert refused.value.slug == "submission-rule-broken"
    assert set(refused.value.errors) == {"organisation", "economic_data", "patents"}
    assert refused.value.detail.startswith("The product cannot be submitted yet: ")
    assert uow.products.get(product.id).status == "draft" and uow.events == [] and len(uow.claims) == 0


def test_a_patent_the_registry_calls_lapsed_is_named(uow):
    product = product_in(uow)
    with pytest.raises(RuleBroken) as refused:
        submit(uow, product, FakePatentRegistry(lapsed=[VALID_PATENT]))
    assert "lapsed" in " ".join(refused.value.errors["patents.0.number"])


def test_a_registry_that_cannot_answer_leaves_the_draft_as_it_was(uow):
    product = product_in(uow)
    with pytest.raises(Unavailable) as refused:
        submit(uow, product, FakePatentRegistry(down=True))
    assert (refused.value.slug, refused.value.retry_after) == ("patent-registry-unavailable", 30)
    assert uow.products.get(product.id).status == "draft" and uow.events == []


def test_a_product_changed_while_the_registry_was_asked_is_not_submitted(uow):
    product = product_in(uow)

    class Meddling(FakePatentRegistry):
        def check(self, number):
            changed = uow.products.get(product.id)
            changed.version += 1
            uow.products.save(changed)
            return super().check(number)

    with pytest.raises(Conflict) as refused:
        submit(uow, product, Meddling())
    assert refused.value.slug == "edit-conflict" and uow.products.get(product.id).status == "draft"


@pytest.mark.parametrize("status", ["submitted", "filed", "rejected"])
def test_a_product_in_another_status_is_refused_before_the_registry_is_asked(uow, status):
    product = product_in(uow, status)
    registry = FakePatentRegistry()
    with pytest.raises(TransitionRefused) as refused:
        submit(uow, product, registry)
    assert refused.value.slug == "wrong-status" and registry.asked == []


def test_the_claim_of_another_organisation_wins_the_race(uow):
    product = product_in(uow)
    uow.claims.add(ModelClaim(product.model_key, "their-product", "org-2", utcnow()))
    with pytest.raises(Conflict) as refused:
        submit(uow, product)
    assert refused.value.slug == "product-already-filed"
    assert uow.products.get(product.id).status == "draft" and uow.events == []


def test_a_claim_taken_by_another_product_of_the_same_organisation_points_to_it(uow):
    product = product_in(uow)
    uow.claims.add(ModelClaim(product.model_key, (mine := product_in(uow, "draft", model="X")).id, "org-1", utcnow()))
    with pytest.raises(Conflict) as refused:
        submit(uow, product)
    assert refused.value.slug == "product-exists" and refused.value.existing.endswith(mine.id)


def test_a_resubmission_under_another_model_moves_its_claim(uow):
    product = product_in(uow, "returned")
    renamed = uow.products.get(product.id)
    renamed.model, renamed.model_key = "Mate 70", "华为\u241fmate70"
    uow.products.save(renamed)
    submit(uow, product)
    assert uow.claims.of(product.id) == ["华为\u241fmate70"]


@pytest.mark.parametrize("status", ["submitted", "returned"])
def test_a_withdrawal_makes_a_draft_again_and_releases_the_claim(uow, status):
    product = product_in(uow, status)
    withdrawn = submission.handle_withdraw(WithdrawProduct(product.id, MEMBER), uow)

    assert withdrawn.status == "draft" and uow.products.get(product.id).version == 4
    assert uow.claims.of(product.id) == []
    [event] = uow.events
    assert (event.type, event.aggregate_version) == ("filing.product.withdrawn", 4)
    assert event.data["product_id"] == product.id and event.data["withdrawn_at"]


def test_a_filed_product_is_not_withdrawn_and_a_stranger_finds_nothing(uow):
    product = product_in(uow, "filed")
    with pytest.raises(TransitionRefused, match="this product is filed"):
        submission.handle_withdraw(WithdrawProduct(product.id, MEMBER), uow)
    with pytest.raises(NotFound):
        submission.handle_withdraw(WithdrawProduct(product.id, STRANGER), uow)
    assert uow.products.get(product.id).status == "filed" and uow.claims.of(product.id) == [product.model_key]
