"""The feedback workbook: the county's own file back, problem cells marked, plus a 问题清单.

A county fixes the marked cells, or writes a reason in the 问题清单's 说明 column, and sends
the workbook back into its inbox; `read_explanations` then picks up what it wrote.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import (
    column_index_from_string,
    coordinate_from_string,
    get_column_letter,
    quote_sheetname,
)
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.packaging.custom import StringProperty
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.alerts.catalogue import ISSUE_SHEET, SEVERITY_LABELS, rule_fix, rule_label
from pipelines.alerts.redact import redact_personal
from pipelines.model import CheckResult, Issue
from pipelines.fileio import atomic_path

__all__ = [
    "ERROR_RGB",
    "WARNING_RGB",
    "ISSUE_SHEET",
    "ISSUE_HEADER",
    "REJECT_SHEET",
    "Explanation",
    "feedback_path",
    "is_feedback_workbook",
    "read_explanations",
    "read_feedback_meta",
    "redact_personal",
    "safe_set",
    "write_feedback_workbook",
]

ERROR_RGB = "FFFF7C80"  # red: the row is not loaded
WARNING_RGB = "FFFFC000"  # amber: loaded, confirm or explain
REJECT_SHEET = "退回说明"
EXPLANATION_HEADER = "说明（如无法修改，请在此填写原因）"
ISSUE_HEADER = ("工作表", "单元格", "填写值", "问题类型", "问题说明", "修改办法", EXPLANATION_HEADER)
COMMENT_AUTHOR = "报表审核"
FEEDBACK_SUFFIX = "_问题反馈"
# Custom document properties that tie a feedback workbook to the submission it answers.
_META_PREFIX = "county-returns:"
_CSV_SHEET_KEY = "csv_sheet"
_ORIGINAL_COMMENT = "\n—— 原批注 ——\n"

_SEVERITY_RANK = {"reject": 0, "error": 1, "warning": 2}
_FORMULA_PREFIXES = ("=", "+", "-", "@")
_MAX_CELL_TEXT = 32767  # Excel's limit on characters in a cell
_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_RULE_CODE = re.compile(r"^[a-z][a-z0-9_]*")

# openpyxl cannot open these; the county's file is rebuilt from the reader's grids.
_OPENPYXL_TYPES = {"xlsx", "xlsm"}


@dataclass(frozen=True)
class Explanation:
    """A reason a county wrote in the 说明 column of a returned 问题清单."""

    sheet: str | None  # None for a CSV submission (the file is the sheet)
    cell: str  # as listed, e.g. "C5" (or "第7行" for a row-level issue)
    rule: str
    text: str


def feedback_path(outbox: Path, county_code: str | None, period: str | None, file_name: str) -> Path:
    """`outbox/<county_code>/<period>/<original stem>_问题反馈.xlsx`."""
    stem = Path(file_name).stem or "报表"
    return Path(outbox) / _path_part(county_code) / _path_part(period) / f"{stem}{FEEDBACK_SUFFIX}.xlsx"


def write_feedback_workbook(
    result: CheckResult,
    source_path: Path,
    out_path: Path,
    grids: list[tuple[str | None, list[list[object]]]] | None = None,
) -> Path:
    """Write the feedback workbook for one checked file to `out_path` (atomically).

    .xlsx/.xlsm: the county's own workbook, cells marked; .csv/.xls: a new .xlsx built from
    `grids` (sheet name or None for CSV, rows as read) so every issue keeps its address;
    rejected file: a one-sheet 退回说明.
    """
    source_path = Path(source_path)
    if result.rejected:
        wb = _reject_workbook(result)
    else:
        wb, csv_sheet = _county_workbook(result, source_path, grids)
        _redact_cells(wb)
        carried = _take_previous_feedback(wb)
        issues = _sorted_issues(result.issues, wb)
        _mark_cells(wb, issues, csv_sheet)
        _write_issue_sheet(wb, issues, csv_sheet, carried)
        _set_meta(wb, result, csv_sheet)
    _save_atomically(wb, Path(out_path))
    return Path(out_path)


def is_feedback_workbook(path: Path) -> bool:
    """True when the workbook has a 问题清单 sheet with our header."""
    try:
        wb = _open_for_reading(Path(path))
    except _UNOPENABLE:
        return False
    try:
        return ISSUE_SHEET in wb.sheetnames and _find_header(wb[ISSUE_SHEET]) is not None
    finally:
        wb.close()


def read_explanations(path: Path) -> list[Explanation]:
    """The 问题清单 rows of a returned feedback workbook whose 说明 column is filled."""
    wb = _open_for_reading(Path(path))
    try:
        if ISSUE_SHEET not in wb.sheetnames:
            return []
        csv_sheet = _meta(wb).get(_CSV_SHEET_KEY)
        return _explanations(wb[ISSUE_SHEET], csv_sheet)
    finally:
        wb.close()


def read_feedback_meta(path: Path) -> dict[str, str]:
    """Which submission a returned feedback workbook answers: file, sha256, county_code, period."""
    wb = _open_for_reading(Path(path))
    try:
        return {k: v for k, v in _meta(wb).items() if k != _CSV_SHEET_KEY}
    finally:
        wb.close()


def safe_set(cell: Cell, value: object) -> None:
    """Put `value` into `cell`; text is always stored as text, never as a formula or error."""
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)[:_MAX_CELL_TEXT]
        cell.value = text
        cell.data_type = "s"  # '=…' would otherwise become a formula, '#REF!' an error
        if text.startswith(_FORMULA_PREFIXES):
            cell.quotePrefix = True  # and Excel keeps it text when the clerk edits the cell
        return
    cell.value = value


# --- building the workbook -------------------------------------------------------------

_UNOPENABLE = (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError)


def _county_workbook(
    result: CheckResult, source_path: Path, grids: list[tuple[str | None, list[list[object]]]] | None
) -> tuple[Workbook, str | None]:
    file_type = (result.file_type or source_path.suffix.lstrip(".")).lower()
    if file_type in _OPENPYXL_TYPES:
        try:
            with warnings.catch_warnings():
                # openpyxl warns about extensions it drops (data validation lists, slicers).
                warnings.simplefilter("ignore", UserWarning)
                return load_workbook(source_path, keep_vba=False, rich_text=True), None
        except _UNOPENABLE:
            if grids is None:
                raise
    if grids is None:
        raise ValueError(f"{source_path.name}: a {file_type or 'non-xlsx'} file needs the reader's grids")
    return _workbook_from_grids(grids, source_path)


def _redact_cells(wb: Workbook) -> None:
    """No 填表人 names or phone numbers leave the raw archive, not even in the county's own copy."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and (clean := redact_personal(cell.value)) != cell.value:
                    cell.value = clean


