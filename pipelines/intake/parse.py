"""parse: a located Table → typed values per row, each with the cell it came from.

A value that does not parse is an `unparseable_value` issue on its cell, never an exception.
This is the hot loop of a run (every cell of every row), so the per-table work — which parser,
which unit, which column — is planned once, and cell addresses and raw texts are only built
for the rows that need them (issues, quarantine).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, Callable, Iterable, Iterator, Sequence

from pipelines.intake.locate import ColumnMap, Table, is_blank
from pipelines.intake.read import cell_address
from pipelines.model import Issue
from pipelines.parsing import values as pv
from pipelines.validate.catalogue import unparseable_message


class ParsedRow:
    """One data (or 合计) row: its typed values, the cells they came from, and what went wrong.

    A table has thousands of rows and most of them only ever pass through column-wise rules
    (`ParsedTable.fields`), so a row is light: its `values` dict is made from the table's columns
    on first use, and its issue and field sets are shared empty ones until something is noted."""

    # shared, immutable defaults: a row that nothing is noted on allocates none of them
    issues: Sequence[Issue] = ()
    unparsed: frozenset[str] | set[str] = frozenset()  # fields whose cell did not parse
    error_fields: frozenset[str] | set[str] = frozenset()  # fields an error rule named (validate)

    def __init__(self, row: int, values: dict[str, Any] | None = None, source: "_RowSource | None" = None,
                 issues: list[Issue] | None = None, unparsed: set[str] | None = None,
                 error_fields: set[str] | None = None, *,
                 columns: "tuple[list[str], list[list[Any]]] | None" = None, at: int = 0):
        self.row = row
        self._values = values  # or None: made from `columns` (names, their values) at position `at`
        self._columns = columns
        self._at = at
        self.source = source
        if issues is not None:
            self.issues = issues
        if unparsed is not None:
            self.unparsed = unparsed
        if error_fields is not None:
            self.error_fields = error_fields

    @property
    def values(self) -> dict[str, Any]:
        """canonical field → typed value (Decimal money, int counts, …)."""
        values = self._values
        if values is None:
            names, columns = self._columns or ((), ())
            at = self._at
            values = self._values = {name: column[at] for name, column in zip(names, columns)}
        return values

    @values.setter
    def values(self, values: dict[str, Any]) -> None:
        self._values = values

    def note_unparsed(self, issue: Issue, fields: Iterable[str]) -> None:
        self.issues = [*self.issues, issue]
        self.unparsed = {*self.unparsed, *fields}

    def note_error_fields(self, fields: Iterable[str]) -> None:
        self.error_fields = {*self.error_fields, *fields}

    def __repr__(self) -> str:
        return (f"ParsedRow(row={self.row!r}, values={self.values!r}, issues={list(self.issues)!r}, "
                f"unparsed={set(self.unparsed)!r}, error_fields={set(self.error_fields)!r})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ParsedRow):
            return NotImplemented
        return (self.row, self.values, list(self.issues), set(self.unparsed), set(self.error_fields)) == \
            (other.row, other.values, list(other.issues), set(other.unparsed), set(other.error_fields))

    __hash__ = None  # type: ignore[assignment]  (mutable, compared by value, as the dataclass was)

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


class ParsedRows(Sequence[ParsedRow]):
    """A table's parsed data rows, each made on first access: most rows are only ever read
    column-wise (`ParsedTable.fields`), and a table has thousands. `numbers` are their sheet
    rows; `noted()` the positions of the rows something was noted on while parsing."""

    def __init__(self, numbers: list[int], source: "_RowSource | None",
                 columns: tuple[list[str], list[list[Any]]]):
        self.numbers = numbers
        self._source = source
        self._columns = columns
        self._made: dict[int, ParsedRow] = {}

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, at):  # type: ignore[override]
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self.numbers)))]
        if at < 0:
            at += len(self.numbers)
        row = self._made.get(at)
        if row is None:
            if not 0 <= at < len(self.numbers):
                raise IndexError(at)
            row = self._made[at] = ParsedRow(self.numbers[at], None, self._source, columns=self._columns, at=at)
        return row

    def __iter__(self) -> Iterator[ParsedRow]:
        return map(self.__getitem__, range(len(self.numbers)))

    def noted(self) -> list[int]:
        """Positions, in order, of the rows made so far that carry an issue."""
        return sorted(at for at, row in self._made.items() if row.issues)


@dataclass
class ParsedTable:
    table: Table
    rows: Sequence[ParsedRow]  # ParsedRows from parse_table
    totals: list[tuple[ParsedRow, str]]  # (parsed total row, its label)
    # field → its value in each of `rows`, in order: what rows[i].values holds, column-wise
    fields: dict[str, list[Any]] = field(default_factory=dict, repr=False)

    @property
    def form(self) -> str:
        return self.table.form.name

    @property
    def row_numbers(self) -> list[int]:
        """The sheet row of each of `rows`, in order (without making the rows)."""
        rows = self.rows
        return rows.numbers if isinstance(rows, ParsedRows) else [r.row for r in rows]

    def noted_rows(self) -> list[int]:
        """Positions of the rows that carry an issue from parsing, in order."""
        rows = self.rows
        return rows.noted() if isinstance(rows, ParsedRows) else [at for at, r in enumerate(rows) if r.issues]

    def column(self, name: str) -> list[Any]:
        """The values of field `name` row by row; None on every row for a field the table lacks."""
        values = self.fields.get(name)
        return values if values is not None else [None] * len(self.rows)


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

    def columns(self, rows: list[int]) -> Callable[[int], list[Any]]:
        """column(c, rows) for any c, with the rows looked up once for all columns."""
        if self.origins:
            return lambda c: self.column(c, rows)
        grid, n = self.rows, len(self.rows)
        picked = [grid[r - 1] if r <= n else () for r in rows]
        shortest = min(map(len, picked), default=0)

        def column(c: int) -> list[Any]:
            i = c - 1
            if i < shortest:  # every row reaches column c (the usual table)
                return [row[i] for row in picked]
            return [row[i] if i < len(row) else None for row in picked]
        return column


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
    fields: tuple[str, ...] = ()  # the keys, in order, of every dict the reader returns; () if none


def parse_table(table: Table) -> ParsedTable:
    source = _RowSource(table)
    plan = [_plan(table, col, source) for col in table.columns.values()]
    rows, fields = _parse_rows(table, source, plan, table.data_rows)
    total_rows, _ = _parse_rows(table, source, plan, [r for r, _ in table.total_rows])
    return ParsedTable(table, rows, list(zip(total_rows, (label for _, label in table.total_rows))), fields)


def _parse_rows(table: Table, source: _RowSource, plan: list[_Column],
                rows: list[int]) -> tuple[ParsedRows, dict[str, list[Any]]]:
    """Column by column: each mapped column is read in one pass; a row's values are made from
    the columns' values when it is first asked for (see `_row_values` for what they are)."""
    names: list[str] = []  # field after field, in the order `_row_values` sets them
    columns: list[list[Any]] = []  # the values of each of them, row by row
    # a regular row's values are `names` → its place in `columns`, made on first use
    parsed = ParsedRows(list(rows), source, (names, columns))
    mapped = table.columns
    read: list[tuple[_Column, list[Any], dict[int, pv.Unparseable]]] = []
    irregular: set[int] = set()  # rows whose fields are not `names` (a cell failed)
    cells_of = source.columns(rows)
    for column in plan:
        cells = cells_of(column.col)
        values, failed = column.read(cells, rows)
        if column.kind in _BOUNDED and (huge := _unstorable(column.kind, values)):
            failed = {**failed, **{i: _too_large(cells[i]) for i in huge}}
            for i in huge:
                values[i] = None
        read.append((column, values, failed))
        name = column.name
        if column.fields:
            for n in column.fields:
                if n == name or n not in mapped:
                    names.append(n)
                    columns.append([out[n] if type(out) is dict else None for out in values])
            irregular.update(i for i, out in enumerate(values) if type(out) is not dict)
        else:
            names.append(name)
            columns.append(values)
        irregular.update(failed)
        for i, exc in failed.items():
            p, r = parsed[i], rows[i]
            address = cell_address(r, column.col)
            raw = _raw_text(cells[i])
            p.note_unparsed(Issue(
                severity="error", rule="unparseable_value", form=table.form.name, sheet=table.sheet,
                cell=address, row=r, raw_value=raw,
                message=unparseable_message(address, raw, column.kind)), (name, *column.derived))
    # a regular row sets `names` one after the other, which is what `_row_values` does for it
    for i in irregular:
        # what `columns` holds for row i too: a failed cell is None there, as in _row_values
        parsed[i].values = _row_values(i, read, mapped)
    return parsed, dict(zip(names, columns))


