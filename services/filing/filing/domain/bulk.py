"""Bulk filing's rows and columns: one spreadsheet row is one `POST /products` body, and each
column of the template is a field of it (`COLUMNS`). `column_of` names the column a validation
error of a draft is about, as the user finds it in their sheet.

Plain Python: the files themselves are read and written in `filing.adapters.bulk`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

MAX_ROWS = 5000
PRODUCT_SHEET = "产品"
GUIDE_SHEET = "说明"
INDUSTRY_SHEET = "产业领域"


class BulkFileRefused(Exception):
    """The file as a whole cannot be read; `reason` is a sentence for the user, `code` which reason
    it is (`bulk.<code>`, for clients that word it in their reader's language). `unsupported`:
    the content is plainly not a spreadsheet (415), rather than an unreadable one (422)."""

    def __init__(self, reason: str, *, unsupported: bool = False, code: str = "unreadable") -> None:
        super().__init__(reason)
        self.reason = reason
        self.unsupported = unsupported
        self.code = code


@dataclass(frozen=True)
class BulkRow:
    number: int  # the row's number in the user's spreadsheet: the header is row 1
    draft: dict[str, Any]  # the POST /products body, not yet validated


class Column(NamedTuple):
    key: str
    label: str
    description: str
    example: str

    @property
    def required(self) -> bool:
        return self.key in REQUIRED_KEYS

    @property
    def heading(self) -> str:
        """How messages name the column: both names, as either may be in the user's header."""
        return f"{self.key}（{self.label}）"


COLUMNS: tuple[Column, ...] = (
    Column("name", "产品名称", "产品名称，与产品包装、说明书上的名称一致。", "智能手机"),
    Column("brand", "品牌", "产品品牌（商标）。品牌与型号一起识别一件产品。", "华为"),
    Column("model", "型号", "产品型号。", "Mate 60 Pro"),
    Column("industry_code", "产业领域代码",
           "知识产权（专利）密集型产业领域的两位代码，见「产业领域」工作表。", "01"),
    Column("description", "产品简介", "产品的简要介绍。", "搭载自研麒麟芯片、支持卫星通话的5G智能手机。"),
    Column("launched_on", "上市日期", "产品上市日期，格式 YYYY-MM-DD。", "2023-08-29"),
    Column("variants", "规格型号变体", "同一产品的其他规格型号，多个用分号（; 或 ；）分隔。", "黑色;白色;12GB+512GB"),
    Column("economic_year", "经济数据年度", "以下经济数据所属的年度（四位数字）。", "2025"),
    Column("sales_revenue", "销售额（元）", "该年度销售额，单位元，最多两位小数。", "1234567.89"),
    Column("sales_volume", "销售量", "该年度销售量（件、台、套等），整数。", "1000"),
    Column("export_revenue", "出口额（元）", "该年度出口额，单位元，最多两位小数。", "200000.00"),
    Column("profit", "利润（元）", "该年度利润，单位元，最多两位小数；亏损填负数。", "150000.00"),
    Column("ip_investment", "知识产权投入（元）", "该年度知识产权投入，单位元，最多两位小数。", "80000"),
    Column("patents", "专利",
           "支撑该产品的专利，多件用分号（; 或 ；）分隔。每件写作 专利号|关系|许可备案号|专利名称|专利权人"
           "（竖线也可用全角 ｜），专利号之后的各项均可省略。关系为 owner（自有）或 licensee（被许可），"
           "省略时为 owner；被许可的专利需填写许可合同备案号。",
           "201710601862.3|owner;202011167667.2|licensee|X2020440000123"),
)
REQUIRED_KEYS = frozenset({"name", "brand", "model", "industry_code"})
# The schema requires these of an economic year, so they are required as soon as any economic
# column of the row has a value.
ECONOMIC_REQUIRED_KEYS = frozenset({"economic_year", "sales_revenue", "sales_volume"})
ECONOMIC_FIELDS = {
    "economic_year": "year",
    "sales_revenue": "sales_revenue",
    "sales_volume": "sales_volume",
    "export_revenue": "export_revenue",
    "profit": "profit",
    "ip_investment": "ip_investment",
}
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
_COLUMN_OF_ECONOMIC_FIELD = {field: key for key, field in ECONOMIC_FIELDS.items()}
_ECONOMIC_HEADING = "经济数据（economic_year 至 ip_investment 各列）"


def column_of(field_path: str) -> str:
    """The column a validation error of a draft is about, as the user finds it in their sheet:
    `"economic_data.0.sales_revenue"` → `"sales_revenue（销售额（元））"`, `"patents.1.number"` →
    `"patents（专利）第2项"`. A path that is no column comes back as it is."""
    parts = field_path.split(".") if field_path else []
    if not parts or parts[0] == "_schema":
        return "整行"
    head, rest = parts[0], parts[1:]
    if head in ("variants", "patents"):
        heading = COLUMN_BY_KEY[head].heading
        return f"{heading}第{int(rest[0]) + 1}项" if rest and rest[0].isdigit() else heading
    if head == "economic_data":
        # A row has one economic year, so the index says nothing the user needs.
        key = _COLUMN_OF_ECONOMIC_FIELD.get(rest[1]) if len(rest) >= 2 else None
        return COLUMN_BY_KEY[key].heading if key else _ECONOMIC_HEADING
    if head in COLUMN_BY_KEY:
        return COLUMN_BY_KEY[head].heading
    return field_path
