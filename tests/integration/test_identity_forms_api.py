"""The forms a filer signs, through the gateway of the embedded platform: a member downloads
its organisation's commitment letter prefilled (and nobody else's), anyone downloads the
province-port application form prefilled for its office; the PDFs are read back with pypdf."""

from __future__ import annotations

import io

import pypdf
import pytest

from identity.service_layer.forms import today_in_china
from platform_shared.pdf import chinese_date
from tests.support.members import API, Member, bearer, staff_token

pytestmark = pytest.mark.integration
FORM = f"{API}/province-port-application-form.pdf"


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def test_a_member_downloads_its_commitment_letter_prefilled(client):
    member = Member(client, name="杭州承诺书测试科技有限公司")

    answer = client.get(f"{API}/organisations/{member.id}/commitment-letter.pdf", headers=member.auth)

    assert answer.status_code == 200
    assert answer.mimetype == "application/pdf"
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert f"commitment-letter-{member.uscc}.pdf" in answer.headers["Content-Disposition"]
    assert answer.headers["Cache-Control"] == "private, no-store"
    text = text_of(answer.data)
    for value in ("诚信承诺书", "杭州承诺书测试科技有限公司", member.uscc, "赵明路", chinese_date(today_in_china())):
        assert value in text, value


def test_no_one_else_gets_an_organisations_letter(platform, client):
    member, stranger = Member(client), Member(client)
    path = f"{API}/organisations/{member.id}/commitment-letter.pdf"

    # Another organisation's member: as if it did not exist.
    assert client.get(path, headers=stranger.auth).status_code == 404
    assert client.get(f"{API}/organisations/00000000-0000-0000-0000-000000000000/commitment-letter.pdf",
                      headers=member.auth).status_code == 404
    # Staff sign nothing for an organisation; without a token, nothing at all.
    assert client.get(path, headers=bearer(staff_token(platform, client, "reviewer"))).status_code == 403
    assert client.get(path).status_code == 401


def test_anyone_downloads_the_port_application_form_prefilled_for_its_office(client):
    answer = client.get(FORM, query_string={
        "province_code": "540000", "office_name": "西藏自治区知识产权局", "contact.name": "次仁多吉",
        "contact.title": "处长", "contact.phone": "0891-6833333", "contact.email": "ciren@example.cn"})

    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert "province-port-application-540000.pdf" in answer.headers["Content-Disposition"]
    text = text_of(answer.data)
    for value in ("附件3", "申请单位", "所属省级行政区", "联系人", "职务", "联系电话", "电子邮箱",
                  "西藏自治区知识产权局", "西藏自治区", "次仁多吉", "处长", "0891-6833333", "ciren@example.cn"):
        assert value in text, value


@pytest.mark.parametrize(("query", "field"), [
    ({"province_code": "710000", "office_name": "台湾省知识产权局"}, "province_code"),
    ({"province_code": "540000"}, "office_name"),
    ({"province_code": "540000", "office_name": "局" * 201}, "office_name"),
    ({"province_code": "540000", "office_name": "局", "contact.name": "名" * 101}, "contact.name"),
])
def test_a_form_asked_for_wrongly_is_a_422_naming_the_field(client, query, field):
    answer = client.get(FORM, query_string=query)

    assert answer.status_code == 422
    assert field in answer.get_json()["errors"]
