"""Row rules (pandera) and table rules (registered functions), each named by its CONTRACT code.

Row rules come from the form's schema; table rules look across rows (duplicates, 合计 rows)
or across fields the form declares (part sums, ratio limits, rates). Adding a rule is adding a
function decorated with @table_rule, not editing a dispatcher.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable

import polars as pl

from pipelines.intake.parse import ParsedRow, ParsedTable
from pipelines.model import Issue
from pipelines.validate.catalogue import RULES, out_of_range_message, required_message
from schemas.row_rules import DTYPES, failing_checks


@dataclass
class Finding:
    rule: str
    row: ParsedRow
    field: str  # the canonical field whose cell is named
    message: str


def _issue(table: ParsedTable, f: Finding) -> Issue:
    cell = f.row.cells.get(f.field)
    raw = None
    if cell:
        label = table.table.labels.get(table.table.columns[f.field].col) if f.field in table.table.columns else None
        raw = f.row.raw.get(label, "") if label else None
    return Issue(severity=RULES[f.rule].severity, rule=f.rule, form=table.form, sheet=table.table.sheet,
                 cell=cell, row=f.row.row, raw_value=raw, message=f.message)


def row_frame(table: ParsedTable) -> pl.DataFrame:
    """The table's rows as a frame with every canonical column of its form (empty where the
    file has none: frame checks may name any of them), in the dtypes pandera checks. Exact
    Decimals become floats: money is already whole fen (parse reads it to the fen), so its
    float is the float of its cents, which the JSON shows and DuckDB stores as DECIMAL(18,2)."""
    spec = table.table.form
    kinds = {f.name: f.kind for f in spec.fields}
    data = {}
    for c in spec.columns:
        dtype = DTYPES[kinds[c]] if c in kinds else pl.Utf8
        column = table.column(c)
        if dtype == pl.Float64:
            # (by type: `None in column` would compare every Decimal with None, which is slow)
            column = [None if v is None else float(v) for v in column] if type(None) in set(map(type, column)) \
                else list(map(float, column))
        data[c] = pl.Series(c, column, dtype=dtype)
    return pl.DataFrame(data)


# pandera's built-in check names → catalogue codes
def _rule_of_check(check: str) -> str | None:
    if check == "not_nullable":
        return "required_missing"
    if check.startswith(("greater_than", "less_than", "in_range", "isin")):
        return "out_of_range"
    code = check.split(":")[0]
    return code if code in RULES else None


def row_findings(table: ParsedTable, frame: pl.DataFrame) -> list[Finding]:
    """pandera, lazily validated on `row_frame(table)`: every failure case → a finding on its
    row and cell."""
    rows = table.rows
    if not rows:
        return []
    failing = failing_checks(table.form, frame)
    if failing == frozenset():
        return []  # pandera would report nothing: no need to load it (see schemas/row_rules.py)
    import pandera.errors

    from schemas.models import schema_for

    try:
        schema_for(table.form, failing).validate(frame, lazy=True)
        return []
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    spec = table.table.form
    findings = []
    # a frame check on fields that already failed on their own says nothing new
    failed_cells = {(c["index"], c["column"]) for c in cases.iter_rows(named=True)
                    if c["schema_context"] == "Column"}
    for case in cases.iter_rows(named=True):
        rule = _rule_of_check(case["check"] or "")
        if rule is None or case["index"] is None:
            raise ValueError(f"unexpected schema failure in form {table.form}: {case}")
        row = rows[case["index"]]
        if case["schema_context"] == "DataFrameSchema":
            _, a, b = case["check"].split(":")
            if (case["index"], a) in failed_cells or (case["index"], b) in failed_cells:
                continue
            if a in row.unparsed or b in row.unparsed:
                continue
            field = a
            message = _pair_message(rule, row, a, b, _label(table, a))
        else:
            field = case["column"]
            if field in row.unparsed:
                continue  # already reported as unparseable_value
            label = _label(table, field)
            cell = row.cells.get(field, "")
            if rule == "required_missing":
                if field not in table.table.columns:
                    cell = ""
                message = required_message(cell, label)
            else:
                f = spec.field(field)
                message = out_of_range_message(cell, case["failure_case"], label, f.min_value, f.max_value)
        findings.append(Finding(rule, row, field, message))
    return findings


def _label(table: ParsedTable, field: str) -> str:
    col = table.table.columns.get(field)
    return col.label if col else field


def _pair_message(rule: str, row: ParsedRow, a: str, b: str, label: str) -> str:
    cell = row.cells.get(a, "")
    if rule == "required_missing":
        return required_message(cell, label)
    if rule == "inconsistent_band":
        return f"{cell} 区间下限 {row.values[a]:,.2f} 元大于上限 {row.values[b]:,.2f} 元，请写成“小值至大值”"
    return f"{cell} 分项 {row.values[a]} 大于总数 {row.values[b]}，请核对"


# --- table rules ---------------------------------------------------------------------------

# A table rule reads the table column-wise (`ParsedTable.column`): `clean` are the positions in
# `table.rows` of the rows no error rule has named so far, in order.
TableRule = Callable[[ParsedTable, list[int]], Iterable[Finding]]
TABLE_RULES: list[tuple[str, TableRule]] = []


def table_rule(code: str):
    def register(fn: TableRule) -> TableRule:
        TABLE_RULES.append((code, fn))
        return fn
    return register


def _clean_rows(table: ParsedTable, clean: list[int], fields: Iterable[str]) -> Iterable[tuple[int, tuple]]:
    """(position, the fields' values) of each clean row."""
    columns = [table.column(f) for f in fields]
    if len(clean) == len(table.rows):
        return enumerate(zip(*columns))
    return ((at, tuple(column[at] for column in columns)) for at in clean)


@table_rule("duplicate_key")
def duplicate_keys(table: ParsedTable, clean: list[int]) -> Iterable[Finding]:
    key = [k for k in table.table.form.key if k in table.table.columns]
    if not key:
        return
    keyed = list(_clean_rows(table, clean, key))
    if len({value for _, value in keyed}) == len(keyed):
        return  # no key repeats
    seen: dict[tuple, int] = {}
    empty = (None,) * len(key)
    rows = table.rows
    for at, value in keyed:
        if value == empty:
            continue  # a county row with no township: nothing to repeat
        row = rows[at]
        if value in seen:
            shown = "、".join(str(v) for v in value if v is not None)
            yield Finding("duplicate_key", row, key[0],
                          f"{row.cells[key[0]]}「{shown}」与第 {seen[value]} 行重复，同一对象只填一行")
        else:
            seen[value] = row.row


def _num(v: Any) -> Decimal | None:
    kind = type(v)
    if kind is Decimal:
        return v
    if kind is int:
        return Decimal(v)  # exact: the same Decimal as Decimal(str(v))
    if v is None or isinstance(v, bool):
        return None
    return v if isinstance(v, Decimal) else Decimal(str(v))


def _exact(values: tuple) -> tuple | None:
    """The values as exact numbers (`_num`), None if one of them is empty. Ints and Decimals are
    kept as they are: every sum and comparison below gives the same result and the same text
    with them as with the Decimals `_num` makes of them."""
    for v in values:
        kind = type(v)
        if kind is not int and kind is not Decimal:
            values = tuple(map(_num, values))
            return None if None in values else values
    return values


@table_rule("total_mismatch")
def part_sums(table: ParsedTable, clean: list[int]) -> Iterable[Finding]:
    rows = table.rows
    for total, parts in table.table.form.part_sums:
        for at, values in _clean_rows(table, clean, (total, *parts)):
            values = _exact(values)
            if values is None:
                continue
            if values[0] != sum(values[1:]):
                yield Finding("total_mismatch", rows[at], total,
                              f"{rows[at].cells[total]} 合计 {values[0]} ≠ 分项之和 {sum(values[1:])}，请核对或说明")


@table_rule("ratio_over_limit")
def ratio_limits(table: ParsedTable, clean: list[int]) -> Iterable[Finding]:
    rows = table.rows
    for numerator, denominator, fallback, limit in table.table.form.ratio_limits:
        for at, (n, d, *parts) in _clean_rows(table, clean, (numerator, denominator, *fallback)):
            n, d = _num(n), _num(d)
            if d is None:
                parts = [_num(p) for p in parts]
                d = None if any(p is None for p in parts) else sum(parts)
            if n is None or not d:
                continue
            if n / d > Decimal(str(limit)):
                yield Finding("ratio_over_limit", rows[at], numerator,
                              f"{rows[at].cells[numerator]} 贫困户 {n} 户 ÷ 专业队伍 {d} 人 = {n / d:.1f}，超过 {limit:g}，请核对或说明")


@table_rule("incidence_mismatch")
def rates(table: ParsedTable, clean: list[int]) -> Iterable[Finding]:
    rows = table.rows
    for rate, numerator, denominator, tolerance in table.table.form.rates:
        for at, values in _clean_rows(table, clean, (rate, numerator, denominator)):
            r, n, d = map(_num, values)
            if r is None or n is None or not d:
                continue
            expected = Decimal(100) * n / d
            if abs(r - expected) > Decimal(str(tolerance)):
                yield Finding("incidence_mismatch", rows[at], rate,
                              f"{rows[at].cells[rate]} 贫困发生率 {r}% 与 贫困人口÷农村人口 = {expected:.2f}% 不符，请核对或说明")


@table_rule("sum_mismatch")
def total_rows(table: ParsedTable, clean: list[int]) -> Iterable[Finding]:
    """合计/总计 = every data row; 小计 = data rows since the previous 小计; a total directly
    under the header = every row below it."""
    if not table.totals:
        return
    spec = table.table.form
    additive = [f.name for f in spec.fields if f.additive and f.name in table.table.columns]
    data = table.rows
    numbers = table.row_numbers  # ascending: the rows of a table are in sheet order
    header_end = table.table.header_rows[1]
    last_subtotal_row = header_end
    kept = set(clean)
    quarantined = [at for at in range(len(data)) if at not in kept]
    exact: dict[str, list[Any]] = {}  # additive field → `_numbers` of its whole column
    for total, label in table.totals:
        if label.startswith("其中"):
            continue  # a breakdown line under a total (其中：财政 10): part of it, not a sum of rows
        # the members are a run of data rows: positions lo..hi-1
        if total.row == header_end + 1:
            lo, hi = bisect_right(numbers, total.row), len(data)
        elif "小计" in label:
            lo, hi = bisect_right(numbers, last_subtotal_row), bisect_left(numbers, total.row)
            last_subtotal_row = total.row
        else:
            lo, hi = 0, len(data)
        for name in additive:
            stated = _num(total.values.get(name))
            if stated is None or name in total.unparsed:
                continue
            if name not in exact:
                exact[name] = _numbers(table.column(name))
            values = exact[name][lo:hi]
            kinds = set(map(type, values))  # (types, not `values.count(None)`: a Decimal == None is slow)
            if kinds <= _NONE:
                continue  # a column filled only on the total row: nothing to compare
            # a quarantined row whose own cell in this column is wrong makes the sum unknowable
            if any(lo <= at < hi and (name in data[at].unparsed or name in data[at].error_fields
                                      or values[at - lo] is None)
                   for at in quarantined):
                continue
            actual = _exact_sum(values, type(None) in kinds)
            if abs(stated - actual) > max(Decimal(1), abs(actual) * Decimal("0.005")):
                yield Finding("sum_mismatch", total, name,
                              f"{total.cells[name]} {label} {_fmt(stated)} 与明细之和 {_fmt(actual)} 不符，请核对或说明")


_NONE = {type(None)}
_EXACT_TYPES = {type(None), int, Decimal}


def _numbers(values: list[Any]) -> list[Any]:
    """`_num` of each value; ints and Decimals (the common column) are kept as they are, which
    `_num` would only turn into equal Decimals."""
    if set(map(type, values)) <= _EXACT_TYPES:
        return values
    return [_num(v) for v in values]


def _exact_sum(values: list[Any], has_empty: bool = True) -> Decimal:
    """The sum of `_numbers` values, empty cells as 0; a column of ints adds as ints."""
    if not has_empty:
        return Decimal(0) + sum(values)
    return Decimal(0) + sum([v for v in values if v is not None])


def _fmt(v: Decimal) -> str:
    return f"{v:,.2f}".rstrip("0").rstrip(".")
