"""Variant generator for robustness tests: corpus file + expected JSON → a re-spelled file + the
answer it must give.

The acceptance set that nobody sees is "built the same way with other header wordings, number
spellings, layouts, encodings and periods". This module rebuilds a visible corpus file from its
cells (openpyxl for .xlsx/.xlsm, calamine for .xls, the csv module for .csv) into a small model,
applies edits the way a county clerk (or a corpus builder) would, and writes a new .xlsx or .csv.
Every edit updates the expected answer the same way: rows shift when rows are inserted, cell
letters shift when columns are, values stay what the original expected JSON says unless the edit
changes them on purpose (e.g. "约1492万元" makes the qualifier `approx`).

Nothing here imports the product: the answer comes from the expected JSON only.
"""

from __future__ import annotations

import codecs
import copy
import csv
import datetime as dt
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(__import__("os").environ.get("COUNTY_RETURNS_CORPUS", REPO.parent / "shared" / "corpus"))


# --- A1 helpers --------------------------------------------------------------------------------

def col_letters(n: int) -> str:
    s = ""
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


def col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


_A1 = re.compile(r"^([A-Z]+)(\d+)$")


def split_a1(cell: str) -> tuple[int, int]:
    m = _A1.match(cell)
    assert m, cell
    return int(m.group(2)), col_number(m.group(1))


def norm(text: Any) -> str:
    if text is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


# --- the model ----------------------------------------------------------------------------------

@dataclass
class Sheet:
    name: str | None
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)  # (row, col) 1-based
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    percent: set[tuple[int, int]] = field(default_factory=set)  # cells formatted 0.00%
    hidden: bool = False

    @property
    def max_row(self) -> int:
        return max((r for r, _ in self.cells), default=0)

    @property
    def max_col(self) -> int:
        return max((c for _, c in self.cells), default=0)

    def get(self, r: int, c: int) -> Any:
        return self.cells.get((r, c))

    def set(self, r: int, c: int, value: Any) -> None:
        if value is None or value == "":
            self.cells.pop((r, c), None)
        else:
            self.cells[(r, c)] = value
        self.percent.discard((r, c))

    def row_values(self, r: int) -> list[Any]:
        return [self.get(r, c) for c in range(1, self.max_col + 1)]

    def find(self, pred: Callable[[str], bool], rows: range | None = None) -> tuple[int, int] | None:
        """First cell (row-major) whose normalised text satisfies pred."""
        for (r, c) in sorted(self.cells):
            if rows is not None and r not in rows:
                continue
            v = self.cells[(r, c)]
            if isinstance(v, str) and pred(norm(v)):
                return r, c
        return None


@dataclass
class Variant:
    """A workbook (or CSV) to write, and what check must report for it."""

    sheets: list[Sheet]
    expected: dict
    name: str  # file name to write (extension decides .xlsx / .csv)
    folder: str | None = None  # an inbox/<code>/<folder>/ sub-folder (a period folder)
    csv_options: dict = field(default_factory=dict)
    raw_bytes: bytes | None = None  # set by an edit that writes the file itself
    # "#REF!" / "#DIV/0!" as Excel stores a formula error (t="e"), not as text as the corpus does
    error_cells: bool = False

    @property
    def is_csv(self) -> bool:
        return self.name.lower().endswith(".csv")

    def sheet(self, name: str | None = None) -> Sheet:
        """The form sheet named `name`, or the only/first sheet that has expected rows."""
        if name is not None:
            return next(s for s in self.sheets if s.name == name)
        names = {x["sheet"] for x in self.expected["records"] + self.expected["quarantined"]}
        for s in self.sheets:
            if s.name in names:
                return s
        return self.sheets[0]

    def copy(self) -> "Variant":
        return copy.deepcopy(self)


# --- reading a corpus file -----------------------------------------------------------------------

