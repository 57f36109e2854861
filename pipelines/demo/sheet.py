"""A planned sheet (cells, merges, number formats) and the two ways it is written: xlsx, CSV.

A plan is plain data, so the manifest (what the product must read back) is computed from the
same cells that are written, and writing the same plan twice gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipelines.intake.read import cell_address

import xlsxwriter

# xlsxwriter stamps docProps with "now" unless told otherwise: a fixed time keeps bytes stable.
CREATED = dt.datetime(2018, 9, 5, 9, 30, 0)


@dataclass(frozen=True)
class Formula:
    """A formula cell as Excel saves it: the formula and its cached value."""

    text: str  # "=SUM(C5:C16)"
    cached: float


@dataclass(frozen=True)
class Percent:
    """A fraction in a cell formatted 0.00% (0.2247 shows as 22.47%)."""

    value: float


@dataclass
class SheetPlan:
    name: str | None  # None for a CSV
    rows: list[list[Any]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based r0, c0, r1, c1
    hidden: bool = False

    def add(self, row: list[Any]) -> int:
        """Append a row; returns its 0-based index."""
        self.rows.append(row)
        return len(self.rows) - 1


def a1(row0: int, col0: int) -> str:
    return cell_address(row0 + 1, col0 + 1)


def write_xlsx(path: Path, sheets: list[SheetPlan]) -> None:
    """One workbook, written to a temp file and renamed into place."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"created": CREATED, "author": "县扶贫办", "title": "脱贫攻坚统计报表"})
    percent = book.add_format({"num_format": "0.00%"})
    bold = book.add_format({"bold": True, "align": "center", "valign": "vcenter"})
    for plan in sheets:
        ws = book.add_worksheet(plan.name)
        covered: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for r0, c0, r1, c1 in plan.merges:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    covered[(r, c)] = (r0, c0, r1, c1)
        for r, row in enumerate(plan.rows):
            for c, value in enumerate(row):
                if (r, c) in covered or value is None or value == "":
                    continue
                _write_cell(ws, r, c, value, percent)
        for r0, c0, r1, c1 in plan.merges:
            value = plan.rows[r0][c0] if c0 < len(plan.rows[r0]) else None
            ws.merge_range(r0, c0, r1, c1, "" if value is None else value, bold)
        if plan.hidden:
            ws.hide()
    book.close()
    _atomic_write(path, buffer.getvalue())


def _write_cell(ws, r: int, c: int, value: Any, percent) -> None:
    if isinstance(value, Formula):
        ws.write_formula(r, c, value.text, None, value.cached)
    elif isinstance(value, Percent):
        ws.write_number(r, c, value.value, percent)
    elif isinstance(value, str):
        ws.write_string(r, c, value)
    else:
        ws.write_number(r, c, value)


def csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        value = value.cached
    if isinstance(value, Percent):
        raise ValueError("a percent number format cannot be written to a CSV")
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def write_csv(path: Path, plan: SheetPlan, encoding: str) -> None:
    """CSV as WPS saves it: CRLF lines, comma separated; 'utf-8-sig' or 'gbk'."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in plan.rows:
        writer.writerow([csv_text(v) for v in row])
    _atomic_write(path, out.getvalue().encode(encoding))


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".synth-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
