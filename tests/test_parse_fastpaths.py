"""parse_table's fast paths give exactly what the full path gives.

The common count and money cells ('42', '42人', '1,042户', 42.0; '12.5万元', '1,234元', 12.5) are
read without the phrase grammar (values.parse_count, values.simple_money and the money readers of
intake.parse), text cells that miss the fast path are remembered once read, and parse_table
builds each row's values in one go. With `values._FAST_PATH` off every cell takes the full
grammar; `_each_reference` and `_parse_rows_reference` below are the column reader and the row
spreading as they were before. Cells here are compared value and type (repr, so Decimal('1.50')
vs Decimal('1.5'), -0 vs 0 and 1 vs 1.0 count as differences) and Unparseable for Unparseable
(raw, kind, reason, message), and whole parse_table outputs row by row.
"""

from __future__ import annotations

import copy
import itertools
import random
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipelines.demo import synthesize
from pipelines.demo.synth import default_counties
from pipelines.intake import parse as P
from pipelines.intake.locate import locate_tables
from pipelines.intake.read import cell_address, read_grids, sniff_type
from pipelines.limits import Limits
from pipelines.model import Issue
from pipelines.parsing import values as V
from tests.conftest import fast_path
from pipelines.validate.catalogue import unparseable_message

HEADER_UNITS = [None, "元", "万元", "千元", "亿元", "人", "户", "万人", "万户", "", "个", "百万元", "亩"]


def clear_caches():
    for cache in (V._SIMPLE_TAILS, V._FULL_READS, V._HEADER_FACTORS, V._WHOLE_COUNT_TAILS, V._MONEY_TAILS):
        cache.clear()


def outcome(fn, *args):
    try:
        value = fn(*args)
    except V.Unparseable as exc:
        return ("unparseable", exc.raw, exc.kind, exc.reason, str(exc))
    except Exception as exc:  # noqa: BLE001 — any other failure must be the same failure too
        return ("error", type(exc).__name__, str(exc))
    return ("ok", type(value).__name__, repr(value))


def money_readers(unit: str | None) -> dict[str, Any]:
    """The four money cell readers of intake.parse, for a header unit (or a 单位 line)."""
    def reader(field: str, derived: tuple[str, ...], unit_line: tuple[str, ...] = ()):
        table = SimpleNamespace(unit_line=unit_line)
        return P._money_cell_reader(table, SimpleNamespace(field=field, unit=unit), SimpleNamespace(derived=derived))[0]
    return {
        "point": reader("investment_yuan", ()),
        "qualified": reader("amount_yuan", ("amount_qualifier",)),
        "band": reader("income_min_yuan", ("income_max_yuan",)),
        "upper": reader("income_max_yuan", ()),
        "unit line": reader("sales_yuan", (), ("个", "万元")),  # 万元 from the 单位 line when unit is None
    }


def readings(cell: Any) -> list[tuple]:
    """Everything the fast paths touch, for one cell under every header unit."""
    out = []
    for unit in HEADER_UNITS:
        out.append(("count", unit, outcome(V.parse_count, cell, unit)))
        out.append(("money", unit, outcome(V.parse_money, cell, unit)))
        for name, read in money_readers(unit).items():
            out.append((name, unit, outcome(read, cell)))
    return out


def assert_same(cell: Any):
    with fast_path(False):
        full = readings(cell)
    with fast_path(True):
        fast = readings(cell)
        warm = readings(cell)  # tail caches and remembered readings hit this time
    assert fast == full, cell
    assert warm == full, cell


def assert_simple_money_is_parse_money(cell: Any):
    """simple_money's (amount, qualifier) is the point Money the full grammar reads, if any."""
    for unit in HEADER_UNITS:
        with fast_path(True):
            simple = outcome(V.simple_money, cell, unit)
        if simple == ("ok", "NoneType", "None"):
            continue
        with fast_path(False):
            full = outcome(V.parse_money, cell, unit)
        if simple[0] == "error":  # too many digits to take to the fen: the full path fails alike
            assert simple == full, (cell, unit)
            continue
        with fast_path(True):
            amount, qualifier = V.simple_money(cell, unit)
        with fast_path(False):
            money = V.parse_money(cell, unit)
        assert qualifier in (None, "approx"), cell
        got = (repr(money.min_yuan), repr(money.max_yuan), money.qualifier)
        assert got == (repr(amount), repr(amount), qualifier), (cell, unit)


