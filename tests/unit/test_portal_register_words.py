"""The portal says the register's refusals in the reader's language: every rule code of the
register checks (filing's holder and licence rules, review's unconfirmed patent) has words in
both catalogues, with the register's values put in."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.api import Problem
from portal.problem_words import PROBLEM_BASE, worded

pytestmark = pytest.mark.unit

NUMBER, HOLDERS = "201710601862.3", "乙电子（集团）股份有限公司"
RULES = {
    "patents.0.number": {"rule": "patent.not_holder", "number": NUMBER, "holders": HOLDERS},
    "patents.1.license_record_no": {"rule": "patent.licence_not_recorded", "number": NUMBER, "record_no": "L-9"},
    "patents.2.license_record_no": {"rule": "patent.licence_other_licensee", "number": NUMBER, "record_no": "L-1",
                                    "licensee": "丙公司"},
    "patents.3.license_record_no": {"rule": "patent.licence_licensor_not_holder", "number": NUMBER,
                                    "record_no": "L-2", "licensor": "丁公司", "holders": HOLDERS},
    "patents.4.license_record_no": {"rule": "patent.licence_not_running", "number": NUMBER, "record_no": "L-3",
                                    "starts_on": "2019-01-01", "ends_on": "2020-12-31", "today": "2026-11-28"},
    "patents.5.number": {"rule": "review.patent_unconfirmed", "number": NUMBER},
}
EXPECTED = {
    "zh": {"patents.0.number": HOLDERS, "patents.1.license_record_no": "L-9",
           "patents.2.license_record_no": "丙公司", "patents.3.license_record_no": "丁公司",
           "patents.4.license_record_no": "2020-12-31", "patents.5.number": "专利登记未能核实"},
    "en": {"patents.0.number": "not your organisation", "patents.1.license_record_no": "No licence contract",
           "patents.2.license_record_no": "丙公司", "patents.3.license_record_no": "not a registered holder",
           "patents.4.license_record_no": "does not cover the day of submission (2026-11-28)",
           "patents.5.number": "confirm it against the certificate"},
}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_each_register_rule_is_worded_with_its_values(language):
    problem = Problem(422, "Unprocessable Entity", "English for API clients", PROBLEM_BASE + "submission-rule-broken",
                      errors={field: ["English"] for field in RULES}, rules={f: [r] for f, r in RULES.items()})
    with Flask(__name__).test_request_context("/", headers={"Cookie": f"lang={language}"}):
        told = worded(problem)
    for field, words in EXPECTED[language].items():
        [message] = told.errors[field]
        assert words in message, (field, message)
        assert "English" not in message and "{" not in message
