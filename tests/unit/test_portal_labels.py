"""The portal's words for codes, in the reader's language (the `lang` cookie): a city (and the
counters' `unknown` one), a task snapshot's coded values, industry fields by name; and every
`[status.*]` word the pages use exists in both catalogues."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.i18n import catalogue
from portal.labels import city_label, industry_names, status_label, value_label

pytestmark = pytest.mark.unit

APP = Flask(__name__)
FIELDS = [{"code": "01", "name": "信息通信技术制造业", "name_en": "ICT manufacturing"},
          {"code": "09", "name": "某领域"}]  # a field without an English name keeps its Chinese one


@pytest.mark.parametrize(("language", "words"), [
    ("zh", {"city": "广东省 深圳市", "unknown": "未知", "kind": "未知", "patent": "实用新型", "relation": "被许可人",
            "document": "营业执照", "province": "广东省", "fields": {"01": "信息通信技术制造业", "09": "某领域"}}),
    ("en", {"city": "广东省 深圳市", "unknown": "Not known", "kind": "Not known", "patent": "Utility model",
            "relation": "Licensee", "document": "Business licence", "province": "广东省",
            "fields": {"01": "ICT manufacturing", "09": "某领域"}}),
])
def test_codes_are_named_in_the_readers_language(language, words):
    with APP.test_request_context(headers={"Cookie": f"lang={language}"}):
        assert city_label("440300") == words["city"]
        assert city_label("unknown") == words["unknown"]  # an organisation that gave no city
        assert status_label("kind", "unknown") == words["kind"]
        assert value_label("patents.0.kind", "utility_model") == words["patent"]
        assert value_label("patents.1.relation", "licensee") == words["relation"]
        assert value_label("documents.0.kind", "business_license") == words["document"]
        assert value_label("province_code", "440000") == words["province"]
        assert value_label("name", "enterprise") == "enterprise"  # text, not a code: as given
        assert industry_names(FIELDS) == words["fields"]


def test_every_status_word_is_in_both_catalogues():
    chinese = {key for key in catalogue("zh") if key.startswith("status.")}
    english = {key for key in catalogue("en") if key.startswith("status.")}
    assert chinese == english
    assert {"status.product.withdrawn", "status.objection.upheld", "status.benchmark_source.derived",
            "status.patent_kind.invention", "status.region.unknown"} <= chinese
