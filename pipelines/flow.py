"""The one flow of stages from a county file to a CheckResult, shared by `check` and `ingest`.

receive → read → locate → (identify) → parse → validate. Each stage is a plain function; this
module only composes them and turns a `Rejected` into the single reject issue of the file.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from pipelines.intake.counties import county_index
from pipelines.intake.identify import (named_counties, org_text, period_from_path, period_from_text,
                                       period_in_grid, period_in_title)
from pipelines.intake.locate import Table, locate_tables, missing_required
from pipelines.intake.parse import parse_table
from pipelines.intake.read import Grid, Rejected, read_grids, sniff_type
from pipelines.limits import Limits
from pipelines.model import CheckResult, Issue, Records
from pipelines.validate.apply import validate_table

_CODE = re.compile(r"^\d{6}$")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Receipt:
    """What `receive` knows before a file is opened: who sent it, its hash and size."""

    path: Path
    sha256: str
    size: int
    folder_code: str | None


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def county_folder_of(path: Path) -> str | None:
    """inbox/<code>/<file> or inbox/<code>/<period>/<file> → code (a period folder such as
    201808 is six digits too: under a county folder it is the period)."""
    parent, grandparent = path.parent, path.parent.parent
    if _CODE.match(grandparent.name) and (not _CODE.match(parent.name) or period_from_text(parent.name)):
        return grandparent.name
    return parent.name if _CODE.match(parent.name) else None


def receive(path: Path, county: str | None = None) -> Receipt:
    return Receipt(path, sha256_of(path), path.stat().st_size, county or county_folder_of(path))


FileStamp = tuple[int, int, str]  # size, mtime_ns, sha256 of a file as last seen


def receive_stamped(path: Path, known: FileStamp | None) -> tuple[Receipt, FileStamp]:
    """The receipt of a file, and its stamp to remember. When `known` (an earlier stamp of the
    same path) still matches the file's size and modification time, the file is not read again."""
    stat = path.stat()  # before reading: a write during hashing changes mtime for next time
    if known is not None and known[:2] == (stat.st_size, stat.st_mtime_ns):
        return Receipt(path, known[2], stat.st_size, county_folder_of(path)), known
    receipt = Receipt(path, sha256_of(path), stat.st_size, county_folder_of(path))
    return receipt, (stat.st_size, stat.st_mtime_ns, receipt.sha256)


def check_file(path: Path, county: str | None = None, period: str | None = None,
               limits: Limits | None = None) -> CheckResult:
    """Read one file as ingestion would and report everything; writes nothing."""
    return check_receipt(receive(Path(path), county), period, limits or Limits())


def check_receipt(receipt: Receipt, period: str | None, limits: Limits) -> CheckResult:
    path = receipt.path
    name_period, folder_period = period_from_path(path)
    result = CheckResult(file=path.name, path=str(path), sha256=receipt.sha256, size=receipt.size,
                         county_code=None, period=period or name_period or folder_period)
    try:
        _run_stages(result, receipt, period, limits)
    except Rejected as rej:
        _refuse(result, rej)
    except Exception as exc:  # noqa: BLE001 — a file we cannot make sense of is refused, not a crash
        # the county gets a reason and the run goes on; the operator gets the cause on stderr
        log.error("%s: unexpected %s while reading: %s", receipt.path, type(exc).__name__, exc)
        _refuse(result, Rejected("unreadable_file", f"文件内容无法解析（{type(exc).__name__}），"
                                                    "请用 Excel 或 WPS 另存为 .xlsx 后重新报送"))
    return result


def _refuse(result: CheckResult, rej: Rejected) -> None:
    result.records, result.quarantined, result.totals = Records(), [], []
    result.issues = [Issue(severity="reject", rule=rej.rule, message=rej.message)]
    result.input_rows = 0