def _workbook_from_grids(
    grids: list[tuple[str | None, list[list[object]]]], source_path: Path
) -> tuple[Workbook, str | None]:
    wb = Workbook()
    wb.remove(wb.active)
    csv_sheet = None
    for name, rows in grids:
        title = _sheet_title(name if name is not None else source_path.stem, wb)
        if name is None:
            csv_sheet = title
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None and value != "":
                    safe_set(ws.cell(row=r, column=c), value)
    return wb, csv_sheet


def _reject_workbook(result: CheckResult) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = REJECT_SHEET
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 80
    safe_set(ws["A1"], "报表退回说明")
    ws["A1"].font = Font(bold=True, size=14)
    rows: list[tuple[str, str]] = [
        ("文件名", result.file),
        ("县区代码", result.county_code or "未识别"),
        ("报告期", result.period or "未识别"),
    ]
    for issue in (i for i in result.issues if i.severity == "reject"):
        rows += [
            ("退回原因", redact_personal(issue.message)),
            ("问题类型", rule_label(issue.rule)),
            ("修改办法", rule_fix(issue.rule)),
        ]
    folder = f"inbox/{result.county_code}/" if result.county_code else "本单位的报送目录"
    rows.append(("重新报送", f"该文件未入库。请按上述办法修改后，将文件重新放入 {folder}。"))
    for r, (label, text) in enumerate(rows, start=3):
        safe_set(ws.cell(row=r, column=1), label)
        ws.cell(row=r, column=1).font = Font(bold=True)
        safe_set(ws.cell(row=r, column=2), text)
        ws.cell(row=r, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    return wb


def _take_previous_feedback(wb: Workbook) -> dict[tuple[str | None, str, str], str]:
    """A returned feedback workbook goes round again: drop our old marks, keep its 说明."""
    if ISSUE_SHEET not in wb.sheetnames:
        return {}
    old = wb[ISSUE_SHEET]
    carried = {}
    if _find_header(old) is not None:
        csv_sheet = _meta(wb).get(_CSV_SHEET_KEY)
        carried = {(e.sheet, e.cell, e.rule): e.text for e in _explanations(old, csv_sheet)}
    wb.remove(old)
    ours = {ERROR_RGB, WARNING_RGB}
    for ws in wb.worksheets:
        for cell in list(ws._cells.values()):  # existing cells only; iter_rows would create them
            comment = cell.comment
            if comment is not None and comment.author == COMMENT_AUTHOR:
                original = comment.text.partition(_ORIGINAL_COMMENT)[2]
                cell.comment = Comment(original, "") if original else None
            fill = cell.fill
            if fill is not None and fill.fill_type == "solid" and fill.fgColor.rgb in ours:
                cell.fill = PatternFill(fill_type=None)
    return carried


def _sorted_issues(issues: Iterable[Issue], wb: Workbook) -> list[Issue]:
    order = {name: i for i, name in enumerate(wb.sheetnames)}

    def key(issue: Issue) -> tuple:
        row, col = _row_col(issue)
        return (
            _SEVERITY_RANK.get(issue.severity, 9),
            order.get(issue.sheet or "", -1),
            row or 0,
            col or 0,
            issue.rule,
        )

    return sorted(issues, key=key)


def _mark_cells(wb: Workbook, issues: Sequence[Issue], csv_sheet: str | None) -> None:
    by_cell: dict[tuple[str, str], list[Issue]] = {}
    for issue in issues:
        target = _target(wb, issue, csv_sheet)
        if target is not None:
            by_cell.setdefault(target, []).append(issue)
    for (sheet, coord), cell_issues in by_cell.items():
        cell = wb[sheet][coord]
        worst = min(cell_issues, key=lambda i: _SEVERITY_RANK.get(i.severity, 9))
        rgb = ERROR_RGB if worst.severity in ("error", "reject") else WARNING_RGB
        cell.fill = PatternFill(fill_type="solid", fgColor=rgb, bgColor=rgb)
        cell.comment = _comment(cell_issues, cell.comment)


def _comment(issues: Sequence[Issue], existing: Comment | None) -> Comment:
    lines = [
        f"{n}. 【{SEVERITY_LABELS.get(i.severity, i.severity)}】{redact_personal(i.message)}"
        if len(issues) > 1
        else f"【{SEVERITY_LABELS.get(i.severity, i.severity)}】{redact_personal(i.message)}"
        for n, i in enumerate(issues, start=1)
    ]
    lines.append(f"详见“{ISSUE_SHEET}”工作表。")
    text = "\n".join(lines)
    if existing is not None and existing.author != COMMENT_AUTHOR and existing.text:
        text += _ORIGINAL_COMMENT + existing.text
    height = min(40 + 18 * sum(1 + len(line) // 22 for line in text.splitlines()), 400)
    return Comment(text, COMMENT_AUTHOR, height=height, width=320)


def _write_issue_sheet(
    wb: Workbook,
    issues: Sequence[Issue],
    csv_sheet: str | None,
    carried: dict[tuple[str | None, str, str], str],
) -> None:
    ws = wb.create_sheet(ISSUE_SHEET, 0)
    for other in wb.worksheets:
        other.sheet_view.tabSelected = False  # else Excel opens with the sheets grouped
    wb.active = 0
    ws.sheet_view.tabSelected = True

    widths = (14, 10, 24, 28, 50, 50, 40)
    header_fill = PatternFill(fill_type="solid", fgColor="FFD9D9D9")
    for c, (title, width) in enumerate(zip(ISSUE_HEADER, widths), start=1):
        cell = ws.cell(row=1, column=c)
        safe_set(cell, title)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"

    wrap = Alignment(wrap_text=True, vertical="top")
    for r, issue in enumerate(issues, start=2):
        target = _target(wb, issue, csv_sheet)
        sheet_label = issue.sheet if issue.sheet is not None else (csv_sheet or "")
        cell_label = _cell_label(issue)
        values = (
            sheet_label,
            cell_label,
            redact_personal(issue.raw_value) if issue.raw_value is not None else "",
            rule_label(issue.rule),
            redact_personal(issue.message),
            rule_fix(issue.rule, issue.severity),
            carried.get((issue.sheet, cell_label, issue.rule), ""),
        )
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            safe_set(cell, value)
            cell.alignment = wrap
        rgb = ERROR_RGB if issue.severity in ("error", "reject") else WARNING_RGB
        ws.cell(row=r, column=4).fill = PatternFill(fill_type="solid", fgColor=rgb, bgColor=rgb)
        if target is not None:
            link = ws.cell(row=r, column=2)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheetname(target[0])}!{target[1]}")
            link.font = Font(color="FF0563C1", underline="single")
    ws.auto_filter.ref = f"A1:G{max(len(issues) + 1, 1)}"


def _set_meta(wb: Workbook, result: CheckResult, csv_sheet: str | None) -> None:
    meta = {
        "source_file": result.file,
        "sha256": result.sha256,
        "county_code": result.county_code or "",
        "period": result.period or "",
        _CSV_SHEET_KEY: csv_sheet or "",
    }
    props = wb.custom_doc_props
    for key, value in meta.items():
        name = _META_PREFIX + key
        if name in props.names:
            del props[name]
        if value:
            props.append(StringProperty(name=name, value=value))


def _save_atomically(wb: Workbook, out_path: Path) -> None:
    with atomic_path(out_path) as tmp:
        wb.save(tmp)


# --- reading it back -------------------------------------------------------------------


def _open_for_reading(path: Path) -> Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return load_workbook(path, read_only=True, data_only=True)


def _find_header(ws: Worksheet) -> tuple[int, dict[str, int]] | None:
    """(header row, column index by title) when the first rows hold our header."""
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=5, values_only=True), start=1):
        titles = {str(v).strip(): c for c, v in enumerate(row) if v is not None}
        if all(t in titles for t in ISSUE_HEADER):
            return r, titles
    return None


