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

    def column(self, c: int, rows: list[int]) -> list[Any]:
        """The cells of column c on the given rows."""
        if self.origins:
            return [self.cell(r, c) for r in rows]
        grid, n, i = self.rows, len(self.rows), c - 1
        return [(row[i] if i < len(row) else None) if r <= n and (row := grid[r - 1]) else None
                for r in rows]


# A column reader: (cells, their rows) → (values, {position: Unparseable}). A value is the
# field's typed value, or {field: value} for a column that fills several fields.
ColumnReader = Callable[[list[Any], list[int]], tuple[list[Any], dict[int, "pv.Unparseable"]]]


@dataclass(frozen=True)
class _Column:
    """How one mapped column is read: planned once per table, applied to the whole column."""

    name: str
    col: int
    kind: str
    derived: tuple[str, ...]
    read: ColumnReader


def parse_table(table: Table) -> ParsedTable:
    source = _RowSource(table)
    plan = [_plan(table, col, source) for col in table.columns.values()]
    rows = _parse_rows(table, source, plan, table.data_rows)
    totals = list(zip(_parse_rows(table, source, plan, [r for r, _ in table.total_rows]),
                      (label for _, label in table.total_rows)))
    return ParsedTable(table, rows, totals)


def _parse_rows(table: Table, source: _RowSource, plan: list[_Column], rows: list[int]) -> list[ParsedRow]:
    """Column by column: each mapped column is read in one pass, then spread over the rows."""
    parsed = [ParsedRow(r, {}, source) for r in rows]
    mapped = table.columns
    for column in plan:
        cells = source.column(column.col, rows)
        values, failed = column.read(cells, rows)
        name = column.name
        for p, out in zip(parsed, values):
            if type(out) is dict:
                for n, v in out.items():
                    # a field with its own column keeps it (income_max_yuan from 收入上限)
                    if n == name or n not in mapped:
                        p.values[n] = v
            else:
                p.values[name] = out
        for i, exc in failed.items():
            p, r = parsed[i], rows[i]
            address = cell_address(r, column.col)
            raw = _raw_text(cells[i])
            p.unparsed.add(name)
            p.unparsed.update(column.derived)
            p.issues.append(Issue(
                severity="error", rule="unparseable_value", form=table.form.name, sheet=table.sheet,
                cell=address, row=r, raw_value=raw,
                message=unparseable_message(address, raw, column.kind)))
            for n in (name, *column.derived):
                p.values.setdefault(n, None)
    return parsed


# --- one reader per field kind ---------------------------------------------------------------

_MEMO_TYPES = frozenset({str, float, type(None)})  # a str never equals a float: one dict holds both


def _each(fn: Callable[[Any], Any]) -> ColumnReader:
    """Read every cell with fn. Text cells repeat (是/否, 12户, 合作社) and so do whole numbers:
    each distinct text or float of a column is read once."""
    def attempt(value: Any) -> Any:
        try:
            return fn(value)
        except pv.Unparseable as exc:
            return exc

    def read(cells: list[Any], rows: list[int]) -> tuple[list[Any], dict[int, pv.Unparseable]]:
        if _MEMO_TYPES.issuperset(map(type, cells)):
            # (ints, bools, dates are left out: 1 == 1.0 == True would share one reading)
            read_once = {value: attempt(value) for value in dict.fromkeys(cells)}
            out = [read_once[value] for value in cells]
            if not any(isinstance(v, pv.Unparseable) for v in read_once.values()):
                return out, {}
        else:
            out = [attempt(value) for value in cells]
        failed = {i: v for i, v in enumerate(out) if isinstance(v, pv.Unparseable)}
        for i in failed:
            out[i] = None
        return out, failed
    return read


def _each_at(fn: Callable[[Any, int], Any]) -> ColumnReader:
    """Read every cell with fn(value, row), for readers that look beyond the cell itself."""
    def read(cells: list[Any], rows: list[int]) -> tuple[list[Any], dict[int, pv.Unparseable]]:
        out: list[Any] = []
        failed: dict[int, pv.Unparseable] = {}
        for i, (value, r) in enumerate(zip(cells, rows)):
            try:
                out.append(fn(value, r))
            except pv.Unparseable as exc:
                failed[i] = exc
                out.append(None)
        return out, failed
    return read


def _plan(table: Table, col: ColumnMap, source: _RowSource) -> _Column:
    spec = table.form.field(col.field)
    kind = spec.kind
    unit = col.unit
    if kind in ("text", "unit"):
        read = _each(pv.parse_text)
    elif kind == "count":
        read = _each(lambda v: pv.parse_count(v, unit))
    elif kind == "number":
        read = _each(lambda v: pv.parse_number(v, unit))
    elif kind == "area_mu":
        read = _each(lambda v: pv.parse_area_mu(v, unit))
    elif kind == "bool":
        read = _each(pv.parse_bool)
    elif kind == "year":
        read = _each(pv.parse_year)
    elif kind == "money":
        read = _each(_money_reader(table, col, spec))
    elif kind == "quantity":
        read = _each_at(_quantity_reader(table, col, source))
    elif kind == "percent":
        read = _percent_reader(table, col)
    else:
        raise ValueError(f"no reader for field kind {kind!r}")
    return _Column(col.field, col.col, kind, spec.derived, read)


def _percent_reader(table: Table, col: ColumnMap) -> ColumnReader:
    """A numeric cell formatted 0.00% holds a fraction; the format is per cell."""
    percent_cells = table.grid.percent_cells
    unit = col.unit
    if not any(c == col.col for _, c in percent_cells):
        return _each(lambda v: pv.parse_percent(v, None, unit))
    return _each_at(lambda v, r: pv.parse_percent(v, "0.00%" if (r, col.col) in percent_cells else None, unit))


def _money_reader(table: Table, col: ColumnMap, spec) -> Callable[[Any], Any]:
    # a 单位 line applies to money columns only (带动户数 is not 万户), and only a money unit
    unit = col.unit or next((u for u in table.unit_line if u.endswith("元")), None)
    def money(v):
        m = pv.parse_money(v, unit)
        if m is not None and m.qualifier == "range" and not band_column:
            # 2万元至10万元不等 where one amount is asked: say so, never load it as empty
            raise pv.Unparseable(pv.parse_text(v) or "", "money", "a band where one amount is asked")
        return m

    name = col.field
    band_column = bool(spec.derived and spec.derived[0].endswith("max_yuan"))
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


def _quantity_reader(table: Table, col: ColumnMap, source: _RowSource) -> Callable[[Any, int], Any]:
    unit_column = table.columns.get("unit")

    def read(value, r):
        unit_cell = source.cell(r, unit_column.col) if unit_column else None
        unit_text = pv.parse_text(unit_cell) if unit_cell is not None else None
        q = pv.parse_quantity(value, unit_text if unit_column else col.unit)
        if q is None:
            return {"quantity": None, "unit": unit_text, "quantity_kg": None}
        return {"quantity": q.value, "unit": q.unit, "quantity_kg": q.kg}
    return read


