"""read: a received file → one Grid per sheet, with true sheet row/column numbers.

File type is decided by content, not by extension. Values come from calamine (fast, cached
formula values, merged ranges); the only thing calamine loses that the CONTRACT needs is a
percent number format (0.2368 shown as 23.68%), which is read from the xlsx styles directly.
Anything that cannot be read raises `Rejected` with a CONTRACT rule code and a Chinese reason.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import python_calamine

from pipelines.limits import Limits


class Rejected(Exception):
    """The whole file is refused (severity `reject`)."""

    def __init__(self, rule: str, message: str):
        super().__init__(message)
        self.rule = rule
        self.message = message


@dataclass
class Grid:
    """One sheet as a rectangle of cell values. rows[i][j] is the cell at row i+1, column j+1."""

    name: str | None  # None for CSV
    rows: list[list[Any]]
    hidden: bool = False
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # 1-based r0, c0, r1, c1
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # 1-based (row, col)

    def value(self, row: int, col: int) -> Any:
        if 1 <= row <= len(self.rows) and 1 <= col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None


SPREADSHEET_TYPES = ("xlsx", "xlsm", "xls", "csv")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


def sniff_type(path: Path, limits: Limits) -> str:
    """xlsx / xlsm / xls / csv, from the bytes; reject anything else before reading it all."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise Rejected("too_large", f"文件大小 {size / 1e6:.1f} MB，超过上限 {limits.max_file_bytes / 1e6:.0f} MB，请拆分后重新报送")
    if size == 0:
        raise Rejected("unreadable_file", "文件是空的（0 字节），请重新导出后报送")
    with path.open("rb") as fh:
        head = fh.read(8)
    suffix = path.suffix.lower().lstrip(".")
    if head.startswith(_ZIP_MAGIC) or head.startswith(b"PK"):
        return _sniff_zip(path, suffix, limits)
    if head == _OLE_MAGIC:
        return _sniff_ole(path)
    if head.startswith(b"%PDF"):
        raise Rejected("unsupported_type", "这是 PDF 文件，不是报表；请报送 Excel（.xlsx/.xls）或 CSV 文件")
    if suffix in ("csv", "xls", "xlsx") and _looks_like_text(path):
        return "csv"
    raise Rejected("unsupported_type", f"不支持的文件类型（.{suffix or '无扩展名'}）；请报送 Excel（.xlsx/.xls）或 CSV 文件")


def _sniff_zip(path: Path, suffix: str, limits: Limits) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise Rejected("unreadable_file", "文件已损坏或不完整，无法打开，请重新保存后报送") from exc
    names = {i.filename for i in infos}
    # A zip bomb is refused from its central directory, not by trying it.
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed_bytes:
        raise Rejected("too_large", f"工作簿解压后 {total / 1e6:.0f} MB，超过上限 {limits.max_uncompressed_bytes / 1e6:.0f} MB")
    if "xl/workbook.xml" not in names:
        kind = "Word 文档" if any(n.startswith("word/") for n in names) else "压缩包"
        raise Rejected("unreadable_file", f"文件内容是{kind}，不是 Excel 工作簿，请报送报表文件")
    if "xl/vbaProject.bin" in names or suffix == "xlsm":
        return "xlsm"
    return "xlsx"


def _sniff_ole(path: Path) -> str:
    data = path.read_bytes()
    # An encrypted OOXML workbook is an OLE container holding EncryptionInfo + EncryptedPackage.
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        raise Rejected("encrypted_file", "工作簿设置了打开密码，无法读取；请取消密码后重新报送")
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    raise Rejected("unreadable_file", "文件不是 Excel 工作簿（可能是 Word 等其他 Office 文件），请报送报表文件")


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as fh:
        sample = fh.read(4096)
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return b"\x00" not in sample


def read_grids(path: Path, file_type: str, limits: Limits) -> list[Grid]:
    if file_type == "csv":
        return [read_csv(path, limits)]
    return read_workbook(path, file_type, limits)


