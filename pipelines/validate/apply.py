"""Apply every rule to a parsed table and split its rows: clean, quarantined, totals."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from pipelines.intake.parse import ParsedTable
from pipelines.model import Issue, Quarantined, RecordBlock, Records, TotalRow
from pipelines.validate.catalogue import RULES
from pipelines.validate.rules import TABLE_RULES, _issue, row_findings, row_frame


@dataclass
class TableOutcome:
    records: Records = field(default_factory=Records)
    quarantined: list[Quarantined] = field(default_factory=list)
    totals: list[TotalRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def validate_table(table: ParsedTable) -> TableOutcome:
    spec = table.table.form
    errors: dict[int, list[Issue]] = {}
    warnings: list[Issue] = []
    rows = table.rows
    numbers = table.row_numbers
    # sheet row → position; rows are made only for those an issue names (see ParsedRows)
    position = dict(zip(numbers, range(len(numbers))))

    def add(issue: Issue) -> None:
        if issue.severity == "error":
            errors.setdefault(issue.row, []).append(issue)
            at = position.get(issue.row)
            if at is not None:
                row = rows[at]
                row.note_error_fields(f for f, cell in row.cells.items() if cell == issue.cell)
        else:
            warnings.append(issue)

    for at in table.noted_rows():
        for issue in rows[at].issues:
            add(issue)
    frame = row_frame(table)
    for finding in row_findings(table, frame):
        add(_issue(table, finding))
    # error rules first, each on the rows still clean; warnings only on rows that load
    ordered = sorted(TABLE_RULES, key=lambda r: RULES[r[0]].severity != "error")
    for code, rule in ordered:
        clean = [at for at, number in enumerate(numbers) if number not in errors] if errors \
            else list(range(len(numbers)))
        for finding in rule(table, clean):
            add(_issue(table, finding))

    out = TableOutcome()
    sheet = table.table.sheet
    kept: list[int] = []  # positions of the clean rows
    if errors:
        for at, number in enumerate(numbers):
            if number in errors:
                out.quarantined.append(Quarantined(spec.name, sheet, number, rows[at].raw,
                                                   sorted({issue.rule for issue in errors[number]})))
            else:
                kept.append(at)
    else:
        kept = list(range(len(numbers)))
    if kept:
        # the clean rows of the frame the rules checked, with the fields the table carries
        # (a clean row's values are exactly these fields, in this order: see parse)
        block = pl.DataFrame([frame.get_column(name) for name in table.fields])  # (a select costs ~10×)
        if len(kept) < frame.height:
            block = block[kept]
        out.records += [RecordBlock(spec.name, sheet, [numbers[at] for at in kept], block)]
    out.totals = [TotalRow(spec.name, sheet, t.row, label) for t, label in table.totals]
    out.issues = sorted([i for rows in errors.values() for i in rows] + warnings,
                        key=lambda i: (i.row or 0, i.cell or ""))
    return out
