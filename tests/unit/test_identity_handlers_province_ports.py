"""Provincial port applications with identity's unit of work in memory: an office applies with its
signed form (one open application per province, the form judged by its bytes), an operator
approves (the province admin account, its one-time link, the event) or rejects (with a reason),
once; reading the list and the form (each read audited)."""

from __future__ import annotations

import io

import pytest

from identity.domain.commands import ApplyForPort, DecideApplication
from identity.domain.province_ports import APPROVED, REJECTED, SUBMITTED
from identity.service_layer import province_ports
from identity.service_layer.repositories import PortFilter
from platform_shared.errors import Conflict, NotFound, RuleBroken, TooLarge, UnsupportedMedia
from platform_shared.pages import PageRequest
from platform_shared.uploads import LocalContentStore
from tests.support.fakes.identity import FakeIdentityUnitOfWork, account_in

pytestmark = pytest.mark.unit

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
URL = "https://platform.example.cn"


@pytest.fixture
def uow() -> FakeIdentityUnitOfWork:
    return FakeIdentityUnitOfWork()


@pytest.fixture
def store(tmp_path) -> LocalContentStore:
    return LocalContentStore(tmp_path / "documents")


def applying(province_code: str = "540000", form: bytes = PDF, email: str = "Office@Example.CN") -> ApplyForPort:
    return ApplyForPort(province_code=province_code, office_name="西藏自治区知识产权局", contact_name="次仁多吉",
                        contact_title="处长", contact_phone="0891-6833333", contact_email=email,
                        form=io.BytesIO(form))


def applied(uow, store, province_code: str = "540000", email: str = "Office@Example.CN"):
    return province_ports.handle_apply_for_port(applying(province_code, email=email), uow, store, max_bytes=1024)


def test_an_office_applies_with_its_form_stored_by_content_and_audited(uow, store):
    application = applied(uow, store)
    assert (application.status, application.contact_email, application.form_media_type) == (
        SUBMITTED, "office@example.cn", "application/pdf")
    assert store.exists(application.form_sha256) and uow.port_applications.get(application.id) == application
    assert uow.audit_actions() == ["province_port.applied"]
    [receipt] = uow.events  # the office's contact is mailed that it arrived
    assert (receipt.type, receipt.data["contact"]["email"]) == ("identity.province_port.applied", "office@example.cn")


def test_a_province_with_a_pending_application_takes_no_second_one(uow, store):
    applied(uow, store)
    with pytest.raises(Conflict) as taken:
        applied(uow, store, email="second@example.cn")
    assert (taken.value.slug, list(taken.value.errors)) == ("province-port-taken", ["province_code"])
    assert len(uow.port_applications) == 1


def test_a_race_for_the_province_lost_at_the_unique_index_is_the_same_conflict(uow, store, monkeypatch):
    applied(uow, store)
    monkeypatch.setattr(uow.port_applications, "province_held", lambda *args: False)
    with pytest.raises(Conflict) as raced:
        applied(uow, store, email="second@example.cn")
    assert raced.value.slug == "province-port-taken"


@pytest.mark.parametrize(("form", "refusal"), [(b"GIF89a not accepted", UnsupportedMedia),
                                               (PDF + b" " * 2048, TooLarge)])
def test_a_form_of_the_wrong_kind_or_size_is_refused_under_form_and_nothing_is_stored(uow, store, form, refusal):
    with pytest.raises(refusal) as refused:
        province_ports.handle_apply_for_port(applying(form=form), uow, store, max_bytes=1024)
    assert list(refused.value.errors) == ["form"] and refused.value.detail.startswith("The signed application form: ")
    assert len(uow.port_applications) == 0 and uow.audit_log == []


def deciding(application, outcome: str, reason: str | None = None) -> DecideApplication:
    return DecideApplication(application.id, outcome, reason, decided_by="olga")


def test_an_approval_makes_the_province_admin_account_its_link_and_the_event(uow, store):
    application = applied(uow, store)
    decided = province_ports.handle_decide_application(deciding(application, "approve"), uow, URL)
    assert (decided.status, decided.decided_by) == (APPROVED, "olga")
    account = uow.accounts.get(decided.account_id)
    assert (account.email, account.role, account.province_code, account.active) == (
        "office@example.cn", "province_admin", "540000", False)
    assert uow.port_applications.get(application.id).account_id == account.id
    [event] = uow.events_of("identity.province_port.approved")
    assert event.data["password_setup_url"].startswith(URL + "/password-setup#") and event.aggregate_version == 2
    assert [s.purpose for s in uow.password_setups] == ["province_port"]
    assert uow.audit_actions()[-2:] == ["province_port.approved", "account.created"]


def test_a_rejection_needs_a_reason_and_tells_the_office(uow, store):
    application = applied(uow, store)
    with pytest.raises(RuleBroken) as bare:
        province_ports.handle_decide_application(deciding(application, "reject", "  "), uow, URL)
    assert (bare.value.slug, list(bare.value.errors)) == ("decision-refused", ["reason"])
    decided = province_ports.handle_decide_application(deciding(application, "reject", "缺少盖章"), uow, URL)
    assert (decided.status, decided.reason) == (REJECTED, "缺少盖章")
    assert uow.events_of("identity.province_port.rejected")[0].data["reason"] == "缺少盖章"
    assert len(uow.accounts) == 0