def _decode(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def _read_csv(path: Path) -> list[Sheet]:
    text = _decode(path.read_bytes())
    header_like = max(text.splitlines()[:6], key=lambda line: max(line.count(d) for d in ",\t;"))
    delimiter = max(",\t;", key=header_like.count)
    sheet = Sheet(None)
    for r, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        for c, v in enumerate(row, start=1):
            if v != "":
                sheet.cells[(r, c)] = v
    return [sheet]


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)  # formulas → their cached values
    out = []
    for ws in wb.worksheets:
        sheet = Sheet(ws.title, hidden=ws.sheet_state != "visible")
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if v is None or (isinstance(v, str) and v == ""):
                    continue
                sheet.cells[(cell.row, cell.column)] = v
                if isinstance(v, (int, float)) and "%" in (cell.number_format or ""):
                    sheet.percent.add((cell.row, cell.column))
        sheet.merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
        out.append(sheet)
    return out


def _read_xls(path: Path) -> list[Sheet]:
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    out = []
    for meta in wb.sheets_metadata:
        ws = wb.get_sheet_by_name(meta.name)
        r0, c0 = ws.start or (0, 0)
        sheet = Sheet(meta.name, hidden=str(meta.visible) != "SheetVisibleEnum.Visible")
        for i, row in enumerate(ws.to_python(skip_empty_area=True)):
            for j, v in enumerate(row):
                if v is not None and v != "":
                    sheet.cells[(r0 + i + 1, c0 + j + 1)] = v
        sheet.merged = [(a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1) for a, b in (ws.merged_cell_ranges or [])]
        out.append(sheet)
    return out


def corpus_expected(rel: str) -> dict:
    return json.loads((CORPUS / "expected" / f"{rel}.json").read_text(encoding="utf-8"))


def load(rel: str) -> Variant:
    """A corpus file (path relative to inbox/) as a Variant that reproduces it."""
    path = CORPUS / "inbox" / rel
    suffix = path.suffix.lower()
    if suffix == ".csv":
        sheets = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        sheets = _read_xlsx(path)
    elif suffix == ".xls":
        sheets = _read_xls(path)
    else:
        raise ValueError(f"no variants of {rel}")
    parts = Path(rel).parts
    folder = parts[1] if len(parts) == 3 else None
    name = path.name if suffix != ".xls" else path.stem + ".xlsx"
    return Variant(sheets, copy.deepcopy(corpus_expected(rel)), name, folder)


# --- writing ---------------------------------------------------------------------------------------

def _csv_text(value: Any, percent: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dt.datetime, dt.date)):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float):
        if percent:
            return format(Decimal(repr(value)) * 100, "f").rstrip("0").rstrip(".") + "%"
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int) and percent:
        return f"{value * 100}%"
    return str(value)


def write(v: Variant, inbox: Path) -> Path:
    """Write the variant under inbox/<county>/[<folder>/]<name>; returns the path."""
    county = v.expected["county"]
    folder = inbox / county / v.folder if v.folder else inbox / county
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / v.name
    if v.raw_bytes is not None:
        path.write_bytes(v.raw_bytes)
    elif v.is_csv:
        path.write_bytes(_csv_bytes(v))
    else:
        _write_xlsx(v, path)
    v.expected["file"] = v.name
    return path


def _csv_bytes(v: Variant) -> bytes:
    sheet = v.sheet()
    opts = {"encoding": "utf-8", "delimiter": ",", "newline": "\r\n", "quote_all": False, "pad": True, **v.csv_options}
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=opts["delimiter"], lineterminator=opts["newline"],
                        quoting=csv.QUOTE_ALL if opts["quote_all"] else csv.QUOTE_MINIMAL)
    width = sheet.max_col
    for r in range(1, sheet.max_row + 1):
        row = [_csv_text(sheet.get(r, c), (r, c) in sheet.percent) for c in range(1, width + 1)]
        if not opts["pad"]:
            while row and row[-1] == "":
                row.pop()
        writer.writerow(row)
    text = buf.getvalue()
    enc = opts["encoding"]
    if enc == "utf-16":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode(enc)