def _row_values(i: int, read: list[tuple[_Column, list[Any], dict[int, Any]]], mapped) -> dict[str, Any]:
    """Field → value of row i, column after column: a column's value, or the fields of its dict
    value (a field with its own column keeps it: income_max_yuan from 收入上限); a cell that did
    not parse leaves its field and derived fields None."""
    values: dict[str, Any] = {}
    for column, outs, failed in read:
        out, name = outs[i], column.name
        if type(out) is dict:
            for n, v in out.items():
                if n == name or n not in mapped:
                    values[n] = v
        else:
            values[name] = out
        if i in failed:
            for n in (name, *column.derived):
                values.setdefault(n, None)
    return values


# --- one reader per field kind ---------------------------------------------------------------

_MEMO_TYPES = frozenset({str, float, type(None)})  # a str never equals a float: one dict holds both


# What a reader turns into an unparseable cell: the parser's refusal, or a number beyond what
# exact decimal arithmetic holds (a 30-digit amount in 万元 makes Decimal.quantize raise).
_UNREADABLE = (pv.Unparseable, ArithmeticError)


def _failure(exc: Exception, value: Any) -> pv.Unparseable:
    return exc if isinstance(exc, pv.Unparseable) else _too_large(value)


def _too_large(value: Any) -> pv.Unparseable:
    return pv.Unparseable(_raw_text(value), "number", "too large to be a value")


