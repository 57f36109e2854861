"""Who sent a file and for which period: the folder, 填报单位 and 报告期 lines, the file name."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from pipelines.intake.counties import county_index
from pipelines.intake.locate import is_text, normalize
from pipelines.intake.read import Grid

_PERIOD_LABEL = re.compile(r"(报告期|统计时间|统计期|统计截止|截止日期|截止时间|统计截至|截至|数据截止|统计日期|报表期|所属期|统计月份|报告月份|月份|报送期|统计期间|时间)")
_NOT_PERIOD_LABEL = re.compile(r"((填报|填表|报送|上报|制表|打印|编制)(日期|时间)|会议时间)")
# the day a file was sent, in its name: （2018年9月5日报送）, 20180905上报
_SENT_DATE = re.compile(r"\d{4}[年.\-/]?\d{1,2}[月.\-/]?\d{1,2}日?(报送|上报|填报|提交)")
_ORG_LABEL = re.compile(r"(填报单位|报送单位|填表单位|单位名称)[(（]?[^:：]*[)）]?[:：]")

_QUARTER_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_YEAR = r"((?:19|20)\d\d|\d\d(?=年))"  # 2018, or 18 when 年 follows
_SEP = r"[-~～—–至到_]"


def _arabic(text: str) -> str:
    """二〇一八年八月 → 2018年8月; 十二月 → 12月 (only what dates use)."""
    def month(m: re.Match) -> str:
        t = m.group(1)
        if t.startswith("十"):
            return f"{10 + int(_CN_DIGITS.get(t[1:], '0') or 0)}月" if len(t) > 1 else "10月"
        return f"{_CN_DIGITS[t]}月"
    text = re.sub(r"([〇零○一二三四五六七八九]{4})年", lambda m: "".join(_CN_DIGITS[c] for c in m.group(1)) + "年", text)
    return re.sub(r"(十[一二]?|[一二三四五六七八九])月", month, text)


def period_from_text(text: str) -> str | None:
    """2018年8月 / 2018年1-8月 / 2018年1月至8月 / 2018年8月13日 / 2018-08 / 2018_08 / 201808 /
    二〇一八年八月 / 2018年度 / 2018年第三季度 → YYYY-MM, YYYY or YYYY-Qn (a range gives its last month)."""
    s = _arabic(normalize(text))
    if m := re.search(_YEAR + r"年?第?([一二三四1-4])季度", s) or re.search(r"((?:19|20)\d\d)年?[-_ ]?Q([1-4])", s, re.I):
        return f"{_year(m.group(1))}-Q{_QUARTER_WORDS[m.group(2)]}"
    if end := _range_end(s):
        return period_from_text(end)
    # a cumulative range: 2018年1-8月, 2018年1月-8月, 2018.1-2018.8 → its last month
    if m := re.search(_YEAR + r"年(?:\d{1,2}月?" + _SEP + r")?(\d{1,2})月", s):
        return _month(m.group(1), m.group(2))
    # 2018.1-2018.8 / 2018.1-8 / 2018-1至2018-8; but 2018-01-08 is a date (same separator twice)
    ranged = (re.search(r"((?:19|20)\d\d)[./](\d{1,2})" + _SEP + r"(?:(?:19|20)\d\d[./])?(\d{1,2})(?!\d)", s)
              or re.search(r"((?:19|20)\d\d)[-/._](\d{1,2})[~～—–至到](?:(?:19|20)\d\d[-/._])?(\d{1,2})(?!\d)", s))
    if (m := ranged) and (found := _month(m.group(1), m.group(3))):
        return found  # 2018.1-2018.8; in 2018-08-31 the 31 is a day and falls through
    if m := re.search(r"((?:19|20)\d\d)[-/._](\d{1,2})(?:[-/._]\d{1,2})?(?!\d)", s):
        return _month(m.group(1), m.group(2))
    if m := re.search(r"(?<!\d)(20\d\d)(0[1-9]|1[0-2])(?:\d\d)?(?!\d)", s):
        return _month(m.group(1), m.group(2))
    if m := re.search(r"((?:19|20)\d\d)年度?(?![\d月])", s):
        return m.group(1)
    return None


_FULL_DATE = r"(?:19|20)\d\d(?:年\d{1,2}月\d{1,2}日?|[./-]\d{1,2}[./-]\d{1,2})"


def _range_end(s: str) -> str | None:
    """The end of a date range, with the year carried over when only the start names it:
    2018年1月1日至8月31日 → 2018年8月31日; 2018.1.1-2018.8.31 → 2018.8.31."""
    m = (re.search(r"(" + _FULL_DATE + r")\s*[-~～—–至到]\s*(" + _FULL_DATE + r")", s)
         or re.search(r"((?:19|20)\d\d)年[^至到~～—–]*?[至到~～—–]\s*((?:(?:19|20)\d\d年)?\d{1,2}月(?:\d{1,2}日?)?)", s))
    if not m:
        return None
    start, end = m.group(1), m.group(2)
    if not re.match(r"(?:19|20)\d\d", end):
        end = re.match(r"(?:19|20)\d\d", start).group(0) + "年" + end
    return end


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if year < 100 else year


def _month(year: str, month: str) -> str | None:
    mm = int(month)
    return f"{_year(year):04d}-{mm:02d}" if 1 <= mm <= 12 else None


def period_from_value(value: Any) -> str | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        day = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))  # an Excel date serial
        return f"{day.year:04d}-{day.month:02d}"
    if is_text(value):
        return period_from_text(value)
    return None


def _texts_above(grid: Grid, before_row: int | None):
    """(row, column index, normalised text) of every text cell above the table (or the sheet)."""
    rows = grid.rows if before_row is None else grid.rows[: before_row - 1]
    for row in rows:
        for c, v in enumerate(row):
            if is_text(v):
                yield row, c, normalize(v)


def period_in_grid(grid: Grid, before_row: int | None) -> str | None:
    """A 报告期 / 统计时间 cell (its own text, or the next cell to its right) above the table."""
    for row, c, text in _texts_above(grid, before_row):
        m = _PERIOD_LABEL.search(_NOT_PERIOD_LABEL.sub("|", text))
        if not m:
            continue
        # what follows the label, up to another label such as 填报日期
        rest = _NOT_PERIOD_LABEL.split(text[m.end():])[0]
        if found := period_from_text(rest):
            return found
        nxt = next((x for x in row[c + 1:] if x is not None and str(x).strip()), None)
        if nxt is not None and (found := period_from_value(nxt)):
            return found
    return None


def period_in_title(grid: Grid, before_row: int | None) -> str | None:
    """Last resort: a period written in the title (…情况表（2018年8月）), not in a labelled cell."""
    for _, _, text in _texts_above(grid, before_row):
        if not _NOT_PERIOD_LABEL.search(text) and re.search(r"\d{1,2}月|年度|季度", text) \
                and (found := period_from_text(text)):
            return found
    return None


def period_from_path(path: Path, inbox_county_dir: Path | None = None) -> tuple[str | None, str | None]:
    """(from the file name, from an inbox/<code>/<period>/ folder)."""
    from_name = period_from_text(_SENT_DATE.sub("", path.stem))
    from_folder = None
    parent = path.parent
    if inbox_county_dir is None or parent != inbox_county_dir:
        from_folder = period_from_text(parent.name)
    return from_name, from_folder


def org_text(grid: Grid, before_row: int | None) -> str | None:
    """The 填报单位 line, e.g. 融安县扶贫开发领导小组办公室."""
    for row, c, text in _texts_above(grid, before_row):
        if m := _ORG_LABEL.search(text):
            rest = text[m.end():]
            if not rest:
                rest = next((normalize(x) for x in row[c + 1:] if is_text(x)), "")
            # the same cell often continues with 报告期：… or 单位：万元
            return re.split(r"报告期|统计时间|单位[:：]|时间[:：]", rest)[0]
    return None


def named_counties(text: str | None) -> set[str]:
    return county_index().named_in(text) if text else set()