def _write_xlsx(v: Variant, path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for i, s in enumerate(v.sheets):
        ws = wb.create_sheet(s.name or f"Sheet{i + 1}")
        for (r, c), value in sorted(s.cells.items()):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str) and cell.data_type == "e" and not v.error_cells:
                cell.data_type = "s"  # openpyxl guesses an error type for "#REF!"
            if (r, c) in s.percent:
                cell.number_format = "0.00%"
            elif isinstance(value, (dt.datetime, dt.date)):
                cell.number_format = "yyyy/m/d"
        for r0, c0, r1, c1 in s.merged:
            ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
        if s.hidden:
            ws.sheet_state = "hidden"
    if all(s.hidden for s in v.sheets):
        raise ValueError("a workbook needs a visible sheet")
    # the first visible sheet must be active, or Excel (and openpyxl) complain
    wb.active = next(i for i, s in enumerate(v.sheets) if not s.hidden)
    wb.save(path)


# --- expected-answer bookkeeping ------------------------------------------------------------------

def _expected_items(exp: dict):
    for key in ("records", "quarantined", "issues", "totals_rows"):
        for item in exp.get(key, []):
            yield key, item


def _move(exp: dict, sheet_name: str | None, row_map: Callable[[int], int], col_map: Callable[[int], int]) -> None:
    for key, item in _expected_items(exp):
        if item.get("sheet") != sheet_name or item.get("row") is None:
            continue
        item["row"] = row_map(item["row"])
        if key == "issues" and item.get("cell"):
            r, c = split_a1(item["cell"])
            item["cell"] = f"{col_letters(col_map(c))}{row_map(r)}"


# --- edits: layout --------------------------------------------------------------------------------

def insert_rows(v: Variant, sheet: Sheet, at: int, k: int = 1) -> None:
    """k empty rows before row `at` (rows at and below move down)."""
    sheet.cells = {((r + k if r >= at else r), c): x for (r, c), x in sheet.cells.items()}
    sheet.percent = {((r + k if r >= at else r), c) for (r, c) in sheet.percent}
    merged = []
    for r0, c0, r1, c1 in sheet.merged:
        if r0 >= at:
            merged.append((r0 + k, c0, r1 + k, c1))
        elif r1 >= at:
            merged.append((r0, c0, r1 + k, c1))  # the insertion is inside the range: it grows
        else:
            merged.append((r0, c0, r1, c1))
    sheet.merged = merged
    _move(v.expected, sheet.name, lambda r: r + k if r >= at else r, lambda c: c)


def insert_cols(v: Variant, sheet: Sheet, at: int, k: int = 1) -> None:
    """k empty columns before column `at`."""
    sheet.cells = {(r, (c + k if c >= at else c)): x for (r, c), x in sheet.cells.items()}
    sheet.percent = {(r, (c + k if c >= at else c)) for (r, c) in sheet.percent}
    merged = []
    for r0, c0, r1, c1 in sheet.merged:
        if c0 >= at:
            merged.append((r0, c0 + k, r1, c1 + k))
        elif c1 >= at:
            merged.append((r0, c0, r1, c1 + k))
        else:
            merged.append((r0, c0, r1, c1))
    sheet.merged = merged
    _move(v.expected, sheet.name, lambda r: r, lambda c: c + k if c >= at else c)


def header_row(sheet: Sheet, text: str) -> tuple[int, int]:
    """(row, col) of a header cell whose normalised text equals `text` (or starts with it)."""
    target = norm(text)
    hit = sheet.find(lambda s: s == target, rows=range(1, 15)) or \
        sheet.find(lambda s: s.startswith(target), rows=range(1, 15))
    if hit is None:
        raise KeyError(f"header {text!r} not found on sheet {sheet.name}")
    return hit


def rename_header(v: Variant, old: str, new: str, sheet: Sheet | None = None) -> None:
    sheet = sheet or v.sheet()
    r, c = header_row(sheet, old)
    sheet.set(r, c, new)


def data_rows(v: Variant, sheet: Sheet) -> list[int]:
    """Rows of records and quarantined rows on the sheet, in order."""
    return sorted({x["row"] for k in ("records", "quarantined") for x in v.expected[k] if x["sheet"] == sheet.name})