def _each(fn: Callable[[Any], Any]) -> ColumnReader:
    """Read every cell with fn. Text cells repeat (是/否, 12户, 合作社) and so do whole numbers:
    each distinct text or float of a column is read once."""
    def attempt(value: Any) -> Any:
        try:
            return fn(value)
        except _UNREADABLE as exc:
            return _failure(exc, value)

    def read(cells: list[Any], rows: list[int]) -> tuple[list[Any], dict[int, pv.Unparseable]]:
        if _MEMO_TYPES.issuperset(map(type, cells)):
            # (ints, bools, dates are left out: 1 == 1.0 == True would share one reading)
            read_once: dict[Any, Any] = {}
            any_failed = False
            for value in dict.fromkeys(cells):  # attempt(), inline
                try:
                    read_once[value] = fn(value)
                except _UNREADABLE as exc:
                    read_once[value] = _failure(exc, value)
                    any_failed = True
            out = list(map(read_once.__getitem__, cells))
            if not any_failed:
                return out, {}
        else:
            out = [attempt(value) for value in cells]
        failed = {i: v for i, v in enumerate(out) if isinstance(v, pv.Unparseable)}
        for i in failed:
            out[i] = None
        return out, failed
    return read


def _counts(unit: str | None) -> ColumnReader:
    """A count column: a column of whole numbers (the common case, typed as numbers in the
    sheet) is read in one go; any other column cell by cell."""
    each = _each(lambda v: pv.parse_count(v, unit))

    def read(cells: list[Any], rows: list[int]) -> tuple[list[Any], dict[int, pv.Unparseable]]:
        whole = pv.whole_counts(cells, unit)
        if whole is None:
            return each(cells, rows)
        values, rest = whole
        return _read_rest(each, cells, rows, values, rest)  # ('42人', '三百', …)
    return read


def _read_rest(each: ColumnReader, cells: list[Any], rows: list[int], values: list[Any],
               rest: list[int]) -> tuple[list[Any], dict[int, pv.Unparseable]]:
    """A column whose cells were read in one pass except those at `rest`: those read by `each`
    (each distinct one once), with their failures at their positions in the column."""
    if not rest:
        return values, {}
    read_rest, failed = each([cells[i] for i in rest], [rows[i] for i in rest])
    for i, value in zip(rest, read_rest):
        values[i] = value
    return values, {rest[j]: exc for j, exc in failed.items()}


