"""Rebuilding the read models from the archive with the fake unit of work: the same rules give
the same rows and figures, chunk by chunk, each chunk one transaction."""

from __future__ import annotations

import pytest

from reporting.domain.commands import RebuildReadModels
from reporting.service_layer.projections import on_organisation_event, on_product_event
from reporting.service_layer.rebuild import archived_events, handle_rebuild
from tests.support.fakes.reporting import FUJIAN, FakeReportingUnitOfWork, organisation_events, product_events

pytestmark = pytest.mark.unit


def with_history() -> FakeReportingUnitOfWork:
    """Two organisations and three products, events out of order and redelivered."""
    uow = FakeReportingUnitOfWork()
    first, second = organisation_events(), organisation_events(name="福建乙公司", kind="university_institute")
    products = [*product_events(first[0]), *product_events(first[0], industry="05"), *product_events(second[0])]
    for event in (first[2], *first, *second, *second, products[1], *products):
        with uow:
            (on_organisation_event if event.type.startswith("identity.") else on_product_event)(event, uow)
    return uow


def test_a_rebuild_gives_the_same_rows_and_figures_from_the_archive_alone():
    uow = with_history()
    before = (dict(uow.organisations.items), dict(uow.products.items), dict(uow.counters.items))
    # Each product's figures by year are part of its row, so the rebuild fills them too.
    assert all(product.facts.figures[2020].sales_volume == 10 for product in uow.products)
    chunks: list[int] = []
    applied = handle_rebuild(RebuildReadModels(chunk=4), uow, chunks.append)
    assert applied == archived_events(uow) == 12
    assert chunks == [4, 4, 4]
    assert (uow.organisations.items, uow.products.items, uow.counters.items) == before
    assert uow.archive.count() == 12 and uow.events == []


def test_a_rebuild_of_an_empty_archive_leaves_empty_read_models():
    uow = with_history()
    uow.archive.items.clear()
    assert handle_rebuild(RebuildReadModels(), uow) == 0
    assert uow.organisations.items == uow.products.items == uow.counters.items == {}


def test_a_chunk_that_fails_is_rolled_back_and_the_chunks_before_it_stay():
    uow = with_history()
    events = list(uow.archive.items.values())
    applied_products = 0
    original_add = uow.products.add

    def failing_third(product) -> None:
        nonlocal applied_products
        applied_products += 1
        if applied_products == 3:
            raise RuntimeError("disk full")
        original_add(product)

    uow.products.add = failing_third
    with pytest.raises(RuntimeError, match="disk full"):
        handle_rebuild(RebuildReadModels(chunk=8), uow)
    # The first chunk (8 events: both organisations' six, the first product's two) committed; the
    # second (the other two products, the third of which failed) left nothing behind.
    assert len(uow.organisations.items) == 2 and len(uow.products.items) == 1
    assert uow.figures(FUJIAN)[("product_status", "filed")] == 1
    assert len(events) == uow.archive.count() == 12
