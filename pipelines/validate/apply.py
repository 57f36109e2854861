"""Apply every rule to a parsed table and split its rows: clean, quarantined, totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable

from pipelines.intake.parse import ParsedTable
from pipelines.model import Issue, Quarantined, Record, TotalRow
from pipelines.validate.catalogue import RULES
from pipelines.validate.rules import TABLE_RULES, _issue, row_findings

_CENT = Decimal("0.01")
_NEVER_DECIMAL = frozenset({"text", "unit", "bool", "count", "year"})


@dataclass
class TableOutcome:
    records: list[Record] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    totals: list[TotalRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def _decimal_converter(name: str, kind: str | None) -> Callable[[Decimal], Any]:
    """A typed Decimal → what the JSON and the warehouse carry (money to exact cents)."""
    if kind == "money" or name.endswith("_yuan"):
        return lambda v: float(v.quantize(_CENT, rounding=ROUND_HALF_UP))
    return int if kind in ("count", "year") else float


def validate_table(table: ParsedTable) -> TableOutcome:
    spec = table.table.form
    kinds = {f.name: f.kind for f in spec.fields}
    errors: dict[int, list[Issue]] = {}
    warnings: list[Issue] = []

    by_row = {r.row: r for r in table.rows}

    def add(issue: Issue) -> None:
        if issue.severity == "error":
            errors.setdefault(issue.row, []).append(issue)
            row = by_row.get(issue.row)
            if row is not None:
                row.error_fields.update(f for f, cell in row.cells.items() if cell == issue.cell)
        else:
            warnings.append(issue)

    for row in table.rows:
        for issue in row.issues:
            add(issue)
    for finding in row_findings(table):
        add(_issue(table, finding))
    # error rules first, each on the rows still clean; warnings only on rows that load
    ordered = sorted(TABLE_RULES, key=lambda r: RULES[r[0]].severity != "error")
    for code, rule in ordered:
        clean = [r for r in table.rows if r.row not in errors]
        for finding in rule(table, clean):
            add(_issue(table, finding))

    out = TableOutcome()
    sheet = table.table.sheet
    # only these fields can hold a Decimal (counts and years are read as int)
    convert = [(n, _decimal_converter(n, kinds.get(n))) for n in spec.columns
               if kinds.get(n) not in _NEVER_DECIMAL]
    for row in table.rows:
        if row.row in errors:
            out.quarantined.append(Quarantined(spec.name, sheet, row.row, row.raw,
                                               sorted({i.rule for i in errors[row.row]})))
        else:
            values = row.values.copy()
            for n, to_json in convert:
                if type(v := values.get(n)) is Decimal:
                    values[n] = to_json(v)
            out.records.append(Record(spec.name, sheet, row.row, values))
    out.totals = [TotalRow(spec.name, sheet, t.row, label) for t, label in table.totals]
    out.issues = sorted([i for rows in errors.values() for i in rows] + warnings,
                        key=lambda i: (i.row or 0, i.cell or ""))
    return out