def records_of(v: Variant, sheet: Sheet) -> list[dict]:
    return sorted((x for x in v.expected["records"] if x["sheet"] == sheet.name), key=lambda x: x["row"])


def table_header_rows(v: Variant, sheet: Sheet) -> tuple[int, int]:
    """(first, last) rows of the header block, from the expected answer: last = the first non-blank
    row above the first data/total row; first = the top of a vertical merge that ends on `last`
    (a 2- or 3-row merged header), else last."""
    rows = data_rows(v, sheet) + [t["row"] for t in v.expected.get("totals_rows", []) if t["sheet"] == sheet.name]
    last = min(rows) - 1
    while last > 0 and all(sheet.get(last, c) in (None, "") for c in range(1, sheet.max_col + 1)):
        last -= 1
    first = min((r0 for r0, _, r1, _ in sheet.merged if r0 < last and r1 == last), default=last)
    return first, last


def first_note_row(v: Variant, sheet: Sheet) -> int | None:
    last = max(data_rows(v, sheet) + [t["row"] for t in v.expected.get("totals_rows", []) if t["sheet"] == sheet.name])
    for r in range(last + 1, sheet.max_row + 1):
        vals = [x for x in sheet.row_values(r) if x not in (None, "")]
        if vals:
            return r
    return None


def set_note(v: Variant, sheet: Sheet, texts: list[str]) -> None:
    """Replace the note block under the table with `texts` (one note per row, in column 1 of
    the table)."""
    start = first_note_row(v, sheet)
    if start is None:
        start = sheet.max_row + 2
    for r in range(start, sheet.max_row + 1):
        for c in range(1, sheet.max_col + 1):
            sheet.set(r, c, None)
    sheet.merged = [m for m in sheet.merged if m[0] < start]
    c0 = min(c for (_, c) in sheet.cells) if sheet.cells else 1
    for i, t in enumerate(texts):
        sheet.set(start + i, c0, t)


def add_note(v: Variant, sheet: Sheet, text: str, col_offset: int = 0) -> None:
    """One more line under everything on the sheet."""
    c0 = min(c for (_, c) in sheet.cells) + col_offset
    sheet.set(sheet.max_row + 1, c0, text)


# --- edits: values ---------------------------------------------------------------------------------

def cell_of(v: Variant, sheet: Sheet, header: str, row: int) -> tuple[int, int]:
    _, c = header_row(sheet, header)
    return row, c


def set_value(v: Variant, sheet: Sheet, header: str, row: int, value: Any, **new_values: Any) -> None:
    """Write `value` into the cell under `header` on `row`; the record's canonical values change by
    new_values (usually none: the same value respelled)."""
    r, c = cell_of(v, sheet, header, row)
    sheet.set(r, c, value)
    if new_values:
        rec = next(x for x in v.expected["records"] if x["row"] == row and x["sheet"] == sheet.name)
        rec["values"].update(new_values)


# --- edits: period and identity ---------------------------------------------------------------------

_PERIOD_CELL = re.compile(r"(报告期|统计时间|统计截止日期|统计截止)")


def period_cells(v: Variant) -> list[tuple[Sheet, int, int]]:
    out = []
    for s in v.sheets:
        for (r, c), x in sorted(s.cells.items()):
            if isinstance(x, str) and _PERIOD_CELL.search(norm(x)) and r < 6:
                out.append((s, r, c))
    return out


def set_period_cell(v: Variant, text: str, value_cell: Any = None, period: str | None = None) -> None:
    """Replace the period cell (and a date cell to its right) with `text` [+ value_cell]."""
    cells = period_cells(v)
    assert cells, "no period cell"
    s, r, c = cells[0]
    for cc in range(c + 1, c + 3):
        if isinstance(s.get(r, cc), (dt.date, dt.datetime)):
            s.set(r, cc, None)
    s.set(r, c, text)
    if value_cell is not None:
        s.set(r, c + 1, value_cell)
    if period is not None:
        v.expected["period"] = period