def read_workbook(path: Path, file_type: str, limits: Limits) -> list[Grid]:
    try:
        # from a file object calamine picks the format by content, so an .xlsx named .xls reads
        with path.open("rb") as fh:
            workbook = python_calamine.CalamineWorkbook.from_filelike(fh)
    except Exception as exc:  # calamine raises its own error types for every broken file
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise Rejected("encrypted_file", "工作簿设置了密码，无法读取；请取消密码后重新报送") from exc
        raise Rejected("unreadable_file", "工作簿已损坏，无法打开，请用 Excel 或 WPS 重新保存后报送") from exc
    overlays = _xlsx_overlays(path) if file_type in ("xlsx", "xlsm") else {}
    sheets: list[tuple[Any, list[list[Any]], list[tuple[int, int, int, int]]]] = []
    for meta in workbook.sheets_metadata:
        if str(meta.typ) != "SheetTypeEnum.WorkSheet":
            continue
        try:
            sheet = workbook.get_sheet_by_name(meta.name)
        except Exception as exc:
            raise Rejected("unreadable_file", f"工作表「{meta.name}」已损坏，无法读取") from exc
        if sheet.height > limits.max_rows_per_sheet:
            raise Rejected("too_large", f"工作表「{meta.name}」有 {sheet.height} 行，超过上限 {limits.max_rows_per_sheet} 行")
        # calamine starts a sheet at its first used cell; pad back to true row/column numbers.
        r0, c0 = sheet.start if sheet.start else (0, 0)
        data = sheet.to_python(skip_empty_area=True) if sheet.height else []
        if r0 or c0:
            pad = [None] * c0  # pad + r is a new list
            rows = [pad + r if type(r) is list else pad + list(r) for r in ([[]] * r0 + data)]
        elif set(map(type, data)) <= {list}:
            rows = data  # calamine builds a fresh list per row: nothing to copy
        else:
            rows = [list(r) for r in data]
        merged = [(a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1) for a, b in (sheet.merged_cell_ranges or [])]
        sheets.append((meta, rows, merged))
    grids = []
    for meta, rows, merged in sheets:
        overlay = overlays.get(meta.name, _Overlay())
        for (r, c), text in overlay.errors.items():
            if r <= len(rows) and c <= len(rows[r - 1]):
                rows[r - 1][c - 1] = text
        grids.append(Grid(meta.name, rows, hidden=str(meta.visible) != "SheetVisibleEnum.Visible",
                          merged=merged, percent_cells=overlay.percent))
    if not grids:
        raise Rejected("unreadable_file", "工作簿中没有工作表")
    return grids


_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CELL_TAG = re.compile(rb"<c\b([^>]*?)(/>|>(.*?)</c>)", re.S)
_ATTR_R = re.compile(rb'\br="([A-Z]+)(\d+)"')
_ERROR_TYPE = re.compile(rb'\bt="e"')
_ERROR_ANYWHERE = re.compile(rb't="e"')  # a regex finds a literal faster than bytes.__contains__
_VALUE = re.compile(rb"<v>([^<]*)</v>")


@dataclass
class _Overlay:
    """What calamine drops from an xlsx sheet and the CONTRACT needs back."""

    percent: set[tuple[int, int]] = field(default_factory=set)  # cells shown as a percent
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # #REF!, #DIV/0! formula results


def _xlsx_overlays(path: Path) -> dict[str, _Overlay]:
    """Per sheet: percent-formatted cells (styles) and error-valued cells (t="e"), from the XML."""
    import xml.etree.ElementTree as ET

    with zipfile.ZipFile(path) as zf:
        percent_styles: set[bytes] = set()
        if "xl/styles.xml" in zf.namelist():
            styles = ET.fromstring(zf.read("xl/styles.xml"))
            custom = {int(n.get("numFmtId")): n.get("formatCode", "") for n in styles.iter(f"{_NS_MAIN}numFmt")}
            xfs = styles.find(f"{_NS_MAIN}cellXfs")
            percent_styles = {
                str(i).encode()
                for i, xf in enumerate(xfs if xfs is not None else [])
                if (fid := int(xf.get("numFmtId", "0"))) in (9, 10) or "%" in custom.get(fid, "")
            }
        book = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        out: dict[str, _Overlay] = {}
        for sheet in book.iter(f"{_NS_MAIN}sheet"):
            target = targets.get(sheet.get(f"{_NS_REL}id"), "")
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            try:
                xml = zf.read(member)
            except KeyError:
                continue
            overlay = _Overlay(percent=_percent_cells(xml, percent_styles) if percent_styles else set())
            if _ERROR_ANYWHERE.search(xml) is not None:
                for m in _CELL_TAG.finditer(xml):
                    attrs = m.group(1)
                    if _ERROR_TYPE.search(attrs) and (r := _ATTR_R.search(attrs)) \
                            and (v := _VALUE.search(m.group(3) or b"")):
                        overlay.errors[(int(r.group(2)), column_number(r.group(1).decode()))] = \
                            v.group(1).decode("utf-8", "replace")
            if overlay.percent or overlay.errors:
                out[sheet.get("name")] = overlay
        return out


