"""Builders of hand-made `CheckResult`s, shaped as the reader produces them (money as a
float rounded to cents, counts as int, bools, None), for warehouse and pipeline tests."""

from __future__ import annotations

import hashlib
from typing import Any

from pipelines.model import CheckResult, Issue, Quarantined, Record, TotalRow

SHEETS = {"team": "驻村工作队", "fund": "资金投入", "collective": "村集体经济",
          "industry": "产业带贫", "poverty": "贫困发生率", "sales": "消费扶贫"}


def make_result(
    county_code: str | None,
    period: str | None,
    rows: dict[str, list[dict[str, Any]]],
    *,
    file: str = "return.xlsx",
    issues: list[Issue] | None = None,
    quarantined: list[Quarantined] | None = None,
    totals: list[TotalRow] | None = None,
    sha256: str | None = None,
) -> CheckResult:
    """One file's result: `rows` maps form → canonical values of its clean rows, which are
    placed on sheet rows 4, 5, … of the form's sheet. Row conservation holds by default."""
    records = [
        Record(form, SHEETS[form], 4 + i, values)
        for form, form_rows in rows.items()
        for i, values in enumerate(form_rows)
    ]
    quarantined = quarantined or []
    totals = totals or []
    if sha256 is None:
        sha256 = hashlib.sha256(repr((county_code, period, file, rows, issues)).encode()).hexdigest()
    return CheckResult(
        file=file, path=f"inbox/{county_code}/{file}", sha256=sha256, size=1024,
        county_code=county_code, period=period, records=records, quarantined=quarantined,
        totals=totals, issues=issues or [], forms=list(rows),
        input_rows=len(records) + len(quarantined) + len(totals), file_type="xlsx",
    )


def rejected_result(county_code: str | None, rule: str = "county_unknown",
                    file: str = "bad.xlsx") -> CheckResult:
    issue = Issue("reject", rule, "文件被拒收", raw_value=county_code)
    return CheckResult(
        file=file, path=f"inbox/{county_code}/{file}",
        sha256=hashlib.sha256(f"{county_code}/{file}/{rule}".encode()).hexdigest(), size=10,
        county_code=county_code, period=None, issues=[issue], file_type="xlsx",
    )


def snapshot(con) -> dict[str, list[tuple]]:
    """Every base table's rows (sorted), to prove a failed load changed nothing."""
    tables = con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables"
        " WHERE table_type = 'BASE TABLE' ORDER BY 1, 2"
    ).fetchall()
    return {
        f"{s}.{t}": sorted(con.execute(f'SELECT * FROM "{s}"."{t}"').fetchall(), key=repr)
        for s, t in tables
    }
