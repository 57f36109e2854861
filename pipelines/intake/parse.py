"""parse: a located Table → typed values per row, each with the cell it came from.

A value that does not parse is an `unparseable_value` issue on its cell, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
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
    cells: dict[str, str]  # canonical field → A1 address of its source cell
    raw: dict[str, str]  # header label → cell text, for the quarantine
    issues: list[Issue] = field(default_factory=list)
    unparsed: set[str] = field(default_factory=set)  # fields whose cell did not parse


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


def _vertical_merge_origins(table: Table) -> dict[tuple[int, int], tuple[int, int]]:
    """A township merged down over several project rows belongs to each of them."""
    origins = {}
    for r0, c0, r1, c1 in table.grid.merged:
        if r0 > table.header_rows[1] and r1 > r0 and c0 == c1:
            for r in range(r0 + 1, r1 + 1):
                origins[(r, c0)] = (r0, c0)
    return origins


def parse_table(table: Table) -> ParsedTable:
    origins = _vertical_merge_origins(table)
    rows = [_parse_row(table, r, origins) for r in table.data_rows]
    totals = [(_parse_row(table, r, origins), label) for r, label in table.total_rows]
    return ParsedTable(table, rows, totals)


def _parse_row(table: Table, r: int, origins) -> ParsedRow:
    grid = table.grid
    def cell(col: int) -> Any:
        rr, cc = origins.get((r, col), (r, col))
        return grid.value(rr, cc)

    raw = {label: _raw_text(cell(c)) for c, label in table.labels.items() if not is_blank(cell(c))}
    parsed = ParsedRow(r, {}, {}, raw)
    unit_column = table.columns.get("unit")
    for name, col in table.columns.items():
        spec = table.form.field(name)
        value = cell(col.col)
        address = cell_address(r, col.col)
        parsed.cells[name] = address
        for derived in spec.derived:
            parsed.cells.setdefault(derived, address)
        try:
            out = _PARSERS[spec.kind](value, col, table, (r, col.col),
                                      cell(unit_column.col) if unit_column else None)
        except pv.Unparseable as exc:
            parsed.unparsed.add(name)
            parsed.unparsed.update(spec.derived)
            parsed.issues.append(Issue(
                severity="error", rule="unparseable_value", form=table.form.name, sheet=table.sheet,
                cell=address, row=r, raw_value=_raw_text(value),
                message=unparseable_message(address, _raw_text(value), spec.kind)))
            for n in (name, *spec.derived):
                parsed.values.setdefault(n, None)
            continue
        if isinstance(out, dict):
            for n, v in out.items():
                # a field with its own column keeps it (income_max_yuan from 收入上限)
                if n == name or n not in table.columns:
                    parsed.values[n] = v
        else:
            parsed.values[name] = out
    return parsed


# --- one parser per field kind -------------------------------------------------------------

def _money_unit(col: ColumnMap, table: Table) -> str | None:
    # a 单位 line applies to money columns only (带动户数 is not 万户), and only a money unit
    return col.unit or next((u for u in table.unit_line if u.endswith("元")), None)


def _money(value, col, table, pos, unit_cell) -> dict[str, Any] | Decimal | None:
    spec = table.form.field(col.field)
    money = pv.parse_money(value, _money_unit(col, table))
    if spec.derived and spec.derived[0].endswith("max_yuan"):
        # a band column: a point value sets both ends
        if money is None:
            return {col.field: None, spec.derived[0]: None}
        return {col.field: money.min_yuan, spec.derived[0]: money.max_yuan}
    if col.field.endswith("max_yuan"):
        return None if money is None else (money.max_yuan if money.max_yuan is not None else money.point)
    if spec.derived:  # amount + its qualifier
        if money is None:
            return {col.field: None, spec.derived[0]: None}
        return {col.field: money.point, spec.derived[0]: money.qualifier}
    return None if money is None else money.point


def _quantity(value, col, table, pos, unit_cell) -> dict[str, Any]:
    hint = pv.parse_text(unit_cell) if unit_cell is not None else col.unit
    q = pv.parse_quantity(value, hint)
    if q is None:
        return {"quantity": None, "unit": pv.parse_text(unit_cell) if unit_cell is not None else None,
                "quantity_kg": None}
    return {"quantity": q.value, "unit": q.unit, "quantity_kg": q.kg}


def _percent(value, col, table, pos, unit_cell):
    fmt = "0.00%" if pos in table.grid.percent_cells else None
    return pv.parse_percent(value, fmt, col.unit)


_PARSERS: dict[str, Callable[..., Any]] = {
    "text": lambda v, col, t, pos, u: pv.parse_text(v),
    "unit": lambda v, col, t, pos, u: pv.parse_text(v),
    "count": lambda v, col, t, pos, u: pv.parse_count(v, col.unit),
    "number": lambda v, col, t, pos, u: pv.parse_number(v, col.unit),
    "area_mu": lambda v, col, t, pos, u: pv.parse_area_mu(v, col.unit),
    "bool": lambda v, col, t, pos, u: pv.parse_bool(v),
    "year": lambda v, col, t, pos, u: pv.parse_year(v),
    "money": _money,
    "quantity": _quantity,
    "percent": _percent,
}
