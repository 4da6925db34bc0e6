"""The forms a filer signs, prefilled: an organisation's commitment letter (its members only)
and a province's port application form (anyone: it holds only what the caller typed)."""

from __future__ import annotations

import datetime as dt

from identity.domain.forms import CommitmentLetter, PortApplicationFormContent
from identity.service_layer.dependencies import FormRenderer
from identity.service_layer.organisations import own_organisation
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.principal import Principal
from platform_shared.regions import province_name

# The letter is dated as people in China read the calendar: at 07:00 in Beijing it is already
# the next day, whatever UTC says.
CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def today_in_china() -> dt.date:
    return dt.datetime.now(CHINA).date()


def commitment_letter(organisation_id: str, principal: Principal, uow: IdentityUnitOfWork, renderer: FormRenderer,
                      today: dt.date) -> tuple[CommitmentLetter, bytes]:
    """The organisation's commitment letter, prefilled, as PDF (its members; `NotFound` otherwise:
    a stranger learns nothing, not even that the organisation exists)."""
    organisation = own_organisation(principal, organisation_id, uow)
    letter = CommitmentLetter(organisation_name=organisation.name, uscc=organisation.uscc,
                              legal_representative_name=organisation.legal_representative_name, dated=today)
    return letter, renderer.commitment_letter(letter)


def port_application_form(province_code: str, office_name: str, contact_name: str, contact_title: str,
                          contact_phone: str, contact_email: str, renderer: FormRenderer) -> bytes:
    """The province-port application form prefilled with the office's own fields, as PDF; the
    province code is a known one (the schema checks it)."""
    content = PortApplicationFormContent(
        province_name=province_name(province_code), office_name=office_name.strip(),
        contact_name=contact_name.strip(), contact_title=contact_title.strip(), contact_phone=contact_phone.strip(),
        contact_email=contact_email.strip())
    return renderer.port_application_form(content)
