"""The table rules read the table column-wise (`ParsedTable.column`, positions of the clean
rows); until they did, they read each row's `values` dict. The row-wise rules are kept here
verbatim, and both must give the same findings — rule, row, field and message — on the
tables of generated workbooks whose values are shuffled, emptied, retyped and repeated, with
some rows already quarantined."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any, Iterable

import pytest

from pipelines.demo import synthesize
from pipelines.demo.synth import default_counties
from pipelines.intake.locate import locate_tables
from pipelines.intake.parse import ParsedRow, ParsedTable, parse_table  # noqa: F401 (old rules' types)
from pipelines.intake.read import read_grids, sniff_type
from pipelines.limits import Limits
from pipelines.validate import rules as R
from pipelines.validate.rules import Finding, _fmt, _num  # (_num: unchanged, shared)
from tests.conftest import corpus_cases

def duplicate_keys(table: ParsedTable, clean: list[ParsedRow]) -> Iterable[Finding]:
    key = [k for k in table.table.form.key if k in table.table.columns]
    if not key:
        return
    seen: dict[tuple, int] = {}
    empty = (None,) * len(key)
    for row in clean:
        values = row.values
        value = tuple(map(values.get, key))
        if value == empty:
            continue  # a county row with no township: nothing to repeat
        if value in seen:
            shown = "、".join(str(v) for v in value if v is not None)
            yield Finding("duplicate_key", row, key[0],
                          f"{row.cells[key[0]]}「{shown}」与第 {seen[value]} 行重复，同一对象只填一行")
        else:
            seen[value] = row.row


def part_sums(table: ParsedTable, clean: list[ParsedRow]) -> Iterable[Finding]:
    for total, parts in table.table.form.part_sums:
        for row in clean:
            values = [_num(row.values.get(f)) for f in (total, *parts)]
            if any(v is None for v in values):
                continue
            if values[0] != sum(values[1:]):
                yield Finding("total_mismatch", row, total,
                              f"{row.cells[total]} 合计 {values[0]} ≠ 分项之和 {sum(values[1:])}，请核对或说明")


def ratio_limits(table: ParsedTable, clean: list[ParsedRow]) -> Iterable[Finding]:
    for numerator, denominator, fallback, limit in table.table.form.ratio_limits:
        for row in clean:
            n = _num(row.values.get(numerator))
            d = _num(row.values.get(denominator))
            if d is None:
                parts = [_num(row.values.get(f)) for f in fallback]
                d = None if any(p is None for p in parts) else sum(parts)
            if n is None or not d:
                continue
            if n / d > Decimal(str(limit)):
                yield Finding("ratio_over_limit", row, numerator,
                              f"{row.cells[numerator]} 贫困户 {n} 户 ÷ 专业队伍 {d} 人 = {n / d:.1f}，超过 {limit:g}，请核对或说明")


def rates(table: ParsedTable, clean: list[ParsedRow]) -> Iterable[Finding]:
    for rate, numerator, denominator, tolerance in table.table.form.rates:
        for row in clean:
            r, n, d = (_num(row.values.get(f)) for f in (rate, numerator, denominator))
            if r is None or n is None or not d:
                continue
            expected = Decimal(100) * n / d
            if abs(r - expected) > Decimal(str(tolerance)):
                yield Finding("incidence_mismatch", row, rate,
                              f"{row.cells[rate]} 贫困发生率 {r}% 与 贫困人口÷农村人口 = {expected:.2f}% 不符，请核对或说明")


def total_rows(table: ParsedTable, clean: list[ParsedRow]) -> Iterable[Finding]:
    """合计/总计 = every data row; 小计 = data rows since the previous 小计; a total directly
    under the header = every row below it."""
    spec = table.table.form
    additive = [f.name for f in spec.fields if f.additive and f.name in table.table.columns]
    data = table.rows
    header_end = table.table.header_rows[1]
    last_subtotal_row = header_end
    clean_rows = {r.row for r in clean}
    for total, label in table.totals:
        if label.startswith("其中"):
            continue  # a breakdown line under a total (其中：财政 10): part of it, not a sum of rows
        if total.row == header_end + 1:
            members = [r for r in data if r.row > total.row]
        elif "小计" in label:
            members = [r for r in data if last_subtotal_row < r.row < total.row]
            last_subtotal_row = total.row
        else:
            members = data
        for name in additive:
            stated = _num(total.values.get(name))
            if stated is None or name in total.unparsed:
                continue
            values = _numbers([r.values.get(name) for r in members])
            if values.count(None) == len(values):
                continue  # a column filled only on the total row: nothing to compare
            # a quarantined row whose own cell in this column is wrong makes the sum unknowable
            if any(r.row not in clean_rows and (name in r.unparsed or name in r.error_fields or v is None)
                   for r, v in zip(members, values)):
                continue
            actual = _exact_sum(values)
            if abs(stated - actual) > max(Decimal(1), abs(actual) * Decimal("0.005")):
                yield Finding("sum_mismatch", total, name,
                              f"{total.cells[name]} {label} {_fmt(stated)} 与明细之和 {_fmt(actual)} 不符，请核对或说明")


def _numbers(values: list[Any]) -> list[Any]:
    """`_num` of each value; ints and Decimals (the common column) are kept as they are, which
    `_num` would only turn into equal Decimals."""
    if all(v is None or type(v) is int or type(v) is Decimal for v in values):
        return values
    return [_num(v) for v in values]


def _exact_sum(values: list[Any]) -> Decimal:
    """The sum of `_numbers` values, empty cells as 0; a column of ints adds as ints."""
    return Decimal(0) + sum(v for v in values if v is not None)


ROW_WISE = {"duplicate_key": duplicate_keys, "total_mismatch": part_sums, "ratio_over_limit": ratio_limits,
            "incidence_mismatch": rates, "sum_mismatch": total_rows}


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> list[ParsedTable]:
    root = tmp_path_factory.mktemp("inbox")
    paths = [m.path for m in synthesize(root, counties=default_counties(8), periods=["2018-08"],
                                        rows_per_form=40, seed=11)]
    paths += [src for src, _, _ in corpus_cases()]
    out = []
    for path in paths:
        try:
            grids = read_grids(path, sniff_type(path, Limits()), Limits())
        except Exception:
            continue  # a corpus file that is refused has no tables
        out += [parse_table(t) for g in grids for t in locate_tables(g)]
    assert len(out) > 40
    return out


def _shuffled(table: ParsedTable, rng: random.Random) -> ParsedTable:
    """The table with its values changed in place, column-wise, and every row's values
    re-made from the columns (so the row-wise rules read exactly what the columns hold)."""
    n = len(table.rows)
    for name, column in table.fields.items():
        present = [v for v in column if v is not None]
        for i in range(n):
            roll = rng.random()
            if roll < 0.08:
                column[i] = None
            elif roll < 0.16 and present:
                column[i] = rng.choice(present)  # repeats: duplicate keys, equal sums
            elif roll < 0.20 and isinstance(column[i], (int, Decimal)) and not isinstance(column[i], bool):
                column[i] = rng.choice([float(column[i]), Decimal(column[i]) + Decimal("0.50"), int(column[i]) + 1,
                                        True, 0, Decimal("0.00")])
    for at, row in enumerate(table.rows):
        row.values = {name: column[at] for name, column in table.fields.items()}
    if table.totals and rng.random() < 0.3:
        table.totals[0][0].row = table.table.header_rows[1] + 1  # a 合计 directly under the header
    for total, _ in table.totals:
        for name, value in list(total.values.items()):
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and rng.random() < 0.3:
                total.values[name] = rng.choice([None, value + 1, float(value), Decimal(value) * 2])
    return table


def _seen(findings: Iterable[Finding]) -> list[tuple]:
    return [(f.rule, f.row.row, f.field, f.message) for f in findings]


@pytest.mark.parametrize("seed", range(6))
def test_column_wise_rules_find_what_the_row_wise_rules_found(tables, seed):
    rng = random.Random(seed)
    fired: set[str] = set()
    for table in tables:
        table = _shuffled(table, rng) if seed else table
        n = len(table.rows)
        kept = sorted(rng.sample(range(n), k=n - rng.randrange(0, max(1, n // 5)))) if seed % 2 else list(range(n))
        for at in set(range(n)) - set(kept):  # as validate marks a quarantined row's failing cells
            row = table.rows[at]
            fields = [name for name in table.fields if rng.random() < 0.3]
            row.note_error_fields(fields)
        for code, rule in R.TABLE_RULES:
            new = _seen(rule(table, kept))
            old = _seen(ROW_WISE[code](table, [table.rows[at] for at in kept]))
            assert new == old, (code, table.table.sheet)
            fired.update(f[0] for f in new)
    if seed:
        assert fired == set(ROW_WISE), fired  # every rule found something on the shuffled tables
