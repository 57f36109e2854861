"""parse: a located Table → typed values per row, each with the cell it came from.

A value that does not parse is an `unparseable_value` issue on its cell, never an exception.
This is the hot loop of a run (every cell of every row), so the per-table work — which parser,
which unit, which column — is planned once, and cell addresses and raw texts are only built
for the rows that need them (issues, quarantine).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable

from pipelines.intake.locate import ColumnMap, Table, is_blank
from pipelines.intake.read import cell_address
from pipelines.model import Issue
from pipelines.parsing import values as pv
from pipelines.validate.catalogue import unparseable_message


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]  # canonical field → typed value (Decimal money, int counts, …)
    source: "_RowSource" = field(repr=False, compare=False)
    issues: list[Issue] = field(default_factory=list)
    unparsed: set[str] = field(default_factory=set)  # fields whose cell did not parse
    error_fields: set[str] = field(default_factory=set)  # fields an error rule named (validate)

    @cached_property
    def cells(self) -> dict[str, str]:
        """canonical field → A1 address of its source cell (derived fields: their column's)."""
        out = {}
        for col in self.source.table.columns.values():
            address = cell_address(self.row, col.col)
            out[col.field] = address
            for derived in self.source.table.form.field(col.field).derived:
                out.setdefault(derived, address)
        return out

    @cached_property
    def raw(self) -> dict[str, str]:
        """header label → cell text as the county wrote it (for the quarantine)."""
        return {label: _raw_text(v) for c, label in self.source.table.labels.items()
                if not is_blank(v := self.source.cell(self.row, c))}


@dataclass
class ParsedTable:
    table: Table
    rows: list[ParsedRow]
    totals: list[tuple[ParsedRow, str]]  # (parsed total row, its label)

    @property
    def form(self) -> str:
        return self.table.form.name


def _raw_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _RowSource:
    """Cell access for one table: vertical merges in the data (a township merged down over
    several project rows) give each covered cell the value of the merge's top cell."""

    def __init__(self, table: Table):
        self.table = table
        self.rows = table.grid.rows
        self.origins: dict[tuple[int, int], tuple[int, int]] = {}
        for r0, c0, r1, c1 in table.grid.merged:
            if r0 > table.header_rows[1] and r1 > r0 and c0 == c1:
                for r in range(r0 + 1, r1 + 1):
                    self.origins[(r, c0)] = (r0, c0)

    def cell(self, r: int, c: int) -> Any:
        if self.origins:
            r, c = self.origins.get((r, c), (r, c))
        row = self.rows[r - 1] if r <= len(self.rows) else ()
        return row[c - 1] if c <= len(row) else None


@dataclass(frozen=True)
class _Column:
    """How one mapped column is read: planned once per table."""

    name: str
    col: int
    kind: str
    derived: tuple[str, ...]
    parse: Callable[[Any, int, int], Any]  # (value, row, col) → value or {field: value}


def parse_table(table: Table) -> ParsedTable:
    source = _RowSource(table)
    plan = [_plan(table, col, source) for col in table.columns.values()]
    rows = [_parse_row(table, source, plan, r) for r in table.data_rows]
    totals = [(_parse_row(table, source, plan, r), label) for r, label in table.total_rows]
    return ParsedTable(table, rows, totals)


def _parse_row(table: Table, source: _RowSource, plan: list[_Column], r: int) -> ParsedRow:
    parsed = ParsedRow(r, {}, source)
    values = parsed.values
    mapped = table.columns
    for column in plan:
        value = source.cell(r, column.col)
        try:
            out = column.parse(value, r, column.col)
        except pv.Unparseable:
            address = cell_address(r, column.col)
            parsed.unparsed.add(column.name)
            parsed.unparsed.update(column.derived)
            parsed.issues.append(Issue(
                severity="error", rule="unparseable_value", form=table.form.name, sheet=table.sheet,
                cell=address, row=r, raw_value=_raw_text(value),
                message=unparseable_message(address, _raw_text(value), column.kind)))
            for n in (column.name, *column.derived):
                values.setdefault(n, None)
            continue
        if isinstance(out, dict):
            for n, v in out.items():
                # a field with its own column keeps it (income_max_yuan from 收入上限)
                if n == column.name or n not in mapped:
                    values[n] = v
        else:
            values[column.name] = out
    return parsed


# --- one reader per field kind ---------------------------------------------------------------

def _memo(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Text cells repeat (是/否, 12户, 合作社): parse each distinct text of a column once."""
    seen: dict[str, Any] = {}

    def parse(value: Any) -> Any:
        if not isinstance(value, str):
            return fn(value)
        if value not in seen:
            try:
                seen[value] = fn(value)
            except pv.Unparseable as exc:
                seen[value] = exc
        out = seen[value]
        if isinstance(out, pv.Unparseable):
            raise out
        return out
    return parse


def _plan(table: Table, col: ColumnMap, source: _RowSource) -> _Column:
    spec = table.form.field(col.field)
    kind = spec.kind
    unit = col.unit
    if kind in ("text", "unit"):
        read = pv.parse_text
    elif kind == "count":
        read = _memo(lambda v: pv.parse_count(v, unit))
    elif kind == "number":
        read = _memo(lambda v: pv.parse_number(v, unit))
    elif kind == "area_mu":
        read = _memo(lambda v: pv.parse_area_mu(v, unit))
    elif kind == "bool":
        read = _memo(pv.parse_bool)
    elif kind == "year":
        read = _memo(pv.parse_year)
    elif kind == "money":
        read = _money_reader(table, col, spec)
    elif kind == "quantity":
        return _Column(col.field, col.col, kind, spec.derived, _quantity_reader(table, col, source))
    elif kind == "percent":
        percent_cells = table.grid.percent_cells
        return _Column(col.field, col.col, kind, spec.derived,
                       lambda v, r, c: pv.parse_percent(v, "0.00%" if (r, c) in percent_cells else None, unit))
    else:
        raise ValueError(f"no reader for field kind {kind!r}")
    return _Column(col.field, col.col, kind, spec.derived, lambda v, r, c: read(v))


def _money_reader(table: Table, col: ColumnMap, spec) -> Callable[[Any], Any]:
    # a 单位 line applies to money columns only (带动户数 is not 万户), and only a money unit
    unit = col.unit or next((u for u in table.unit_line if u.endswith("元")), None)
    def single_or_band(v):
        m = pv.parse_money(v, unit)
        if m is not None and m.qualifier == "range" and not band_column:
            # 2万元至10万元不等 where one amount is asked: say so, never load it as empty
            raise pv.Unparseable(pv.parse_text(v) or "", "money", "a band where one amount is asked")
        return m

    name = col.field
    band_column = bool(spec.derived and spec.derived[0].endswith("max_yuan"))
    money = _memo(single_or_band)
    if spec.derived and spec.derived[0].endswith("max_yuan"):
        upper = spec.derived[0]

        def band(v):  # a band column: a point value sets both ends
            m = money(v)
            return {name: None, upper: None} if m is None else {name: m.min_yuan, upper: m.max_yuan}
        return band
    if name.endswith("max_yuan"):
        def upper_end(v):
            m = money(v)
            return None if m is None else (m.max_yuan if m.max_yuan is not None else m.point)
        return upper_end
    if spec.derived:  # amount + its qualifier
        qualifier = spec.derived[0]

        def qualified(v):
            m = money(v)
            return {name: None, qualifier: None} if m is None else {name: m.point, qualifier: m.qualifier}
        return qualified
    return lambda v: None if (m := money(v)) is None else m.point


def _quantity_reader(table: Table, col: ColumnMap, source: _RowSource) -> Callable[[Any, int, int], Any]:
    unit_column = table.columns.get("unit")

    def read(value, r, c):
        unit_cell = source.cell(r, unit_column.col) if unit_column else None
        unit_text = pv.parse_text(unit_cell) if unit_cell is not None else None
        q = pv.parse_quantity(value, unit_text if unit_column else col.unit)
        if q is None:
            return {"quantity": None, "unit": unit_text, "quantity_kg": None}
        return {"quantity": q.value, "unit": q.unit, "quantity_kg": q.kg}
    return read