def drop_period_cells(v: Variant) -> None:
    for s, r, c in period_cells(v):
        s.set(r, c, None)
        for cc in range(c + 1, c + 3):
            if isinstance(s.get(r, cc), (dt.date, dt.datetime)):
                s.set(r, cc, None)


def rename_sheet(v: Variant, old: str | None, new: str) -> None:
    if v.is_csv:
        raise ValueError("a CSV has no sheet names")
    s = v.sheet(old) if old is not None else v.sheet()
    oldname = s.name
    s.name = new
    for _, item in _expected_items(v.expected):
        if item.get("sheet") == oldname:
            item["sheet"] = new


def to_csv(v: Variant, name: str | None = None, **opts: Any) -> None:
    """The form sheet alone as a CSV (sheet becomes null)."""
    s = v.sheet()
    s_name = s.name
    v.sheets = [s]
    for _, item in _expected_items(v.expected):
        if item.get("sheet") == s_name:
            item["sheet"] = None
    s.name = None
    v.name = name or (Path(v.name).stem + ".csv")
    v.csv_options = opts


def to_xlsx(v: Variant, sheet_name: str, name: str | None = None) -> None:
    s = v.sheets[0]
    s.name = sheet_name
    for _, item in _expected_items(v.expected):
        if "sheet" in item:
            item["sheet"] = sheet_name
    v.name = name or (Path(v.name).stem + ".xlsx")


# --- comparing ----------------------------------------------------------------------------------------

def _same(e: Any, g: Any) -> bool:
    if e is None:
        return g is None
    if isinstance(e, bool) or isinstance(g, bool):
        return e is g
    if isinstance(e, (int, float)):
        return isinstance(g, (int, float)) and (abs(e - g) <= 0.005 or abs(e - g) <= 1e-9 * abs(e))
    if isinstance(e, str):
        return isinstance(g, str) and g.strip() == e.strip()
    return e == g


def compare(expected: dict, got: dict, cells: bool = True) -> list[str]:
    """Differences between the expected answer and check's JSON, one line each (empty = same)."""
    diffs = []
    for key in ("status", "county_code", "period"):
        if key in ("county_code", "period") and expected["status"] == "rejected":
            continue
        if expected.get(key) != got.get(key):
            diffs.append(f"{key}: expected {expected.get(key)!r}, got {got.get(key)!r}")
    want = {(r["form"], r["row"]): r for r in expected["records"]}
    have = {(r["form"], r["row"]): r for r in got.get("records", [])}
    missing = sorted(set(want) - set(have))
    extra = sorted(set(have) - set(want))
    if missing:
        diffs.append(f"records missing: {missing[:8]}{'…' if len(missing) > 8 else ''}")
    if extra:
        diffs.append(f"records extra: {extra[:8]}{'…' if len(extra) > 8 else ''} "
                     f"e.g. {have[extra[0]]['values']}")
    shown = 0
    for key in sorted(set(want) & set(have)):
        for f, val in want[key]["values"].items():
            g = have[key]["values"].get(f)
            if not _same(val, g):
                if shown < 8:
                    diffs.append(f"value {key}.{f}: expected {val!r}, got {g!r}")
                shown += 1
        if want[key].get("sheet") != have[key].get("sheet") and shown < 8:
            diffs.append(f"sheet {key}: expected {want[key].get('sheet')!r}, got {have[key].get('sheet')!r}")
            shown += 1
    if shown > 8:
        diffs.append(f"… {shown - 8} more wrong values")
    wq = {(q["form"], q["row"]) for q in expected["quarantined"]}
    gq = {(q["form"], q["row"]) for q in got.get("quarantined", [])}
    if wq != gq:
        diffs.append(f"quarantined: missing {sorted(wq - gq)}, extra {sorted(gq - wq)}")

    def ikey(i):
        base = (i["rule"], i.get("form"), i.get("row"))
        return base + ((i.get("cell"),) if cells else ())
    wi = sorted(map(ikey, expected["issues"]), key=str)
    gi = sorted((ikey(i) for i in got.get("issues", []) if i["rule"] not in ("outlier", "yoy_change", "unit_conflict")), key=str)
    if expected["status"] == "rejected":
        wi = sorted(i["rule"] for i in expected["issues"])
        gi = sorted(i["rule"] for i in got.get("issues", []))
    if wi != gi:
        wl, gl = list(wi), list(gi)
        for x in wi:
            if x in gl:
                gl.remove(x)
                wl.remove(x)
        diffs.append(f"issues: missing {wl[:6]}, unexpected {gl[:6]}")
    wt = {(t["form"], t["row"]) for t in expected.get("totals_rows", [])}
    gt = {(t["form"], t["row"]) for t in got.get("totals_rows", [])}
    if wt != gt:
        diffs.append(f"totals rows: missing {sorted(wt - gt)}, extra {sorted(gt - wt)}")
    return diffs