def _explanations(ws: Worksheet, csv_sheet: str | None) -> list[Explanation]:
    found = _find_header(ws)
    if found is None:
        return []
    header_row, col = found
    out = []
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        def at(title: str) -> str:
            i = col[title]
            v = row[i] if i < len(row) else None
            return "" if v is None else str(v).strip()

        text = at(EXPLANATION_HEADER)
        rule = _RULE_CODE.match(at("问题类型"))
        if not text or rule is None:
            continue
        sheet = at("工作表") or None
        if csv_sheet and sheet == csv_sheet:
            sheet = None
        out.append(Explanation(sheet=sheet, cell=at("单元格"), rule=rule.group(0), text=redact_personal(text)))
    return out


def _meta(wb: Workbook) -> dict[str, str]:
    return {
        p.name[len(_META_PREFIX):]: str(p.value)
        for p in wb.custom_doc_props
        if p.name and p.name.startswith(_META_PREFIX) and p.value is not None
    }


# --- small helpers ---------------------------------------------------------------------


def _row_col(issue: Issue) -> tuple[int | None, int | None]:
    if issue.cell:
        try:
            letters, row = coordinate_from_string(issue.cell.replace("$", ""))
            return row, column_index_from_string(letters)
        except ValueError:
            pass  # not an A1 address; listed, not marked
    return issue.row, None


