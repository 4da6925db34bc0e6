"""The forms a filer signs: what the commitment letter (诚信承诺书) and the province-port
application form (the notice's attachment 3) say, prefilled from what identity knows.

The wording is the platform's faithful summary of what the notice asks each to state (see the
README): truthful data, the patent rights held, no disputes, verification and revocation
accepted. It must be checked against the notice's own attachments before it is relied upon.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

COMMITMENT_TITLE = "诚信承诺书"
COMMITMENT_TITLE_EN = "Letter of Commitment to Integrity"
# What the organisation commits to, in order; the letter numbers them.
COMMITMENTS: tuple[str, ...] = (
    "本单位在专利产品备案平台填报的单位信息、证明材料、专利信息和经济数据真实、准确、完整，"
    "不存在虚假记载、误导性陈述或重大遗漏。",
    "本单位是所备案产品声明的专利的专利权人或被许可人，所声明的专利合法有效。",
    "所备案的产品及其声明的专利不存在权属纠纷或其他争议。",
    "本单位接受知识产权管理部门和平台对所填报信息的核查；如有虚假，自愿接受撤销备案（认定）等处理，"
    "并承担相应的法律责任。",
)

PORT_FORM_TITLE = "专利产品备案平台省级管理端口开通申请表"
PORT_FORM_TITLE_EN = "Application for a Provincial Management Port (attachment 3)"
# The application form's fields as labels, in the order the form lists them: the ones the
# platform's own application asks for, so that the signed form and the typed one agree.
PORT_FORM_LABELS: tuple[str, ...] = ("申请单位", "所属省级行政区", "联系人", "职务", "联系电话", "电子邮箱")
PORT_FORM_REQUEST = ("申请开通本省（自治区、直辖市、新疆生产建设兵团）专利产品备案平台省级管理端口，"
                     "用于查看本地区专利产品备案情况及统计数据。上述联系人即省级管理账号的使用人，"
                     "平台将向其电子邮箱发送设置密码的链接。")


@dataclass(frozen=True)
class CommitmentLetter:
    """The commitment letter of one organisation, as of `dated`."""

    organisation_name: str
    uscc: str
    legal_representative_name: str
    dated: dt.date


@dataclass(frozen=True)
class PortApplicationFormContent:
    """The province-port application form, prefilled with what the office typed (blank what it did not)."""

    province_name: str
    office_name: str
    contact_name: str = ""
    contact_title: str = ""
    contact_phone: str = ""
    contact_email: str = ""

    def values(self) -> tuple[str, ...]:
        """The values in the order of `PORT_FORM_LABELS`."""
        return (self.office_name, self.province_name, self.contact_name, self.contact_title,
                self.contact_phone, self.contact_email)