# --- edits: table structure ---------------------------------------------------------------------------

def add_serial_column(v: Variant, sheet: Sheet, label: str = "序号") -> None:
    """A 序号 column in front of the table: 1, 2, 3… on every data row."""
    first, last = table_header_rows(v, sheet)
    c0 = min(c for (r, c) in sheet.cells if first <= r <= last)
    insert_cols(v, sheet, c0, 1)
    sheet.set(first, c0, label)
    if last > first:
        sheet.merged.append((first, c0, last, c0))
    for i, r in enumerate(data_rows(v, sheet), start=1):
        sheet.set(r, c0, i)


def _row_texts(sheet: Sheet, r: int) -> list[tuple[int, Any]]:
    return [(c, sheet.get(r, c)) for c in range(1, sheet.max_col + 1) if sheet.get(r, c) not in (None, "")]


def add_total_row(v: Variant, sheet: Sheet, at: int, label: str, label_col: int, sums: dict[int, Any],
                  form: str) -> None:
    """A 合计/小计 row before row `at`; `sums` maps column → the value to write."""
    insert_rows(v, sheet, at, 1)
    sheet.set(at, label_col, label)
    for c, x in sums.items():
        sheet.set(at, c, x)
    v.expected.setdefault("totals_rows", []).append({"form": form, "sheet": sheet.name, "row": at})


def group_header(v: Variant, sheet: Sheet, group: str, leaves: list[str]) -> None:
    """Turn a 1-row header into 2 rows: `group` merged over the columns `leaves`; every other
    header cell merged down over both rows."""
    first, last = table_header_rows(v, sheet)
    assert first == last, "already a multi-row header"
    cols = [header_row(sheet, leaf)[1] for leaf in leaves]
    insert_rows(v, sheet, first, 1)
    top, bottom = first, first + 1
    for c, x in _row_texts(sheet, bottom):
        if c not in cols:
            sheet.set(top, c, x)
            sheet.set(bottom, c, None)
            sheet.merged.append((top, c, bottom, c))
    sheet.set(top, min(cols), group)
    if len(cols) > 1:
        sheet.merged.append((top, min(cols), top, max(cols)))


# additive fields (summed by 合计 rows), with how a sum is written back into a cell
ADDITIVE = {
    "team": ["work_team_members", "township_professionals", "professional_team_total", "village_cadres",
             "assistance_cadres", "poor_households", "villages", "e_bikes"],
    "fund": ["amount_yuan"],
    "collective": ["area_mu", "investment_yuan"],
    "industry": ["households_driven", "poor_households_driven"],
    "poverty": [],
    "sales": ["sales_yuan", "villages", "households"],
}


def spell_sum(field: str, total: float) -> Any:
    """A sum as a clerk writes it, unit-safe whatever the header unit: 元 in the cell for money."""
    if field.endswith("_yuan"):
        d = Decimal(repr(total)).quantize(Decimal("0.01"))
        return f"{d.normalize():f}元"
    if field == "area_mu":
        return f"{Decimal(repr(total)).normalize():f}亩"
    return int(round(total))