# --- generated cells: the common shapes and near misses of them ----------------------------------

_NUMBERS = [
    "0", "7", "42", "007", "1,042", "12,345,678", "1,04", "1042,5", "42.0", "42.50", "12.5", ".5", "5.",
    "4e5", "1e20", "1E-2", "４２", "４2", "12．5", "１２．５", "1,234.5", "0.005", "2.675", "0.125", "1.005",
    "9" * 17, "9" * 18, "9" * 19, "1" + "0" * 27, "9" * 28, "9" * 29, "1" * 40, "9007199254740993",
    "1,000,000,000,000,000,000", "三百二十二", "十三", "一万二", "两", "1 042", "1\u3000042", "4 2",
]
_TAILS = [
    "", "人", "户", "个", "部", "人次", "万", "万人", "千人", "千户", "亿", "百", "元", "万元", "千元", "亿元",
    "百万元", "块", "圆", "余人", "多户", "人以上", "以上", "以下", "左右", "整", "万元整", " 人", "人 ", "（户）",
    "(户)", "%", "‰", "RMB", "每RMB", "人民币", "元/人", "元每人", "kg", "斤", "亩", "及以上", "至50", "-50人",
    "万余元", "万多", "万万", "楼", "e5", "abc",
]
_PREFIXES = ["约", "+", "-", "−", "负", "近", "约-", "约+", " ", "\u3000", "约 ", "¥", "RMB", "--", "超过", "(", "－"]
_SOME_NUMBERS = ["0", "42", "1,042", "12.5", "9" * 19, "４２", "12．5", ".5", "1e20"]
_SOME_TAILS = ["", "人", "户", "万人", "元", "万元", "亿元", "余人", "左右", "(户)", " "]

CELLS = sorted({n + t for n, t in itertools.product(_NUMBERS, _TAILS)}
               | {p + n + t for p, n, t in itertools.product(_PREFIXES, _SOME_NUMBERS, _SOME_TAILS)})

FLOATS = [
    0.0, -0.0, 1.0, 42.0, -42.0, 12.5, -12.5, 0.125, 0.005, 0.015, 1.005, 2.675, 0.1 + 0.2, 1e-10, 5e-324,
    123456789.125, 9999999999.995, 1e15 + 0.5, 1e20, -1e20, 1e22, 1e23, 1e300, 1.7976931348623157e308,
    2.0 ** 53 - 1, 2.0 ** 53, 2.0 ** 53 + 2, -(2.0 ** 53), 2.0 ** 63, float("nan"), float("inf"), float("-inf"),
]
OTHER_CELLS = [None, "", " ", "-", "—", "无", "/", "#REF!", "#DIV/0!", True, False, 42, -7, 10 ** 30,
               Decimal("42"), Decimal("12.50"), Decimal("NaN"), Decimal("-0")]


@pytest.mark.parametrize("chunk", range(8))
def test_generated_cells_read_the_same(chunk):
    for cell in CELLS[chunk::8]:
        assert_same(cell)
        assert_simple_money_is_parse_money(cell)


@pytest.mark.parametrize("cell", FLOATS + OTHER_CELLS, ids=repr)
def test_numeric_and_other_cells_read_the_same(cell):
    assert_same(cell)
    assert_simple_money_is_parse_money(cell)


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.text(alphabet="0123456789,.+-约近万亿千百元人户个%余多以上 \u3000１２．一二十RMB每(）e", max_size=10),
    st.floats(), st.integers(-10 ** 6, 10 ** 6).map(float),
    st.builds(lambda a, b: a + b, st.integers(0, 10 ** 20).map(str), st.sampled_from(_TAILS)),
))
@example("12.5万元")
@example("约-0万元")
def test_any_short_cell_reads_the_same(cell):
    assert_same(cell)
    assert_simple_money_is_parse_money(cell)


# --- the dominant shapes do take the fast paths ---------------------------------------------------

def _refuse(*args):
    raise AssertionError("took the full path")