def _percent_cells(xml: bytes, percent_styles: set[bytes]) -> set[tuple[int, int]]:
    """(row, col) of every <c r="B7" … s="<percent style>"> in a sheet's XML (r comes before s in
    what Excel, WPS, openpyxl and xlsxwriter write).

    What `_percent_patterns(…)[1].finditer(xml)` over the whole sheet finds, found faster: a match
    holds no '>' and ends in whitespace + s="…", so it lies within one stretch between two '>'
    holding such an attribute. Only those stretches are searched, each once."""
    attr, cell = _percent_patterns(frozenset(percent_styles))
    found: set[tuple[int, int]] = set()
    done = -1
    for hit in attr.finditer(xml):
        at = hit.start()
        if at < done or not xml[at - 1:at].isspace():
            continue  # in a stretch already searched, or not an attribute (\s before s=)
        start = xml.rfind(b">", 0, at) + 1
        done = xml.find(b">", hit.end())
        if done < 0:
            done = len(xml)
        for letters, digits in cell.findall(xml, start, done):
            found.add((int(digits), _column_of(letters)))
    return found


@lru_cache(maxsize=64)
def _percent_patterns(percent_styles: frozenset[bytes]) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    ids = b"|".join(sorted(percent_styles))
    # the attribute alone starts with a literal, which a regex scans for fast
    return re.compile(rb's="(?:' + ids + rb')"'), re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?\ss="(?:' + ids + rb')"')


@lru_cache(maxsize=4096)
def _column_of(letters: bytes) -> int:
    return column_number(letters.decode())


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    s = ""
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


def cell_address(row: int, col: int) -> str:
    return f"{column_letters(col)}{row}"


# --- CSV -------------------------------------------------------------------------------------

_DELIMITERS = (",", "\t", ";")


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise Rejected("unreadable_file", "CSV 文件编码无法识别，请用 UTF-8 或 GBK 编码另存后报送") from exc


def read_csv(path: Path, limits: Limits) -> Grid:
    # \r\n, \n and the old Mac \r all end a line
    text = decode_text(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.splitlines()
    if len(lines) > limits.max_rows_per_sheet:
        raise Rejected("too_large", f"CSV 有 {len(lines)} 行，超过上限 {limits.max_rows_per_sheet} 行")
    delimiter = _pick_delimiter(lines)
    try:
        rows = [[c if c != "" else None for c in r] for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise Rejected("unreadable_file", f"CSV 文件格式有误（{exc}），请用 Excel 另存为 CSV 后重新报送") from exc
    if not any(any(c is not None and str(c).strip() for c in r) for r in rows):
        raise Rejected("unreadable_file", "CSV 文件没有内容")
    return Grid(None, rows)


def _pick_delimiter(lines: list[str]) -> str:
    """The delimiter that splits most lines into the same number (≥2) of fields."""
    best, best_score = ",", -1
    sample = "\n".join(lines[:200])
    for d in _DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=d) if r]
        except csv.Error:
            continue
        common = Counter(c for c in counts if c >= 2).most_common(1)
        if not common:
            continue
        width, hits = common[0]
        score = hits * 1000 + width
        if score > best_score:
            best, best_score = d, score
    return best
