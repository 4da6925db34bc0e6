"""Recognition rounds run by an operator, handled with review's unit of work in memory: opening,
evaluation (results replaced, benchmarks given only for the round's fields, the registry asked
before anything is written), publication with its event, finalisation with one event per product
that stands — and each refusal leaves the round as it was."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from platform_shared.errors import Conflict, NotFound, RuleBroken, Unavailable
from platform_shared.figures import YearFigures
from platform_shared.moments import utcnow
from platform_shared.principal import Principal
from review.domain.commands import CloseRound, EvaluateRound, FinaliseRound, OpenRound, PublishRound
from review.domain.filed_products import FiledProduct
from review.domain.indicator_configuration import DEFAULT_FILE, load_indicator_set
from review.domain.indicators import ProductPatent
from review.domain.objections import Objection
from review.domain.rounds import RecognitionRound, RoundConflict, RoundRuleBroken
from review.service_layer import recognition
from tests.support.fakes.review import FakePatentRegistry, FakeReviewUnitOfWork, result_of, round_in

pytestmark = pytest.mark.unit

OPERATOR = Principal("olga", "operator")
V1 = load_indicator_set(DEFAULT_FILE)
TODAY = dt.date(2031, 5, 1)
LOW = {"economic_benefit": "1.00", "protection_strength": "1.0", "value_contribution": "1.00",
       "dependence": "0.000001"}


@pytest.fixture
def uow() -> FakeReviewUnitOfWork:
    return FakeReviewUnitOfWork()


def on_record(uow: FakeReviewUnitOfWork, name: str, revenue_fen: int, *, opted_in: bool = True,
              patent: str = "P-1") -> str:
    """A product filed in field 05 in 2030 with one invention patent and figures of 2030."""
    product_id = str(uuid.uuid4())
    uow.filed_products.add(FiledProduct(
        product_id=product_id, status="filed", aggregate_version=4, organisation_name=f"{name}公司", name=name,
        brand="测试", model=f"M-{name}", industry_code="05", province_code="440000",
        filed_at=dt.datetime(2030, 6, 1), patents=(ProductPatent(patent, "invention", "owner"),)))
    uow.filed_products.keep_year(product_id, YearFigures(2030, revenue_fen, 100, ip_investment_fen=revenue_fen // 10),
                                 3)
    if opted_in:
        uow.filed_products.keep_opt_in(product_id, 2031, True, 4)
    return product_id


def published(uow: FakeReviewUnitOfWork, *results_of: str, ends: dt.date = TODAY) -> RecognitionRound:
    found = round_in(uow, "published", version=3, notice_ends_on=ends, published_at=utcnow())
    uow.results.replace(found.id, [], [result_of(found, name) for name in results_of])
    return found


def evaluate(uow, found, registry=None, benchmarks=None) -> RecognitionRound:
    command = EvaluateRound(found.id, {"05": LOW} if benchmarks is None else benchmarks)
    return recognition.handle_evaluate_round(command, uow, registry or FakePatentRegistry(), V1)


# --- opening and evaluation --------------------------------------------------------------------

def test_an_operator_opens_a_round_for_a_year_and_its_fields(uow):
    found = recognition.handle_open_round(OpenRound(2031, dt.date(2031, 3, 31), ("05", "06"), OPERATOR), uow)
    assert uow.rounds.get(found.id) == found
    assert (found.state, found.version, found.created_by, found.industry_codes) == ("open", 1, "olga", ("05", "06"))
    assert found.terms.data_year == 2030 and uow.commits == 1
    [opened] = uow.events  # filing re-checks the products' patents on it
    assert opened.type == "review.recognition_round.opened"
    assert opened.data == {"round_id": found.id, "year": 2031, "cut_off": "2031-03-31",
                           "industry_codes": ["05", "06"], "opened_at": opened.data["opened_at"]}


def open_2031(uow: FakeReviewUnitOfWork) -> RecognitionRound:
    return recognition.handle_open_round(OpenRound(2031, dt.date(2031, 3, 31), ("05",), OPERATOR), uow)


@pytest.mark.parametrize("state", ["open", "evaluated", "published"])
def test_a_second_round_of_a_year_is_refused_while_one_is_under_way(uow, state):
    first = round_in(uow, state)
    with pytest.raises(Conflict, match="close it first") as refused:
        open_2031(uow)
    assert refused.value.slug == "round-under-way" and first.id in refused.value.detail
    assert [r.id for r in uow.rounds] == [first.id]
    # Another year is free.
    assert recognition.handle_open_round(OpenRound(2032, dt.date(2032, 3, 31), ("05",), OPERATOR), uow).year == 2032


def test_a_closed_or_finalised_round_does_not_stand_in_the_way(uow):
    round_in(uow, "finalised")
    first = open_2031(uow)
    closed = recognition.handle_close_round(CloseRound(first.id, "字段选错，重新开启"), uow)
    assert (closed.state, closed.version, closed.close_reason) == ("closed", 2, "字段选错，重新开启")
    assert closed.closed_at is not None and uow.rounds.get(first.id) == closed
    closings = [e.detail["was"] for e in uow.audit_log if e.action == "round.closed"]
    assert closings == ["open"]
    assert open_2031(uow).state == "open"


def test_a_round_opened_meanwhile_by_another_operator_is_a_conflict_not_a_crash(uow):
    other = RecognitionRound(id="other", year=2031, cut_off=dt.date(2031, 3, 31), industry_codes=("05",),
                             created_by="oscar", created_at=utcnow())
    uow.rounds.items[other.id] = other  # committed by the other operator…
    real_check = uow.rounds.under_way
    calls = []

    def unseen_once(year):  # …after this operator's check had read
        calls.append(year)
        return None if len(calls) == 1 else real_check(year)

    uow.rounds.under_way = unseen_once
    with pytest.raises(Conflict) as refused:
        open_2031(uow)
    assert refused.value.slug == "round-under-way" and [r.id for r in uow.rounds] == ["other"]


@pytest.mark.parametrize("state", ["finalised", "closed"])
def test_only_a_round_under_way_is_closed(uow, state):
    found = round_in(uow, state)
    with pytest.raises(RoundConflict):
        recognition.handle_close_round(CloseRound(found.id, "x"), uow)
    assert uow.rounds.get(found.id).state == state and uow.audit_log == []


def test_a_published_round_closed_ends_its_notice_and_takes_no_objection(uow):
    found = published(uow, "甲")
    recognition.handle_close_round(CloseRound(found.id, "公示材料有误"), uow)
    with pytest.raises(RoundConflict):
        uow.rounds.get(found.id).ensure_objections_open(TODAY)


def test_a_benchmark_derived_from_too_few_products_must_be_given(uow):
    lone = on_record(uow, "甲", 900_000_000)
    found = round_in(uow)
    command = EvaluateRound(found.id, {})
    with pytest.raises(RuleBroken) as refused:
        recognition.handle_evaluate_round(command, uow, FakePatentRegistry(), V1, minimum_sample=5)
    assert set(refused.value.errors) == {f"benchmarks.05.{code}" for code in V1.codes}
    assert "only 1 product(s)" in refused.value.errors["benchmarks.05.economic_benefit"][0]
    assert uow.rounds.get(found.id).state == "open" and uow.results.of_round(found.id) == []
    # Given, they are taken; derived from enough products, they are derived.
    given = recognition.handle_evaluate_round(EvaluateRound(found.id, {"05": LOW}), uow, FakePatentRegistry(), V1,
                                              minimum_sample=5)
    assert given.state == "evaluated" and [r.product_id for r in uow.results.of_round(found.id)] == [lone]
    for name in "乙丙丁戊":
        on_record(uow, name, 800_000_000, opted_in=False)
    derived = recognition.handle_evaluate_round(command, uow, FakePatentRegistry(), V1, minimum_sample=5)
    assert derived.version == 3
    assert {b.statistic for b in uow.results.benchmarks(found.id)} == {"P50 of 5 products"}


def test_an_evaluation_stores_each_fields_benchmarks_and_each_opted_in_products_result(uow):
    kept, lapsed = on_record(uow, "甲", 900_000_000), on_record(uow, "乙", 800_000_000, patent="P-lapsed")
    on_record(uow, "丙", 700_000_000, opted_in=False)  # in the field's statistics, not in the round
    found = round_in(uow)
    registry = FakePatentRegistry(lapsed={"P-lapsed"})
    evaluated = evaluate(uow, found, registry, benchmarks={})
    assert (evaluated.state, evaluated.version, evaluated.config_version) == ("evaluated", 2, "v1")
    assert uow.rounds.get(found.id) == evaluated
    assert sorted(registry.asked) == ["P-1", "P-lapsed"]  # each patent once, whoever declared it
    results = {r.product_id: r for r in uow.results.of_round(found.id)}
    assert set(results) == {kept, lapsed}
    assert [r.check for r in results[lapsed].formal_reasons] == ["patents"]
    assert [b.indicator for b in uow.results.benchmarks(found.id)] == list(V1.codes)
    assert {b.source for b in uow.results.benchmarks(found.id)} == {"derived"}
    assert uow.events == [] and uow.commits == 2  # what it read, then what it wrote


def test_a_new_evaluation_replaces_the_results_of_the_previous(uow):
    first = on_record(uow, "甲", 900_000_000)
    found = round_in(uow)
    evaluate(uow, found)
    uow.filed_products.keep_opt_in(first, 2031, False, 5)
    second = on_record(uow, "乙", 800_000_000)
    again = evaluate(uow, found)
    assert again.version == 3
    assert [r.product_id for r in uow.results.of_round(found.id)] == [second]
    assert all(b.source == "given" for b in uow.results.benchmarks(found.id))


def test_benchmarks_for_a_field_the_round_does_not_cover_are_refused_before_the_registry_is_asked(uow):
    on_record(uow, "甲", 900_000_000)
    found = round_in(uow)
    registry = FakePatentRegistry()
    with pytest.raises(RuleBroken) as refused:
        evaluate(uow, found, registry, benchmarks={"07": LOW})
    assert refused.value.slug == "round-rule-broken" and set(refused.value.errors) == {"benchmarks.07"}
    assert registry.asked == [] and uow.rounds.get(found.id) == found


def test_a_registry_that_cannot_answer_leaves_the_round_as_it_was(uow):
    on_record(uow, "甲", 900_000_000)
    found = round_in(uow)
    with pytest.raises(Unavailable) as unavailable:
        evaluate(uow, found, FakePatentRegistry(down=True))
    assert (unavailable.value.slug, unavailable.value.retry_after) == ("patent-registry-unavailable", 30)
    assert uow.rounds.get(found.id) == found and uow.results.of_round(found.id) == []


@pytest.mark.parametrize("state", ["published", "finalised"])
def test_a_published_or_final_round_is_not_evaluated_again(uow, state):
    found = round_in(uow, state)
    with pytest.raises(RoundConflict, match=f"The round is {state}") as refused:
        evaluate(uow, found)
    assert refused.value.slug == "wrong-round-state" and uow.rounds.get(found.id) == found


def test_an_unknown_round_is_not_found(uow):
    with pytest.raises(NotFound) as missing:
        evaluate(uow, RecognitionRound("nope", 2031, TODAY, ("05",), "olga", utcnow()))
    assert missing.value.slug == "round-not-found"


# --- publication -------------------------------------------------------------------------------

def test_publication_starts_the_notice_and_publishes_the_list_as_it_stands(uow):
    found = round_in(uow, "evaluated", version=2)
    on_list, off_list = result_of(found, "甲"), result_of(found, "乙", removed_by="objection-1")
    uow.results.replace(found.id, [], [on_list, off_list, result_of(found, "丙", proposed=False)])
    ends = TODAY + dt.timedelta(days=10)
    notice = recognition.handle_publish_round(PublishRound(found.id, ends), uow, TODAY)
    assert (notice.state, notice.version, notice.notice_ends_on) == ("published", 3, ends)
    assert uow.rounds.get(found.id) == notice
    [event] = uow.events_of("review.recognition_round.published")
    assert (event.aggregate_id, event.aggregate_version) == (found.id, 3)
    assert event.data["notice_ends_on"] == ends.isoformat()
    assert [p["product_id"] for p in event.data["products"]] == [on_list.product_id]


def test_a_notice_must_end_after_today(uow):
    found = round_in(uow, "evaluated", version=2)
    with pytest.raises(RoundRuleBroken) as refused:
        recognition.handle_publish_round(PublishRound(found.id, TODAY), uow, TODAY)
    assert refused.value.slug == "round-rule-broken" and set(refused.value.errors) == {"notice_ends_on"}
    assert uow.rounds.get(found.id) == found and uow.events == []


def test_only_an_evaluated_round_is_published(uow):
    found = round_in(uow)
    with pytest.raises(RoundConflict, match="only an evaluated round is published"):
        recognition.handle_publish_round(PublishRound(found.id, TODAY + dt.timedelta(days=1)), uow, TODAY)
    assert uow.rounds.get(found.id) == found and uow.events == []


# --- finalisation ------------------------------------------------------------------------------

def test_finalisation_recognises_each_product_that_stands_with_one_event_each(uow):
    found = published(uow, "甲", "乙")
    final = recognition.handle_finalise_round(FinaliseRound(found.id), uow, TODAY + dt.timedelta(days=1))
    assert (final.state, final.version) == ("finalised", 4) and final.finalised_at is not None
    standing = uow.results.of_round(found.id)
    assert all(r.recognised for r in standing)
    events = uow.events_of("review.product.recognised")
    assert sorted(e.data["product_id"] for e in events) == sorted(r.product_id for r in standing)
    assert {(e.aggregate_id, e.aggregate_version, e.data["year"]) for e in events} == {(found.id, 4, 2031)}


def test_finalisation_waits_for_every_objection_to_be_decided_and_then_changes_nothing(uow):
    found = published(uow, "甲")
    uow.objections.add(Objection("objection-1", found.id, "p", "理由", "someone", "enterprise", utcnow()))
    with pytest.raises(RoundConflict, match="1 objection"):
        recognition.handle_finalise_round(FinaliseRound(found.id), uow, TODAY + dt.timedelta(days=1))
    assert uow.rounds.get(found.id) == found and uow.events == []
    assert not any(r.recognised for r in uow.results.of_round(found.id))


def test_finalisation_waits_for_the_notice_to_end(uow):
    found = published(uow, "甲")
    with pytest.raises(RoundConflict, match="runs until"):
        recognition.handle_finalise_round(FinaliseRound(found.id), uow, TODAY)
    assert uow.rounds.get(found.id).state == "published"
