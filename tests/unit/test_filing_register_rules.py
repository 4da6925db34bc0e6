"""Declared patents held against the register at submission (filing.domain.rules): the holder
rule for owners, the licence rules for licensees, and "unverified" where the register cannot tell.

Each rule is broken alone; the problem is reported under the patent's field with its rule code
and what the register says.
"""

from __future__ import annotations

import datetime as dt

import pytest

from filing.domain.rules import (
    OrganisationNames,
    PatentClaim,
    PatentVerdict,
    register_checks,
    submission_problems,
)
from platform_shared.patents.verdict import RecordedLicence, RegisteredHolder, RegisterRecord

pytestmark = pytest.mark.unit

TODAY = dt.date(2026, 11, 28)
NUMBER = "201710601862.3"
ORG = OrganisationNames("深圳市甲科技有限公司", "91440300MA5DC0TN0X")
OTHER = RegisteredHolder("乙电子（集团）股份有限公司", "91110108MA01BMR94D")
RECORD_NO = "2024440000123456"
LICENCE = RecordedLicence(RECORD_NO, NUMBER, licensor=OTHER.name, licensee="深圳市甲科技有限公司",
                          starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2028, 12, 31))


def record(holders=(OTHER,), licences=(LICENCE,)) -> RegisterRecord:
    return RegisterRecord("file", "valid", holders=holders, granted_on=dt.date(2019, 5, 3),
                          expires_on=dt.date(2037, 7, 20), licences=licences)


def claim(relation: str = "owner", record_no: str | None = None) -> PatentClaim:
    return PatentClaim(NUMBER, relation, record_no, False)


def submit(patent: PatentClaim, found: RegisterRecord | None, organisation: OrganisationNames = ORG,
           today: dt.date = TODAY):
    verdicts = {NUMBER: PatentVerdict(True, record=found)}
    checks = register_checks([patent], verdicts, organisation, today)
    problems = submission_problems(organisation_status="verified", economic_years=[today.year - 1], patents=[patent],
                                   verdicts=verdicts, today=today, checks=checks)
    return checks[0], problems


# --- owner --------------------------------------------------------------------------------------

def test_an_owner_among_the_holders_is_verified():
    check, problems = submit(claim(), record(holders=(RegisteredHolder("深圳市甲科技有限公司"),)))

    assert problems == {}
    assert (check.outcome, check.match) == ("verified", "holder")


def test_a_co_owned_patent_counts_for_each_holder():
    check, problems = submit(claim(), record(holders=(OTHER, RegisteredHolder("深圳市 甲科技 有限公司"))))

    assert problems == {}
    assert (check.outcome, check.match) == ("verified", "co_holder")


def test_the_holder_matches_by_uscc_whatever_name_the_register_writes():
    # A former name on the register: the USCC still names the organisation.
    check, problems = submit(claim(), record(holders=(RegisteredHolder("深圳市甲电子有限公司", ORG.uscc.lower()),)))

    assert problems == {}
    assert check.outcome == "verified"


def test_a_former_name_matches_where_it_is_known():
    organisation = OrganisationNames("深圳市甲科技有限公司", None, former_names=("深圳市甲电子有限公司",))
    check, problems = submit(claim(), record(holders=(RegisteredHolder("深圳市甲电子有限公司"),)), organisation)

    assert problems == {} and check.outcome == "verified"


def test_another_companys_patent_declared_as_owned_is_refused_naming_the_holder():
    check, problems = submit(claim(), record())

    assert check.outcome == "refused"
    assert list(problems) == ["patents.0.number", "patents"]
    message = problems["patents.0.number"][0]
    assert message.code == "patent.not_holder"
    assert message.params == {"number": NUMBER, "holders": OTHER.name}
    assert OTHER.name in message


def test_a_similar_name_of_another_company_is_not_the_holder():
    _, problems = submit(claim(), record(holders=(RegisteredHolder("深圳市甲科技股份有限公司"),)))

    assert problems["patents.0.number"][0].code == "patent.not_holder"


