"""The repositories of what reporting keeps besides its read models, on peewee: frozen monthly
reports and target lists."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from platform_shared.peewee_queries import delete_from
from reporting.adapters import orm
from reporting.domain.reports import FrozenEvaluation, MonthlyReport
from reporting.domain.targets import TargetList, TargetMember


class PeeweeMonthlyReports:
    def get(self, month: str, scope: str) -> MonthlyReport | None:
        row = orm.MonthlyReport.get_or_none((orm.MonthlyReport.month == month) & (orm.MonthlyReport.scope == scope))
        return None if row is None else MonthlyReport(id=row.id, month=row.month, scope=row.scope,
                                                      body=json.loads(row.body), published_at=row.published_at)

    def scopes_published(self, month: str) -> set[str]:
        return {row.scope for row in orm.MonthlyReport.select(orm.MonthlyReport.scope)
                .where(orm.MonthlyReport.month == month)}

    def published(self, scope: str) -> list[tuple[str, dt.datetime]]:
        table = orm.MonthlyReport
        rows = table.select(table.month, table.published_at).where(table.scope == scope).order_by(table.month.desc())
        return [(row.month, row.published_at) for row in rows]

    def add(self, report: MonthlyReport) -> None:
        orm.MonthlyReport.create(id=report.id, month=report.month, scope=report.scope,
                                 published_at=report.published_at, body=json.dumps(report.body, ensure_ascii=False))


class PeeweeEvaluations:
    def get(self, year: int) -> FrozenEvaluation | None:
        row = orm.YearEvaluation.get_or_none(orm.YearEvaluation.year == year)
        return None if row is None else FrozenEvaluation(year=row.year, body=json.loads(row.body),
                                                         closed_at=row.closed_at)

    def add(self, evaluation: FrozenEvaluation) -> None:
        orm.YearEvaluation.create(year=evaluation.year, closed_at=evaluation.closed_at,
                                  body=json.dumps(evaluation.body, ensure_ascii=False))


class PeeweeTargetLists:
    def replace(self, target_list: TargetList, members: Sequence[TargetMember]) -> None:
        delete_from(orm.TargetList).where(orm.TargetList.name == target_list.name).execute()
        orm.TargetList.create(name=target_list.name, title=target_list.title, uploaded_by=target_list.uploaded_by,
                              uploaded_at=target_list.uploaded_at)
        rows = [{"target_list": target_list.name, "uscc": m.uscc, "name": m.name, "province_code": m.province_code}
                for m in members]
        for start in range(0, len(rows), orm.BATCH):
            orm.TargetMember.insert_many(rows[start:start + orm.BATCH]).execute()

    def lists(self, name: str | None) -> list[TargetList]:
        selection = orm.TargetList.select().order_by(orm.TargetList.name)
        if name:
            selection = selection.where(orm.TargetList.name == name)
        return [TargetList(name=row.name, title=row.title, uploaded_by=row.uploaded_by, uploaded_at=row.uploaded_at)
                for row in selection]

    def members(self, list_name: str, province_code: str | None) -> list[TargetMember]:
        selection = orm.TargetMember.select().where(orm.TargetMember.target_list == list_name)
        if province_code:
            selection = selection.where(orm.TargetMember.province_code == province_code)
        return [TargetMember(uscc=row.uscc, name=row.name, province_code=row.province_code) for row in selection]