def _each_with(fn: Callable[[Any, Any], Any], context: Callable[[list[Any], list[int]], list[Any]]) -> ColumnReader:
    """Read every cell with fn(cell, its context): what its reading depends on beyond the cell
    itself (its row's 单位 cell, its number format), `context(cells, rows)` for the column.
    The pairs repeat (35 | 吨): each distinct pair of memo keys (`_memo_key`) is read once, and
    its rows share the reading."""
    def attempt(value: Any, extra: Any) -> Any:
        try:
            return fn(value, extra)
        except _UNREADABLE as exc:
            return _failure(exc, value)

    def read(cells: list[Any], rows: list[int]) -> tuple[list[Any], dict[int, pv.Unparseable]]:
        memo: dict[tuple[Any, Any], Any] = {}
        out: list[Any] = []
        failed: dict[int, pv.Unparseable] = {}
        for i, pair in enumerate(zip(cells, context(cells, rows))):
            if _memo_key(pair[0]) and _memo_key(pair[1]):
                got = memo[pair] if pair in memo else memo.setdefault(pair, attempt(*pair))
            else:
                got = attempt(*pair)
            if isinstance(got, pv.Unparseable):
                failed[i] = got
                got = None
            out.append(got)
        return out, failed
    return read


def _memo_key(value: Any) -> bool:
    """A cell a memo may key on where each cell reads as its own (not through _each): text,
    empty, or a float other than zero (0.0 and -0.0 are equal keys, and may read differently:
    Decimal('0') and Decimal('-0'))."""
    kind = type(value)
    return kind is str or value is None or (kind is float and value != 0)


# What the warehouse can store: counts and years are BIGINT, money DECIMAL(18,2). A cell
# beyond that is no real value either (a county has no 10^16 yuan): unparseable, not a crash.
_BOUNDED = {"count": (int, 2 ** 63), "year": (int, 2 ** 63), "money": (Decimal, Decimal(10) ** 16)}


def _unstorable(kind: str, values: list[Any]) -> list[int]:
    """Positions of values of a count, year or money column that the warehouse cannot hold."""
    bounded, limit = _BOUNDED[kind]  # |value| < limit

    def huge(v: Any) -> bool:
        if type(v) is dict:
            return any(type(x) is bounded and abs(x) >= limit for x in v.values())
        return type(v) is bounded and (v >= limit or v <= -limit)

    try:
        # values repeat: their distinct ones, and of those only the extremes (C loops, no call
        # per value). A NaN never passes this test, so it can only send a column the long way.
        try:
            distinct = set(values)
        except TypeError:  # dicts (a band, an amount and its qualifier): the numbers they hold
            distinct = {x for v in values if type(v) is dict for x in v.values() if type(x) is bounded}
            distinct.update(v for v in values if type(v) is not dict)
        distinct.discard(None)
        if not distinct or (max(distinct) < limit and min(distinct) > -limit):
            return []
    except (TypeError, ArithmeticError):  # text does not order with numbers
        pass
    return [i for i, v in enumerate(values) if huge(v)]


def _plan(table: Table, col: ColumnMap, source: _RowSource) -> _Column:
    spec = table.form.field(col.field)
    kind = spec.kind
    unit = col.unit
    if kind in ("text", "unit"):
        read = _each(pv.parse_text)
    elif kind == "count":
        read = _counts(unit)
    elif kind == "number":
        read = _each(lambda v: pv.parse_number(v, unit))
    elif kind == "area_mu":
        read = _each(lambda v: pv.parse_area_mu(v, unit))
    elif kind == "bool":
        read = _each(pv.parse_bool)
    elif kind == "year":
        read = _each(pv.parse_year)
    elif kind == "money":
        read, fields = _money_reader(table, col, spec)
        return _Column(col.field, col.col, kind, spec.derived, read, fields)
    elif kind == "quantity":
        read = _quantity_reader(table, col, source)
        return _Column(col.field, col.col, kind, spec.derived, read, _QUANTITY_FIELDS)
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
    column = col.col
    return _each_with(lambda v, number_format: pv.parse_percent(v, number_format, unit),
                      lambda cells, rows: ["0.00%" if (r, column) in percent_cells else None for r in rows])