@pytest.mark.parametrize("cell, unit, expected", [
    ("42", None, 42), ("42", "人", 42), ("42人", None, 42), ("42户", "万户", 42), ("1,042人", "人", 1042),
    ("约42人", None, 42), ("-3", None, -3), (42.0, "人", 42), ("0", "户", 0),
])
def test_common_count_cells_skip_the_grammar(cell, unit, expected, monkeypatch):
    V.parse_count(cell, unit)  # warms the caches
    monkeypatch.setattr(V, "_read_phrase", _refuse)
    monkeypatch.setattr(V, "is_missing", _refuse)
    got = V.parse_count(cell, unit)
    assert (type(got), got) == (int, expected)


@pytest.mark.parametrize("cell, unit, expected", [
    ("12.5万元", "元", (Decimal("125000.00"), None)), ("12.5万", "万元", (Decimal("125000.00"), None)),
    ("1,234元", "万元", (Decimal("1234.00"), None)), ("1,234.5", "元", (Decimal("1234.50"), None)),
    ("1,234.5", "万元", (Decimal("12345000.00"), None)), ("3.2亿元", None, (Decimal("320000000.00"), None)),
    ("约750万", None, (Decimal("7500000.00"), "approx")), (12.5, "万元", (Decimal("125000.00"), None)),
    (0.005, None, (Decimal("0.01"), None)),
])
def test_common_money_cells_skip_the_grammar(cell, unit, expected, monkeypatch):
    V.simple_money(cell, unit)  # warms the caches
    monkeypatch.setattr(V, "_read_phrase", _refuse)
    assert V.simple_money(cell, unit) == expected


@pytest.mark.parametrize("cell", ["12．5万元", "42人以上", "5万元至10万元不等", "三百二十二", "42 人", float("nan"),
                                  float("inf"), "９９", "1e5", None, 42])
def test_other_cells_are_left_to_the_full_path(cell):
    assert V.simple_money(cell, "万元") is None
    if isinstance(cell, str):
        assert V._simple_count(cell, None) is None


# --- whole tables ---------------------------------------------------------------------------------

def _each_reference(fn):
    """intake.parse._each before it read cells inline."""
    def attempt(value: Any) -> Any:
        try:
            return fn(value)
        except V.Unparseable as exc:
            return exc

    def read(cells, rows):
        if P._MEMO_TYPES.issuperset(map(type, cells)):
            read_once = {value: attempt(value) for value in dict.fromkeys(cells)}
            out = [read_once[value] for value in cells]
            if not any(isinstance(v, V.Unparseable) for v in read_once.values()):
                return out, {}
        else:
            out = [attempt(value) for value in cells]
        failed = {i: v for i, v in enumerate(out) if isinstance(v, V.Unparseable)}
        for i in failed:
            out[i] = None
        return out, failed
    return read


def _parse_rows_reference(table, source, plan, rows):
    """intake.parse._parse_rows before it built each row's values in one go."""
    parsed = [P.ParsedRow(r, {}, source, issues=[], unparsed=set()) for r in rows]
    mapped = table.columns
    for column in plan:
        cells = source.column(column.col, rows)
        values, failed = column.read(cells, rows)
        name = column.name
        for p, out in zip(parsed, values):
            if type(out) is dict:
                for n, v in out.items():
                    if n == name or n not in mapped:
                        p.values[n] = v
            else:
                p.values[name] = out
        for i, exc in failed.items():
            p, r = parsed[i], rows[i]
            address = cell_address(r, column.col)
            raw = P._raw_text(cells[i])
            p.unparsed.add(name)
            p.unparsed.update(column.derived)
            p.issues.append(Issue(
                severity="error", rule="unparseable_value", form=table.form.name, sheet=table.sheet,
                cell=address, row=r, raw_value=raw,
                message=unparseable_message(address, raw, column.kind)))
            for n in (name, *column.derived):
                p.values.setdefault(n, None)
    # (the fields column-wise, as intake.parse returns them with the rows; snapshot compares rows)
    return parsed, {k: [p.values.get(k) for p in parsed] for k in (parsed[0].values if parsed else ())}


def _row(p: P.ParsedRow) -> tuple:
    return (p.row, [(k, type(v).__name__, repr(v)) for k, v in p.values.items()], [repr(i) for i in p.issues],
            sorted(p.unparsed))