def test_an_application_is_decided_once_unknown_ones_are_not_found(uow, store):
    application = applied(uow, store)
    province_ports.handle_decide_application(deciding(application, "reject", "缺少盖章"), uow, URL)
    with pytest.raises(Conflict) as again:
        province_ports.handle_decide_application(deciding(application, "approve"), uow, URL)
    assert again.value.slug == "decision-refused"
    with pytest.raises(NotFound):
        province_ports.handle_decide_application(DecideApplication("unknown", "approve", None, "olga"), uow, URL)


def test_a_concurrent_decision_wins_and_this_one_changes_nothing(uow, store, monkeypatch):
    application = applied(uow, store)
    monkeypatch.setattr(uow.port_applications, "decide", lambda *args: False)
    with pytest.raises(Conflict, match="someone else"):
        province_ports.handle_decide_application(deciding(application, "approve"), uow, URL)
    assert len(uow.accounts) == 0 and [e.type for e in uow.events] == ["identity.province_port.applied"]


def test_an_approval_whose_contact_has_an_account_conflicts_and_leaves_the_application_submitted(uow, store):
    application = applied(uow, store)
    account_in(uow, "office@example.cn")
    with pytest.raises(Conflict) as exists:
        province_ports.handle_decide_application(deciding(application, "approve"), uow, URL)
    assert (exists.value.slug, list(exists.value.errors)) == ("account-exists", ["contact.email"])
    assert uow.port_applications.get(application.id).status == SUBMITTED
    assert [e.type for e in uow.events] == ["identity.province_port.applied"]


def test_applications_are_listed_oldest_first_and_each_read_of_a_form_is_audited(uow, store):
    first, second = applied(uow, store, "540000"), applied(uow, store, "650000", email="xj@example.cn")
    assert [a.id for a in province_ports.applications(PortFilter(), PageRequest(), uow).items] == [first.id, second.id]
    assert province_ports.applications(PortFilter(province_code="650000"), PageRequest(), uow).total == 1
    assert province_ports.applications(PortFilter(status=APPROVED), PageRequest(), uow).total == 0
    assert province_ports.form_to_download(first.id, uow, store).form_sha256 == first.form_sha256
    assert uow.audit_actions()[-1] == "province_port.form_read"
    with pytest.raises(NotFound):
        province_ports.form_to_download("unknown", uow, store)
    with pytest.raises(NotFound, match="missing from the file store"):
        province_ports.form_to_download(first.id, uow, LocalContentStore(store.folder.parent / "empty"))


# --- stale and dismissed applications (issue 17: one request does not hold a province for good) ----

def _age(uow, application_id: str, days: int) -> None:
    import datetime as dt

    uow.port_applications.items[application_id].submitted_at -= dt.timedelta(days=days)


def test_a_pending_application_older_than_the_bound_no_longer_holds_its_province(uow, store):
    from identity.domain.holds import HoldBounds
    from identity.domain.province_ports import EXPIRED

    first = applied(uow, store)
    _age(uow, first.id, 13)
    with pytest.raises(Conflict):
        applied(uow, store, email="second@example.cn")  # 13 days: still holds
    _age(uow, first.id, 1)
    second = applied(uow, store, email="second@example.cn")
    assert second.status == SUBMITTED and uow.port_applications.get(first.id).status == EXPIRED
    assert "province_port.expired" in uow.audit_actions()
    _age(uow, second.id, 1)
    third = province_ports.handle_apply_for_port(applying(email="third@example.cn"), uow, store, max_bytes=1024,
                                                 bounds=HoldBounds(port_pending_days=1))
    assert third.status == SUBMITTED  # a bound of a day from the settings, obeyed
    with pytest.raises(Conflict):
        applied(uow, store, email="fourth@example.cn")


def test_an_approved_port_holds_its_province_however_old(uow, store):
    application = applied(uow, store)
    province_ports.handle_decide_application(
        DecideApplication(application.id, "approve", None, "operator-1"), uow, URL)
    _age(uow, application.id, 400)
    with pytest.raises(Conflict):
        applied(uow, store, email="second@example.cn")


def test_an_operator_dismisses_with_a_reason_the_applicant_is_told_and_the_province_is_free(uow, store):
    from identity.domain.province_ports import DISMISSED

    application = applied(uow, store)
    with pytest.raises(RuleBroken) as bare:
        province_ports.handle_decide_application(DecideApplication(application.id, "dismiss", "  ", "op-1"), uow, URL)
    assert list(bare.value.errors) == ["reason"]
    dismissed = province_ports.handle_decide_application(
        DecideApplication(application.id, "dismiss", "无法联系到申请单位，疑似冒名申请", "op-1"), uow, URL)
    assert (dismissed.status, dismissed.reason, dismissed.decided_by) == (DISMISSED, "无法联系到申请单位，疑似冒名申请",
                                                                          "op-1")
    told = uow.events[-1]
    assert (told.type, told.data["contact"]["email"], told.data["reason"]) == (
        "identity.province_port.dismissed", "office@example.cn", "无法联系到申请单位，疑似冒名申请")
    assert "province_port.dismissed" in uow.audit_actions()
    assert not any(a.role == "province_admin" for a in uow.accounts)
    with pytest.raises(Conflict):
        province_ports.handle_decide_application(DecideApplication(application.id, "approve", None, "op-1"), uow, URL)
    assert applied(uow, store, email="real-office@example.cn").status == SUBMITTED