def _money_reader(table: Table, col: ColumnMap, spec) -> tuple[ColumnReader, tuple[str, ...]]:
    """The column reader of a money column, and the keys of the dicts it returns (() if it
    returns amounts). The common cell reads as `pv.simple_money`'s (amount, qualifier): the
    Money parse_money would give is Money(amount, amount, qualifier ∈ {None, 'approx'}), so its
    min_yuan, max_yuan and point are all the amount (and it is no band). A number cell's
    qualifier is None: the column's numbers are read in one go (`pv.money_floats`), each
    amount made into the column's value by `pack`."""
    cell_reader, fields, pack = _money_cell_reader(table, col, spec)
    unit = _money_unit(table, col)
    each = _each(cell_reader)

    def read(cells: list[Any], rows: list[int]) -> tuple[list[Any], dict[int, pv.Unparseable]]:
        # (equal cells share one reading exactly when _each would share it)
        floats = pv.money_floats(cells, unit, once=_MEMO_TYPES.issuperset(map(type, cells)))
        if floats is None:
            return each(cells, rows)
        values, rest = floats
        if pack is not None:
            # one value per amount object: money_floats gives equal cells one object exactly
            # when _each shares one reading among them
            packed: dict[int, Any] = {}
            values = [None if a is None else (packed.get(id(a)) or packed.setdefault(id(a), pack(a)))
                      for a in values]
        return _read_rest(each, cells, rows, values, rest)
    return read, fields


def _money_unit(table: Table, col: ColumnMap) -> str | None:
    # a 单位 line applies to money columns only (带动户数 is not 万户), and only a money unit
    return col.unit or next((u for u in table.unit_line if u.endswith("元")), None)


def _money_cell_reader(table: Table, col: ColumnMap, spec) -> tuple[Callable[[Any], Any], tuple[str, ...],
                                                                      Callable[[Decimal], Any] | None]:
    """The cell reader of a money column, the keys of the dicts it returns, and how an amount
    read from a number cell becomes its value (None: the amount itself)."""
    unit = _money_unit(table, col)
    simple = pv.simple_money
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
            if (fast := simple(v, unit)) is not None:
                return {name: fast[0], upper: fast[0]}
            m = money(v)
            return {name: None, upper: None} if m is None else {name: m.min_yuan, upper: m.max_yuan}
        return band, (name, upper), lambda a: {name: a, upper: a}
    if name.endswith("max_yuan"):
        def upper_end(v):
            if (fast := simple(v, unit)) is not None:
                return fast[0]
            m = money(v)
            return None if m is None else (m.max_yuan if m.max_yuan is not None else m.point)
        return upper_end, (), None
    if spec.derived:  # amount + its qualifier
        qualifier = spec.derived[0]

        def qualified(v):
            if (fast := simple(v, unit)) is not None:
                return {name: fast[0], qualifier: fast[1]}
            m = money(v)
            return {name: None, qualifier: None} if m is None else {name: m.point, qualifier: m.qualifier}
        return qualified, (name, qualifier), lambda a: {name: a, qualifier: None}

    def point(v):
        if (fast := simple(v, unit)) is not None:
            return fast[0]
        return None if (m := money(v)) is None else m.point
    return point, (), None


_QUANTITY_FIELDS = ("quantity", "unit", "quantity_kg")  # the keys of every dict _quantity_reader returns


def _quantity_reader(table: Table, col: ColumnMap, source: _RowSource) -> ColumnReader:
    """A quantity cell reads in the unit of its row's 单位 cell (else the header's); rows with
    the same pair share the (read-only) dict."""
    unit_column = table.columns.get("unit")
    header_unit = col.unit

    def one(value: Any, unit_cell: Any) -> dict[str, Any]:
        unit_text = pv.parse_text(unit_cell) if unit_cell is not None else None
        q = pv.parse_quantity(value, unit_text if unit_column else header_unit)
        if q is None:
            return {"quantity": None, "unit": unit_text, "quantity_kg": None}
        return {"quantity": q.value, "unit": q.unit, "quantity_kg": q.kg}

    def unit_cells(cells: list[Any], rows: list[int]) -> list[Any]:
        return source.column(unit_column.col, rows) if unit_column else [None] * len(cells)
    return _each_with(one, unit_cells)