def snapshot(tables) -> list:
    out = []
    for t in tables:
        parsed = P.parse_table(t)
        out.append(([_row(p) for p in parsed.rows], [(_row(p), label) for p, label in parsed.totals]))
    return out


def assert_tables_parse_the_same(tables, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(V, "_FAST_PATH", False)
        m.setattr(P, "_each", _each_reference)
        m.setattr(P, "_parse_rows", _parse_rows_reference)
        reference = snapshot(tables)
    clear_caches()
    assert snapshot(tables) == reference  # cold caches
    assert snapshot(tables) == reference  # warm


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("fastpaths") / "inbox"
    return [m.path for m in synthesize(root, counties=default_counties(6), periods=["2018-07", "2018-08"],
                                       rows_per_form=40, outlier_county=default_counties(6)[1])]


def load_tables(paths) -> list:
    limits = Limits()
    return [t for path in paths
            for g in read_grids(path, sniff_type(path, limits), limits) for t in locate_tables(g)]


def test_synthesized_workbooks_parse_the_same(inbox, monkeypatch):
    tables = load_tables(inbox)
    assert {t.form.name for t in tables} >= {"fund", "sales", "collective"}
    assert_tables_parse_the_same(tables, monkeypatch)


# (not the 20-digit ones: 1E+32 yuan does not quantize to the fen, nor 1E+28 斤 to a whole
# number, and that stops the parse, fast path or not — test_generated_cells_read_the_same
# compares those failures cell by cell)
_RESPELLINGS = [
    *(c for c in CELLS if sum(ch.isdigit() for ch in c) < 16 and not {"e", "E"} & set(c)),
    *(f for f in FLOATS if not abs(f) > 1e12),
    None, "", "-", "无", "#REF!", "5万元至10万元不等", "300余人", "不足5万元", "5万元以上", "2-10万元", "十万元", "三百户",
    "abc", "42 户",
]


def test_respelled_workbooks_parse_the_same(inbox, monkeypatch):
    """The same workbooks with a third of the number cells (totals too) re-spelled, many of
    them unreadable: failures, band and qualifier columns and their derived fields."""
    rng = random.Random(20180807)
    tables = copy.deepcopy(load_tables(inbox))
    for t in tables:
        for c in t.columns.values():
            if t.form.field(c.field).kind in ("text", "unit", "bool", "date"):
                continue
            for r in [*t.data_rows, *(r for r, _ in t.total_rows)]:
                if rng.random() < 0.35:
                    row = t.grid.rows[r - 1]
                    row.extend([None] * (c.col - len(row)))
                    row[c.col - 1] = rng.choice(_RESPELLINGS)
    assert_tables_parse_the_same(tables, monkeypatch)


def test_ragged_rows_and_merges_read_the_same_cells(inbox):
    """_RowSource.columns(rows)(c) is column(c, rows): short rows, rows past the sheet, merges."""
    for t in load_tables(inbox)[:6]:
        source = P._RowSource(t)
        rows = [*t.data_rows, len(source.rows) + 3]
        source.rows[rows[0] - 1] = source.rows[rows[0] - 1][:2]
        columns = source.columns(rows)
        for c in range(1, max(len(r) for r in source.rows) + 3):
            assert columns(c) == source.column(c, rows)
        source.origins[(rows[1], 1)] = (rows[0], 1)
        assert source.columns(rows)(1) == source.column(1, rows)


# --- text -----------------------------------------------------------------------------------------

def test_the_translated_characters_are_exactly_the_translation_keys():
    """parse_text skips translate/strip for a text with none of them: that is only right if the
    class holds every key of the translation, nothing else, and every character strip removes."""
    keys = set(V._TRANSLATION)
    found = {cp for cp in range(0x110000) if V._TRANSLATED_RE.match(chr(cp))}
    assert found == keys
    assert {cp for cp in range(0x110000) if chr(cp).isspace()} <= keys


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\n\x1c\x85\u3000\u00a0\u2028\u200b\ufeff-—/\\无ＡＢ１合作社a1."))
               | st.characters(), max_size=8))
@example("家庭农场")
@example("")
def test_parse_text_reads_what_normalize_text_reads(text):
    expected = V.normalize_text(text)
    expected = None if expected == "" or V._MISSING_RE.fullmatch(expected) else expected
    assert V.parse_text(text) == expected