def test_a_register_without_holders_leaves_the_patent_unverified_not_refused():
    check, problems = submit(claim(), RegisterRecord("checksum", "well_formed"))

    assert problems == {}
    assert (check.outcome, check.unverified_because) == ("unverified", "holders_unknown")
    assert check.as_dict()["holders"] is None and check.as_dict()["registry"] == "checksum"


def test_no_record_at_all_is_unverified():
    check, problems = submit(claim(), None)

    assert problems == {} and check.outcome == "unverified"


# --- licensee -----------------------------------------------------------------------------------

def test_a_licensee_with_a_running_recorded_licence_is_verified():
    check, problems = submit(claim("licensee", " 2024440000123456 "), record())

    assert problems == {}
    assert (check.outcome, check.match, check.licence) == ("verified", "licensee", LICENCE)
    assert check.as_dict()["licence"]["record_no"] == RECORD_NO


def test_a_licence_number_not_recorded_for_the_patent_is_refused():
    check, problems = submit(claim("licensee", "2024440000999999"), record())

    assert check.outcome == "refused"
    message = problems["patents.0.license_record_no"][0]
    assert (message.code, message.params["record_no"]) == ("patent.licence_not_recorded", "2024440000999999")


def test_a_licence_to_another_organisation_is_refused():
    other = RecordedLicence(RECORD_NO, NUMBER, licensor=OTHER.name, licensee="丙公司")
    _, problems = submit(claim("licensee", RECORD_NO), record(licences=(other,)))

    message = problems["patents.0.license_record_no"][0]
    assert message.code == "patent.licence_other_licensee" and message.params["licensee"] == "丙公司"


def test_a_licence_to_the_organisations_uscc_counts_under_another_name():
    licence = RecordedLicence(RECORD_NO, NUMBER, licensor=OTHER.name, licensee="甲公司", licensee_uscc=ORG.uscc)
    check, problems = submit(claim("licensee", RECORD_NO), record(licences=(licence,)))

    assert problems == {} and check.outcome == "verified"


def test_a_licence_from_someone_not_a_holder_is_refused():
    sham = RecordedLicence(RECORD_NO, NUMBER, licensor="丁贸易有限公司", licensee=ORG.name)
    _, problems = submit(claim("licensee", RECORD_NO), record(licences=(sham,)))

    message = problems["patents.0.license_record_no"][0]
    assert message.code == "patent.licence_licensor_not_holder"
    assert message.params["licensor"] == "丁贸易有限公司" and message.params["holders"] == OTHER.name


@pytest.mark.parametrize(("today", "why"), [(dt.date(2029, 1, 1), "ended"), (dt.date(2023, 12, 31), "not begun")])
def test_a_licence_that_does_not_run_on_the_day_is_refused(today, why):
    _, problems = submit(claim("licensee", RECORD_NO), record(), today=today)

    message = problems["patents.0.license_record_no"][0]
    assert message.code == "patent.licence_not_running", why
    assert (message.params["starts_on"], message.params["ends_on"]) == ("2024-01-01", "2028-12-31")


def test_a_licence_runs_on_its_first_and_last_day():
    assert submit(claim("licensee", RECORD_NO), record(), today=dt.date(2028, 12, 31))[1] == {}
    assert submit(claim("licensee", RECORD_NO), record(), today=dt.date(2024, 1, 1))[1] == {}


def test_a_register_without_licence_data_leaves_a_licensee_unverified():
    check, problems = submit(claim("licensee", RECORD_NO), record(licences=None))

    assert problems == {}
    assert (check.outcome, check.unverified_because) == ("unverified", "licences_unknown")


def test_a_register_with_no_licences_recorded_refuses_a_licensee():
    _, problems = submit(claim("licensee", RECORD_NO), record(licences=()))

    assert problems["patents.0.license_record_no"][0].code == "patent.licence_not_recorded"


def test_a_patent_the_register_holds_invalid_is_not_checked_further():
    verdicts = {NUMBER: PatentVerdict(False, "lapsed", record=record())}

    assert register_checks([claim()], verdicts, ORG, TODAY) == [None]