def column_sums(v: Variant, sheet: Sheet, rows: list[int], columns: dict[str, int]) -> dict[int, Any]:
    """column → spelled sum of the records on `rows` (records only: the table has no quarantine)."""
    recs = {x["row"]: x for x in records_of(v, sheet)}
    out = {}
    for name, col in columns.items():
        vals = [recs[r]["values"].get(name) for r in rows if r in recs]
        if any(x is not None for x in vals):
            out[col] = spell_sum(name, sum(x for x in vals if x is not None))
    return out


def three_row_header(v: Variant, sheet: Sheet, top_group: str, top_leaves: list[str], mid_group: str,
                     mid_leaves: list[str]) -> None:
    """A 1-row header as 3 merged rows: `top_group` over `top_leaves`; inside it `mid_group` over
    `mid_leaves` (a subset); every other header cell merged down over the rows it spans."""
    first, last = table_header_rows(v, sheet)
    assert first == last, "already a multi-row header"
    top_cols = [header_row(sheet, x)[1] for x in top_leaves]
    mid_cols = [header_row(sheet, x)[1] for x in mid_leaves]
    insert_rows(v, sheet, first, 2)
    r1, r2, r3 = first, first + 1, first + 2
    for c, x in _row_texts(sheet, r3):
        if c in mid_cols:
            continue
        if c in top_cols:
            sheet.set(r2, c, x)
            sheet.merged.append((r2, c, r3, c))
        else:
            sheet.set(r1, c, x)
            sheet.merged.append((r1, c, r3, c))
        sheet.set(r3, c, None)
    sheet.set(r1, min(top_cols), top_group)
    sheet.merged.append((r1, min(top_cols), r1, max(top_cols)))
    sheet.set(r2, min(mid_cols), mid_group)
    if len(mid_cols) > 1:
        sheet.merged.append((r2, min(mid_cols), r2, max(mid_cols)))


def quarantine(v: Variant, sheet: Sheet, row: int, rule: str, cell: str) -> None:
    """The record on `row` becomes a quarantined row with one error issue on `cell`."""
    rec = next(x for x in v.expected["records"] if x["row"] == row and x["sheet"] == sheet.name)
    v.expected["records"].remove(rec)
    v.expected["quarantined"].append({"form": rec["form"], "sheet": sheet.name, "row": row})
    v.expected["issues"].append({"severity": "error", "rule": rule, "form": rec["form"], "sheet": sheet.name,
                                 "cell": cell, "row": row})
    v.expected["status"] = "accepted_with_warnings"


def warn(v: Variant, sheet: Sheet, form: str, rule: str, cell: str) -> None:
    row = split_a1(cell)[0]
    v.expected["issues"].append({"severity": "warning", "rule": rule, "form": form, "sheet": sheet.name,
                                 "cell": cell, "row": row})
    v.expected["status"] = "accepted_with_warnings"


def write_xls(v: Variant, path: Path) -> None:
    """The variant as a legacy .xls (BIFF8), percent and date formats kept. Needs xlwt, which the
    project does not depend on: callers importorskip it."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    percent, date = xlwt.easyxf(num_format_str="0.00%"), xlwt.easyxf(num_format_str="yyyy/m/d")
    for s in v.sheets:
        ws = wb.add_sheet(s.name or "Sheet1")
        origins = {(m[0], m[1]): m for m in s.merged}
        covered = {(r, c) for m in s.merged for r in range(m[0], m[2] + 1) for c in range(m[1], m[3] + 1)}
        for (r, c), x in s.cells.items():
            if (r, c) in covered and (r, c) not in origins:
                continue
            style = percent if (r, c) in s.percent else date if isinstance(x, (dt.date, dt.datetime)) \
                else xlwt.Style.default_style
            if (r, c) in origins:
                r0, c0, r1, c1 = origins[(r, c)]
                ws.write_merge(r0 - 1, r1 - 1, c0 - 1, c1 - 1, x, style)
            else:
                ws.write(r - 1, c - 1, x, style)
        if s.hidden:
            ws.visibility = 1
    wb.save(str(path))