def _cell_by_cell(fn):
    """intake.parse._each_at, the reader of quantity and percent columns before they read each
    distinct (cell, context) once: fn(value, row) for every cell."""
    def read(cells: list[Any], rows: list[int]) -> tuple[list[Any], dict[int, V.Unparseable]]:
        out: list[Any] = []
        failed: dict[int, V.Unparseable] = {}
        for i, (value, r) in enumerate(zip(cells, rows)):
            try:
                out.append(fn(value, r))
            except P._UNREADABLE as exc:
                failed[i] = P._failure(exc, value)
                out.append(None)
        return out, failed
    return read


def _quantity_reader_reference(table, col, source):
    """intake.parse._quantity_reader before it read each distinct (cell, unit cell) pair once:
    a per-cell reader for _cell_by_cell."""
    unit_column = table.columns.get("unit")

    def read(value, r):
        unit_cell = source.cell(r, unit_column.col) if unit_column else None
        unit_text = V.parse_text(unit_cell) if unit_cell is not None else None
        q = V.parse_quantity(value, unit_text if unit_column else col.unit)
        if q is None:
            return {"quantity": None, "unit": unit_text, "quantity_kg": None}
        return {"quantity": q.value, "unit": q.unit, "quantity_kg": q.kg}
    return read


def test_quantity_columns_read_as_cell_by_cell(inbox):
    """Sales quantities, their unit cells re-spelled and shuffled: the memoised column reader
    gives each row what reading its cell and unit cell alone gives, failures included."""
    rng = random.Random(5)
    units = [None, "", "吨", "斤", "公斤", "千克", "kg", "箱", "头", 5.0, "万斤"]
    tables = [t for t in copy.deepcopy(load_tables(inbox)) if t.form.name == "sales"]
    assert tables
    checked = failures = 0
    for t in tables:
        col = next(c for c in t.columns.values() if t.form.field(c.field).kind == "quantity")
        unit = t.columns.get("unit")
        for r in t.data_rows:
            row = t.grid.rows[r - 1]
            row.extend([None] * (max(col.col, unit.col if unit else 0) - len(row)))
            if rng.random() < 0.3:
                row[col.col - 1] = rng.choice(_RESPELLINGS + ["35吨", "1,200斤", "约3吨", 12.5, 12, 0.0, -0.0])
            if unit and rng.random() < 0.3:
                row[unit.col - 1] = rng.choice(units)
        for r, zero in zip(t.data_rows[:2], (0.0, -0.0)):  # equal keys that read differently
            t.grid.rows[r - 1][col.col - 1] = zero
            if unit:
                t.grid.rows[r - 1][unit.col - 1] = "吨"
        source = P._RowSource(t)
        rows = list(t.data_rows)
        cells = source.column(col.col, rows)
        got = P._quantity_reader(t, col, source)(cells, rows)
        want = _cell_by_cell(_quantity_reader_reference(t, col, source))(cells, rows)
        assert repr(got[0]) == repr(want[0])  # (repr: Decimal('-0') == Decimal('0'))
        assert {i: str(e) for i, e in got[1].items()} == {i: str(e) for i, e in want[1].items()}
        checked += len(rows)
        failures += len(want[1])
    assert checked > 100 and failures > 0


_COUNT_CELLS = st.one_of(
    st.floats(min_value=-1e6, max_value=1e6).map(float.__round__).map(float),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([2.0 ** 53, -(2.0 ** 53), 2.0 ** 53 - 1, 1e300, -0.0, 0.5]),
    st.sampled_from(["42", "42人", None, 7, True]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_COUNT_CELLS, max_size=8), st.sampled_from([None, "人", "户", "万人", "个", "千户"]))
def test_whole_count_columns_read_as_cell_by_cell(cells, unit):
    """The whole floats of a count column, read in one go, are what parse_count gives for
    each; the positions left are exactly the other cells."""
    whole = V.whole_counts(cells, unit)
    if unit in ("万人", "千户"):
        assert whole is None
        return
    values, rest = whole
    assert len(values) == len(cells)
    for i, c in enumerate(cells):
        if i in rest:
            assert values[i] is None
            assert not (type(c) is float and c.is_integer() and abs(c) < 2.0 ** 53)
        else:
            assert type(values[i]) is int and values[i] == V.parse_count(c, unit)
    with fast_path(False):
        assert V.whole_counts(cells, unit) is None


