"""identity's form handlers with the fake unit of work: what goes on the commitment letter and
the province-port form, and who may have a letter."""

from __future__ import annotations

import datetime as dt

import pytest

from identity.domain.forms import CommitmentLetter, PortApplicationFormContent
from identity.service_layer import forms
from platform_shared.errors import NotFound
from platform_shared.principal import Principal
from tests.support.fakes.identity import FakeForms, FakeIdentityUnitOfWork, organisation_in

pytestmark = pytest.mark.unit
DAY = dt.date(2026, 12, 8)


def test_a_member_gets_its_organisations_letter_as_stored_and_dated_as_asked():
    uow, renderer = FakeIdentityUnitOfWork(), FakeForms()
    organisation = organisation_in(uow, name="宁波甬承科技有限公司", legal_representative_name="王五")
    member = Principal("m", "enterprise", organisation_id=organisation.id)

    letter, pdf = forms.commitment_letter(organisation.id, member, uow, renderer, DAY)

    assert letter == CommitmentLetter("宁波甬承科技有限公司", organisation.uscc, "王五", DAY)
    assert renderer.rendered == [letter] and pdf == b"%PDF-letter"


@pytest.mark.parametrize("principal", [Principal("s", "enterprise", organisation_id="elsewhere"),
                                       Principal("r", "reviewer"), Principal("o", "operator")])
def test_no_one_but_a_member_gets_a_letter_and_nothing_is_rendered(principal):
    uow, renderer = FakeIdentityUnitOfWork(), FakeForms()
    organisation = organisation_in(uow)

    with pytest.raises(NotFound):
        forms.commitment_letter(organisation.id, principal, uow, renderer, DAY)
    assert renderer.rendered == []


def test_the_port_form_names_the_province_and_trims_what_was_typed():
    renderer = FakeForms()

    forms.port_application_form("660000", " 新疆生产建设兵团知识产权局 ", " 艾力 ", "", "", "", renderer)

    assert renderer.rendered == [PortApplicationFormContent("新疆生产建设兵团", "新疆生产建设兵团知识产权局", "艾力")]


def test_the_letter_is_dated_in_beijing():
    assert forms.CHINA.utcoffset(None) == dt.timedelta(hours=8)
    assert forms.today_in_china() == dt.datetime.now(dt.UTC).astimezone(forms.CHINA).date()
