"""Preparing products, handled with filing's unit of work in memory: a draft only for a member of a
verified organisation, one model one product (the organisation's own, or anyone's claim), changes
only while a draft or returned and never over someone else's change, and deletion of a draft
that was never submitted — each refusal leaving nothing written."""

from __future__ import annotations

import pytest

from filing.domain.commands import ChangeDraft, CreateDraft, DeleteDraft
from filing.domain.products import ModelClaim
from filing.service_layer import drafts
from platform_shared.errors import Conflict, Forbidden, NotFound, QuotaExceeded
from platform_shared.figures import YearFigures
from platform_shared.moments import utcnow
from platform_shared.quotas import Quota
from tests.support.fakes.filing import (
    MEMBER,
    STRANGER,
    FakeFilingUnitOfWork,
    declaration,
    organisation_in,
    product_in,
    verified_uow,
)

pytestmark = pytest.mark.unit
ROOMY = Quota("drafts", 1000)


@pytest.fixture
def uow() -> FakeFilingUnitOfWork:
    return verified_uow()


def test_a_member_of_a_verified_organisation_creates_a_draft_with_its_lists(uow):
    product = drafts.handle_create(CreateDraft(declaration(variants=["黑色", " 黑色 ", "白色"]), MEMBER), uow,
                                   quota=ROOMY)

    stored = uow.products.get(product.id)
    assert (stored.status, stored.version, stored.organisation_id, stored.created_by) == ("draft", 1, "org-1", "erin")
    assert stored.model_key == "华为\u241fmate60pro" and stored.variants == ["黑色", "白色"]
    assert uow.figures.of_product(product.id) == [YearFigures(2030, 500_000_000, 50, profit_fen=1050)]
    assert [p.number for p in uow.patents.of_product(product.id)] == ["201710601862.3"]
    assert uow.claims.of(product.id) == [] and uow.events == [] and uow.commits == 1


@pytest.mark.parametrize("status", ["pending", "rejected", None])
def test_only_a_verified_organisation_files(uow, status):
    if status is None:
        uow.organisations.items.clear()
    else:
        organisation_in(uow, status)
    with pytest.raises(Forbidden) as refused:
        drafts.handle_create(CreateDraft(declaration(), MEMBER), uow, quota=ROOMY)
    assert refused.value.slug == "organisation-not-verified"
    assert (status or "not verified yet") in refused.value.detail
    assert len(uow.products) == 0


def test_the_organisations_own_live_product_of_the_same_model_is_pointed_to(uow):
    mine = product_in(uow, "returned", model="MATE-60 pro")
    with pytest.raises(Conflict) as refused:
        drafts.handle_create(CreateDraft(declaration(), MEMBER), uow, quota=ROOMY)
    assert refused.value.slug == "product-exists"
    assert refused.value.existing == f"/api/v1/filing/products/{mine.id}" and "model" in refused.value.errors
    assert len(uow.products) == 1


def test_a_final_product_of_the_same_model_does_not_stand_in_the_way(uow):
    product_in(uow, "rejected")
    product = drafts.handle_create(CreateDraft(declaration(), MEMBER), uow, quota=ROOMY)
    assert uow.products.get(product.id) is not None


def test_a_model_claimed_by_another_organisation_is_refused_without_saying_whose(uow):
    product_in(uow, "filed", organisation_id="org-2")
    with pytest.raises(Conflict) as refused:
        drafts.handle_create(CreateDraft(declaration(), MEMBER), uow, quota=ROOMY)
    assert refused.value.slug == "product-already-filed" and "org-2" not in refused.value.detail
    assert refused.value.existing is None and len(uow.products) == 1