def test_parsed_rows_are_made_once_on_first_access(inbox):
    """ParsedRows: a sequence of the table's rows, each made when first asked for and then the
    same object; noted() names the rows a parse failure was noted on, in order."""
    tables = copy.deepcopy(load_tables(inbox))
    t = next(t for t in tables if len(t.data_rows) > 5 and any(
        t.form.field(c.field).kind == "count" for c in t.columns.values()))
    col = next(c for c in t.columns.values() if t.form.field(c.field).kind == "count")
    for r in t.data_rows[1::3]:
        t.grid.rows[r - 1][col.col - 1] = "三百余人"  # unparseable
    parsed = P.parse_table(t)
    rows = parsed.rows
    assert isinstance(rows, P.ParsedRows) and len(rows) == len(t.data_rows)
    noted = parsed.noted_rows()
    assert noted == list(range(1, len(rows), 3))
    assert rows.numbers == parsed.row_numbers == list(t.data_rows)
    assert rows[-1] is rows[len(rows) - 1] and rows[0] is next(iter(rows))
    assert [r.row for r in rows[1:4]] == list(t.data_rows[1:4])
    with pytest.raises(IndexError):
        rows[len(rows)]
    for at, row in enumerate(rows):
        assert row.values == {name: column[at] for name, column in parsed.fields.items()}
        assert bool(row.issues) == (at in noted) and (col.field in row.unparsed) == (at in noted)


_MONEY_COLUMN_CELLS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.floats(min_value=-1e6, max_value=1e6),
    st.sampled_from([0.0, -0.0, 0.001, -0.001, 12.5, 0.005, 1e20, "12.5万元", "约750万", "2万元至10万元不等", None, "",
                     "abc", 7, True]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_MONEY_COLUMN_CELLS, max_size=10), st.sampled_from([None, "元", "万元", "千元"]),
       st.sampled_from(["point", "qualified", "band", "upper"]))
def test_money_columns_read_as_cell_by_cell(cells, unit, kind):
    """A money column's numbers, read in one go, give what its cell reader gives cell by cell
    (values, their types and exponents, and the failures)."""
    fields = {"point": ("investment_yuan", ()), "qualified": ("amount_yuan", ("amount_qualifier",)),
              "band": ("income_min_yuan", ("income_max_yuan",)), "upper": ("income_max_yuan", ())}[kind]
    args = (SimpleNamespace(unit_line=()), SimpleNamespace(field=fields[0], unit=unit), SimpleNamespace(derived=fields[1]))
    rows = list(range(5, 5 + len(cells)))
    got, got_failed = P._money_reader(*args)[0](list(cells), rows)
    want, want_failed = P._each(P._money_cell_reader(*args)[0])(list(cells), rows)
    assert repr(got) == repr(want)
    assert {i: str(e) for i, e in got_failed.items()} == {i: str(e) for i, e in want_failed.items()}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                                    st.sampled_from([0.2368, 0.2368, "23.68%", "12", None, "", "abc", 1, True,
                                                     "百分之五", 0.0, -0.0, 1e30])),
                          st.booleans()), max_size=10),
       st.sampled_from([None, "%", "‰"]))
def test_percent_columns_read_as_cell_by_cell(cells, unit):
    """A percent column with formatted cells reads each (cell, format) once; every row gets what
    reading its cell alone with its format gives, failures included."""
    rows = list(range(3, 3 + len(cells)))
    formatted = {(r, 2) for r, (_, pct) in zip(rows, cells) if pct}
    table = SimpleNamespace(grid=SimpleNamespace(percent_cells=formatted or {(999, 2)}))
    col = SimpleNamespace(col=2, unit=unit)
    values = [v for v, _ in cells]
    got, got_failed = P._percent_reader(table, col)(values, rows)
    want, want_failed = _cell_by_cell(
        lambda v, r: V.parse_percent(v, "0.00%" if (r, 2) in formatted else None, unit))(values, rows)
    assert repr(got) == repr(want)
    assert {i: str(e) for i, e in got_failed.items()} == {i: str(e) for i, e in want_failed.items()}