def _run_stages(result: CheckResult, receipt: Receipt, period: str | None, limits: Limits) -> None:
    index = county_index()
    county = index.resolve(receipt.folder_code) if receipt.folder_code else None
    if county is None:
        _reject_unknown_county(result, receipt, limits)
    result.county_code = county.code

    file_type = sniff_type(receipt.path, limits)
    result.file_type = file_type
    located = _locate(receipt.path, file_type, limits)
    result.sheets = [g.name for g, _ in located if g.name]
    tables = _visible_tables(located)
    if not tables:
        for grid, _ in located:
            if miss := missing_required(grid):
                names = "、".join(f"「{(miss.form.synonyms.get(f) or (f,))[0]}」" for f in miss.missing)
                raise Rejected("unknown_form", f"工作表「{grid.name or receipt.path.name}」像是{miss.form.title}表，但找不到必填列 {names}，"
                                               f"请按模板填写表头后重新报送")
        raise Rejected("unknown_form", "文件中没有找到规定的六张报表（驻村工作队力量、资金投入、村集体经济、产业带贫、贫困发生率、消费扶贫）中的任何一张，请使用规定模板填报")

    _check_sender(located, county.code, county.name)
    result.period = (period or _period_from_cells(located) or result.period
                     or _first(period_in_title(g, _header_start(ts)) for g, ts in located if ts))
    if not result.period:
        raise Rejected("period_missing", "没有找到报告期：请在表头填写“报告期：2018年8月”，或在文件名中写明年月（如 2018年8月）")
    if not any(t.data_rows or t.total_rows for t in tables):
        raise Rejected("unknown_form", "报表中没有任何数据行，请填写后重新报送")

    for table in tables:
        outcome = validate_table(parse_table(table))
        result.forms.append(table.form.name)
        result.records += outcome.records
        result.quarantined += outcome.quarantined
        result.totals += outcome.totals
        result.issues += outcome.issues
        result.input_rows += len(table.data_rows) + len(table.total_rows)


def _locate(path: Path, file_type: str, limits: Limits) -> list[tuple[Grid, list[Table]]]:
    return [(g, locate_tables(g)) for g in read_grids(path, file_type, limits)]


def _reject_unknown_county(result: CheckResult, receipt: Receipt, limits: Limits) -> None:
    """The folder is no county: refuse, but name the county the workbook says it is from."""
    shown = receipt.folder_code or "（未知）"
    result.county_code = receipt.folder_code
    try:
        located = _locate(receipt.path, sniff_type(receipt.path, limits), limits)
        named = set().union(*(named_counties(org_text(g, _header_start(ts))) for g, ts in located))
        if len(named) == 1:
            result.county_code = named.pop()
    except Rejected:
        pass  # unreadable as well; the folder is still the first thing to fix
    raise Rejected("county_unknown", f"报送文件夹代码 {shown} 不是广西县级行政区划代码，请核对后重新报送")


def _visible_tables(located: list[tuple[Grid, list[Table]]]) -> list[Table]:
    """Form tables on visible sheets; a hidden sheet counts only for a form no visible sheet has."""
    visible = [t for g, ts in located if not g.hidden for t in ts]
    seen = {t.form.name for t in visible}
    hidden = [t for g, ts in located if g.hidden for t in ts if t.form.name not in seen]
    return visible + hidden


def _header_start(tables: list[Table]) -> int | None:
    return min((t.header_rows[0] for t in tables), default=None)


def _check_sender(located: list[tuple[Grid, list[Table]]], code: str, name: str) -> None:
    """The folder is the sender: a 填报单位 naming only other counties is refused."""
    for grid, tables in located:
        text = org_text(grid, _header_start(tables))
        named = named_counties(text)
        if named and code not in named:
            others = "、".join(sorted(county_index().current[c].name for c in named))
            raise Rejected("county_mismatch", f"填报单位为「{text}」（{others}），与报送县 {name}（{code}）不符，请报送本县报表")


def _first(values):
    return next((v for v in values if v), None)


def _period_from_cells(located: list[tuple[Grid, list[Table]]]) -> str | None:
    # form sheets first (above their header), then cover sheets anywhere
    for grid, tables in located:
        if tables and (found := period_in_grid(grid, _header_start(tables))):
            return found
    for grid, tables in located:
        if not tables and (found := period_in_grid(grid, None)):
            return found
    # a labelled cell anywhere on a form sheet, e.g. 统计时间 in the footer (never 填报日期)
    for grid, tables in located:
        if tables and (found := period_in_grid(grid, None)):
            return found
    return None