def _target(wb: Workbook, issue: Issue, csv_sheet: str | None) -> tuple[str, str] | None:
    """The (sheet, top-left cell) to mark for an issue, or None when it has no cell."""
    row, col = _row_col(issue)
    if row is None or col is None:
        return None
    data_sheets = [n for n in wb.sheetnames if n != ISSUE_SHEET]
    if issue.sheet is not None:
        sheet = issue.sheet
    elif csv_sheet is not None:
        sheet = csv_sheet
    elif len(data_sheets) == 1:
        sheet = data_sheets[0]
    else:
        return None
    if sheet not in data_sheets:
        return None
    coordinate = f"{get_column_letter(col)}{row}"
    for merged in wb[sheet].merged_cells.ranges:
        if coordinate in merged:  # a merged cell takes marks on its top-left cell only
            return sheet, merged.start_cell.coordinate
    return sheet, coordinate


def _cell_label(issue: Issue) -> str:
    if issue.cell:
        return issue.cell
    if issue.row is not None:
        return f"第{issue.row}行"
    return ""


def _sheet_title(name: str, wb: Workbook) -> str:
    title = _INVALID_SHEET_CHARS.sub("_", name).strip("'")[:31] or "数据"
    if title == ISSUE_SHEET:
        title = "数据"
    base, n = title, 2
    while title in wb.sheetnames:
        suffix = f"({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    return title


def _path_part(value: str | None) -> str:
    text = (value or "").strip().replace("/", "_").replace("\\", "_")
    return text if text and text not in (".", "..") else "unknown"
