"""The operator's side of deliveries (`handle_retry_delivery`, `delivery_log`): a failed delivery
sent again, refused for an unknown or an unfailed one, and the log narrowed and paged; with
notify's fake unit of work."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from notify.domain.commands import RetryDelivery
from notify.domain.deliveries import Delivery
from notify.domain.messages import MailRequest, RenderedMail
from notify.service_layer.deliveries import delivery_log, handle_retry_delivery
from notify.service_layer.repositories import DeliveryFilter
from platform_shared.errors import Conflict, NotFound
from platform_shared.moments import utcnow
from platform_shared.pages import PageRequest
from tests.support.fakes.notify import FakeNotifyUnitOfWork

pytestmark = pytest.mark.unit

T0 = dt.datetime(2026, 5, 8, 6, 30)


def delivery(recipient: str, minutes: int = 0, event_type: str = "identity.province_port.rejected",
             **changes: object) -> Delivery:
    made = Delivery.of(MailRequest("province_port_rejected", recipient), RenderedMail("主题", "正文", "<p>正文</p>"),
                       event_id=f"event-{recipient}-{minutes}", event_type=event_type, correlation_id=None,
                       now=T0 + dt.timedelta(minutes=minutes))
    return dataclasses.replace(made, **changes)


def stored(*deliveries: Delivery) -> FakeNotifyUnitOfWork:
    uow = FakeNotifyUnitOfWork()
    for each in deliveries:
        uow.deliveries.items[each.id] = each
    return uow


def test_an_operators_retry_makes_a_failed_delivery_pending_and_due_now_with_its_attempts_counted_afresh():
    failed = delivery("wang@qh.example.cn", state="failed", attempts=8, last_error="550 User unknown")
    uow = stored(failed)
    before = utcnow()

    retried = handle_retry_delivery(RetryDelivery(failed.id), uow)

    assert (retried.state, retried.attempts) == ("pending", 0)
    assert retried.last_error == "550 User unknown"  # why it had failed, until the next attempt
    assert retried.next_attempt_at >= before
    assert uow.deliveries.get(failed.id) == retried and uow.commits == 1
    assert uow.events == [] and uow.audit_log == []


def test_retrying_an_unknown_delivery_is_not_found():
    uow = stored(delivery("wang@qh.example.cn", state="failed"))

    with pytest.raises(NotFound) as refused:
        handle_retry_delivery(RetryDelivery("no-such-delivery"), uow)

    assert (refused.value.slug, refused.value.detail) == ("not-found", "No such delivery.")
    assert uow.commits == 0


@pytest.mark.parametrize("state", ["pending", "sending", "sent", "retrying"])
def test_only_a_failed_delivery_is_retried_and_nothing_changes_for_any_other(state):
    waiting = delivery("wang@qh.example.cn", state=state, attempts=1)
    uow = stored(waiting)

    with pytest.raises(Conflict) as refused:
        handle_retry_delivery(RetryDelivery(waiting.id), uow)

    assert refused.value.slug == "delivery-not-failed"
    assert refused.value.detail == f"Only a failed delivery can be retried; this one is {state}."
    assert uow.deliveries.get(waiting.id) == waiting and uow.commits == 0


def test_the_log_lists_the_newest_first_narrowed_by_recipient_event_type_and_state_and_paged_with_its_total():
    a1, a2, a3 = (delivery("a@x.cn", minutes=m) for m in (1, 2, 3))
    b = delivery("b@x.cn", minutes=4, state="sent")
    c = delivery("a@x.cn", minutes=5, event_type="identity.account.invited", state="failed")
    uow = stored(a1, a2, a3, b, c)

    everything = delivery_log(DeliveryFilter(), PageRequest(), uow)
    assert [d.id for d in everything.items] == [c.id, b.id, a3.id, a2.id, a1.id] and everything.total == 5

    to_a = delivery_log(DeliveryFilter(to="a@x.cn"), PageRequest(page=2, per_page=2), uow)
    assert [d.id for d in to_a.items] == [a2.id, a1.id] and to_a.total == 4

    narrowed = delivery_log(DeliveryFilter(to="a@x.cn", event_type="identity.province_port.rejected",
                                           state="pending"), PageRequest(), uow)
    assert [d.id for d in narrowed.items] == [a3.id, a2.id, a1.id]
    assert delivery_log(DeliveryFilter(state="failed"), PageRequest(), uow).items == [c]
    assert delivery_log(DeliveryFilter(to="nobody@x.cn"), PageRequest(), uow).total == 0