def test_a_change_replaces_the_fields_and_lists_given_and_counts_a_version(uow):
    product = product_in(uow, "returned")
    changed = drafts.handle_change(ChangeDraft(product.id, {"model": "Mate 70", "economic_data": []}, MEMBER), uow)

    stored = uow.products.get(product.id)
    assert (stored.model, stored.model_key, stored.version) == ("Mate 70", "华为\u241fmate70", 4) == \
        (changed.model, changed.model_key, changed.version)
    assert uow.figures.of_product(product.id) == []
    assert len(uow.patents.of_product(product.id)) == 1  # not given: kept


@pytest.mark.parametrize("status", ["submitted", "filed", "rejected"])
def test_only_a_draft_or_returned_product_changes(uow, status):
    product = product_in(uow, status)
    with pytest.raises(Conflict) as refused:
        drafts.handle_change(ChangeDraft(product.id, {"name": "新名称"}, MEMBER), uow)
    assert refused.value.slug == "product-not-editable" and status in refused.value.detail
    assert uow.products.get(product.id).name == "智能手机"


def test_a_change_to_a_model_someone_else_claimed_is_refused(uow):
    product = product_in(uow)
    uow.claims.add(ModelClaim("华为\u241fmate70", "other-product", "org-2", utcnow()))
    with pytest.raises(Conflict, match="already filed or under review"):
        drafts.handle_change(ChangeDraft(product.id, {"model": "Mate 70"}, MEMBER), uow)
    assert uow.products.get(product.id).model == "Mate 60 Pro"


def test_a_change_made_meanwhile_wins_and_this_one_is_refused(uow):
    product = product_in(uow)
    real_get = uow.products.get

    def stale(product_id):  # what the handler read is a version behind what is stored
        found = real_get(product_id)
        found.version -= 1
        return found

    uow.products.get = stale
    with pytest.raises(Conflict) as refused:
        drafts.handle_change(ChangeDraft(product.id, {"name": "新名称"}, MEMBER), uow)
    assert refused.value.slug == "edit-conflict" and real_get(product.id).name == "智能手机"


def test_another_organisations_product_does_not_exist_for_the_caller(uow):
    product = product_in(uow)
    for command in (ChangeDraft(product.id, {"name": "x"}, STRANGER), DeleteDraft(product.id, STRANGER)):
        with pytest.raises(NotFound) as refused:
            handler = drafts.handle_change if isinstance(command, ChangeDraft) else drafts.handle_delete
            handler(command, uow)
        assert refused.value.slug == "product-not-found"
    assert uow.products.get(product.id) is not None


def test_a_draft_never_submitted_is_deleted_with_everything_recorded_about_it(uow):
    product = product_in(uow)
    drafts.handle_delete(DeleteDraft(product.id, MEMBER), uow)
    assert uow.products.get(product.id) is None
    assert uow.figures.of_product(product.id) == [] and uow.patents.of_product(product.id) == []


@pytest.mark.parametrize(("status", "submissions"), [("draft", 1), ("submitted", 1), ("filed", 1)])
def test_a_product_once_submitted_is_not_deleted(uow, status, submissions):
    product = product_in(uow, status, submissions=submissions)
    with pytest.raises(Conflict) as refused:
        drafts.handle_delete(DeleteDraft(product.id, MEMBER), uow)
    assert refused.value.slug == "product-not-deletable"
    assert uow.products.get(product.id) is not None


def test_an_organisation_at_its_drafts_quota_creates_no_more_and_submitted_products_do_not_count(uow):
    quota = Quota("drafts", 2)
    product_in(uow, "filed", model="Filed")  # not a draft: not counted
    drafts.handle_create(CreateDraft(declaration(model="A"), MEMBER), uow, quota=quota)
    drafts.handle_create(CreateDraft(declaration(model="B"), MEMBER), uow, quota=quota)
    with pytest.raises(QuotaExceeded) as refused:
        drafts.handle_create(CreateDraft(declaration(model="C"), MEMBER), uow, quota=quota)
    assert (refused.value.slug, refused.value.quota, refused.value.limit, refused.value.used) == (
        "quota-exceeded", "drafts", 2, 2)
    assert uow.products.drafts_of(MEMBER.organisation_id) == 2
