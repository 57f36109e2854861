"""locate: a Grid → the form tables in it.

Finds the header block (1–3 rows, merged cells flattened into label parts) anywhere in the top
of a sheet, recognises the form from sheet name, title and headers (synonyms in schemas/), maps
columns to canonical fields, and splits the rows below into data rows, 合计/小计 rows and the
note block that ends the table. It reads no values: that is the parse stage's job.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from pipelines.intake.read import Grid
from pipelines.parsing.values import unit_from_header, units_from_unit_line
from schemas.spec import FormSpec, all_forms

MAX_HEADER_SCAN_ROWS = 40
MAX_HEADER_DEPTH = 3
MATCH_THRESHOLD = 0.55


@dataclass
class ColumnMap:
    col: int  # 1-based sheet column
    field: str
    label: str  # header as the county wrote it, parts joined by '/'
    unit: str | None  # unit written in the header, e.g. 万元, %, 亩
    score: float


@dataclass
class Table:
    """One form table on one sheet, located but not yet parsed."""

    form: FormSpec
    sheet: str | None
    grid: Grid
    columns: dict[str, ColumnMap]  # canonical field → column
    header_rows: tuple[int, int]  # first, last (1-based)
    unit_line: tuple[str, ...]  # units of a 单位：万元 line above the table (单位：个、万元 → both)
    data_rows: list[int] = field(default_factory=list)
    total_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, label)
    labels: dict[int, str] = field(default_factory=dict)  # column → header label (all columns)


# --- normalisation ---------------------------------------------------------------------------

_QUOTE_CHARS = "\"'“”‘’「」『』"
_OPENING, _CLOSING = "〔［【｛〈《[{", "〕］】｝〉》]}"
_DROP_QUOTES = str.maketrans("", "", _QUOTE_CHARS)
_SPACES = re.compile(r"\s+")
_BRACKETS = str.maketrans(_OPENING + _CLOSING, "(" * len(_OPENING) + ")" * len(_CLOSING))
# all that _normalize changes in an NFKC text: whitespace, quotes, brackets
_SPECIAL = re.compile(f"[\\s{re.escape(_QUOTE_CHARS + _OPENING + _CLOSING)}]")
_TRAILING_BRACKET = re.compile(r"\([^()]*\)$")
# 金额 万元: a unit after a space is a unit in brackets
_SPACED_UNIT = re.compile(r"\s+(万元|亿元|千元|元|万人|人|户|个|%|亩|公顷|斤|公斤|吨|部|辆)$")


def normalize(text: Any) -> str:
    """Full-width → half-width, one kind of bracket, no spaces or quotes: how labels compare."""
    if text is None:
        return ""
    if type(text) is str:  # cell texts repeat (村 names, 合计, headers): remembered per string
        return _normalize_str(text)
    if type(text) is int or type(text) is float:
        return str(text)  # ASCII digits, sign, '.', 'e', inf/nan: nothing to normalise
    return _normalize(str(text))


def _normalize(text: str) -> str:
    if not _SPECIAL.search(text) and unicodedata.is_normalized("NFKC", text):
        return text  # nothing below would change it: the common case of a plain name
    s = unicodedata.normalize("NFKC", text).translate(_BRACKETS).strip()
    # str.split() and the regexes' \s agree on what is whitespace: without any inside,
    # there is no spaced unit and nothing for _SPACES to remove
    if len(s.split()) > 1:
        s = _SPACED_UNIT.sub(r"(\1)", s)
        return _SPACES.sub("", s.translate(_DROP_QUOTES))
    return s.translate(_DROP_QUOTES)


_normalize_str = lru_cache(maxsize=1 << 15)(_normalize)


@lru_cache(maxsize=1 << 14)
def strip_unit(label: str) -> str:
    """投入资金(万元) → 投入资金; 乡(镇) stays recognisable through its own synonym."""
    prev = None
    while prev != label:
        prev, label = label, _TRAILING_BRACKET.sub("", label)
    return label


def is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


# --- label → field scoring -------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _part_score(part: str, synonym: str) -> float:
    if not part:
        return 0.0
    return _score(part, strip_unit(part), synonym)


def _score(part: str, stripped: str, synonym: str) -> float:
    """_part_score of a non-empty part whose strip_unit is `stripped`."""
    if synonym == part or synonym == stripped:
        return 1.0
    if len(synonym) >= 2 and synonym in stripped:
        return 0.6 + 0.3 * len(synonym) / len(stripped)
    if len(synonym) >= 2 and synonym in part:  # a question in brackets: 负责人（是否党员）
        return 0.6 + 0.3 * len(synonym) / len(part)
    # ratio ≤ 2·min/(la+lb), and needs shared characters: skip hopeless pairs cheaply
    la, lb = len(stripped), len(synonym)
    if 2 * min(la, lb) < 0.75 * (la + lb) or not set(stripped) & set(synonym):
        return 0.0
    # ratio ≤ quick_ratio: the characters the two share, in any order, bound the matches
    common = sum(min(stripped.count(ch), synonym.count(ch)) for ch in set(synonym))
    if 2.0 * common / (la + lb) < 0.75:
        return 0.0
    ratio = SequenceMatcher(None, stripped, synonym).ratio()
    return ratio * 0.75 if ratio >= 0.75 else 0.0


_ENUMERATOR = re.compile(r"^(?:\d{1,2}[.、]|\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}[、.])")
_UNIT_ONLY = re.compile(r"^\(?(万元|亿元|千元|元|元/人/天|万人|人|户|个|%|亩|公顷|斤|公斤|千克|吨|部|辆|瓶|羽|只|头)\)?$")


@lru_cache(maxsize=65536)
def label_score(parts: tuple[str, ...], synonyms: tuple[str, ...]) -> float:
    """How well a (multi-row) header label names a field: the bottom part counts most."""
    best = 0.0
    parts = tuple(p for p in parts if not _UNIT_ONLY.match(p)) or parts
    for depth, part in enumerate(reversed(parts)):
        if not part:
            continue  # scores 0.0
        weight = 1.0 if depth == 0 else 0.7  # a group label above says less than the leaf
        stripped = strip_unit(part)
        la = len(stripped)
        for syn in synonyms:
            if syn not in part and syn not in stripped:  # so neither equal to them
                lb = len(syn)
                if 2 * min(la, lb) < 0.75 * (la + lb):
                    continue  # what _score returns past its length test: 0.0
            score = weight * _score(part, stripped, syn)
            if score > best:
                best = score
                if best >= 1.0:  # no part or phrase scores above 1.0
                    return best
    if len(parts) > 1:
        joined = "/".join(parts)
        # a bare 合计 under its group label reads as one phrase: 驻村工作队 + 合计 → 工作队合计
        phrase = "".join(strip_unit(p) for p in parts)
        for syn in synonyms:
            if syn == joined:
                best = max(best, 1.0)
            best = max(best, 0.9 * _part_score(phrase, syn))
    return best


@lru_cache(maxsize=64)
def _synonyms(form_name: str) -> dict[str, tuple[str, ...]]:
    words_by_field = all_forms()[form_name].synonyms
    return {name: tuple(dict.fromkeys(normalize(w) for w in words)) for name, words in words_by_field.items()}


def map_columns(labels: dict[int, tuple[str, ...]], form: FormSpec) -> dict[str, ColumnMap]:
    """One-to-one assignment of columns to fields, best matches first. When that leaves a
    required field without a column (a short synonym of an optional field took it: 销售品种 /
    购买金额), required fields choose first instead."""
    candidates = []
    scores = _field_scores(form.name, _synonyms(form.name))
    for col, parts in labels.items():
        if (matches := scores.get(parts)) is None:
            matches = scores[parts] = _matching_fields(parts, scores)
        for name, score in matches:
            candidates.append((score, -col, col, name))
    candidates.sort(reverse=True)
    mapped = _greedy(candidates, labels)
    if not form.covers_required(set(mapped)):
        required = {f.name for f in form.required}
        again = _greedy(sorted(candidates, key=lambda c: (c[3] in required, c[0], c[1]), reverse=True), labels)
        if form.covers_required(set(again)):
            return again
    return mapped


class _FieldScores(dict):
    """label parts → ((field, score), …) of the fields it names well enough, for one synonym table.

    Also an index of the synonyms by character. Every way a synonym scores above 0 — equal to
    a part, inside one, or a SequenceMatcher ratio ≥ 0.75 past the length test, which needs
    ≥ 0.6·len(synonym) matching characters — needs at least 0.6·len(synonym) of its characters
    (counted with repeats) among the label's, so a field none of whose synonyms get that far
    scores 0 and is never scored."""

    def __init__(self, synonyms: dict[str, tuple[str, ...]]):
        super().__init__()
        self.synonyms = synonyms
        self.by_char: dict[str, list[tuple[str, int]]] = {}  # character → (synonym, its count there)
        self.fields_of: dict[str, list[str]] = {}  # synonym → fields it names
        self.always: set[str] = set()  # fields with an empty synonym: always scored
        for name, words in synonyms.items():
            for word in words:
                if not word:
                    self.always.add(name)
                    continue
                if word not in self.fields_of:
                    self.fields_of[word] = []
                    for ch in dict.fromkeys(word):
                        self.by_char.setdefault(ch, []).append((word, word.count(ch)))
                self.fields_of[word].append(name)

    def candidates(self, parts: tuple[str, ...]) -> set[str]:
        """The fields whose label_score for parts can be above 0 (chars of "/".join(parts) cover
        every part, the joined label and the phrase of stripped parts)."""
        shared: dict[str, int] = {}
        for ch in set("/".join(parts)):
            for word, count in self.by_char.get(ch, ()):
                shared[word] = shared.get(word, 0) + count
        fields = set(self.always)
        for word, count in shared.items():
            if 5 * count >= 3 * len(word):
                fields.update(self.fields_of[word])
        return fields


_FIELD_SCORES: dict[str, _FieldScores] = {}


def _field_scores(form_name: str, synonyms: dict[str, tuple[str, ...]]) -> _FieldScores:
    scores = _FIELD_SCORES.get(form_name)
    # keyed by the synonym table itself, so a replaced table (tests) never reads stale scores
    if scores is None or scores.synonyms is not synonyms or len(scores) > 65536:
        scores = _FIELD_SCORES[form_name] = _FieldScores(synonyms)
    return scores


def _matching_fields(parts: tuple[str, ...], scores: _FieldScores) -> tuple[tuple[str, float], ...]:
    fields = scores.candidates(parts)  # the others score 0.0
    return tuple((name, score) for name, words in scores.synonyms.items()
                 if name in fields and (score := label_score(parts, words)) >= MATCH_THRESHOLD)


def _greedy(candidates: list[tuple[float, int, int, str]], labels: dict[int, tuple[str, ...]]) -> dict[str, ColumnMap]:
    mapped: dict[str, ColumnMap] = {}
    used: set[int] = set()
    for score, _, col, name in candidates:
        if name in mapped or col in used:
            continue
        parts = labels[col]
        unit = next((u for p in reversed(parts) if (u := unit_from_header(p))), None)
        mapped[name] = ColumnMap(col, name, "/".join(parts), unit, score)
        used.add(col)
    return mapped


# --- header block ----------------------------------------------------------------------------


def _is_numeric(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# a number written as text, as CSV cells always are: 39, 2,275户, 14.5万元, 23.68%
_NUMBER_TEXT = re.compile(r"^[-+]?\d[\d,，.]*\s*[%万亿千百元人户个部辆名村家处次只头套间座亩斤吨瓶羽箱公顷]{0,3}$")


def _looks_numeric(value: Any) -> bool:
    if type(value) is str:
        return _numeric_text(value)
    return _is_numeric(value) or (isinstance(value, str) and bool(_NUMBER_TEXT.match(normalize(value))))


@lru_cache(maxsize=1 << 14)
def _numeric_text(text: str) -> bool:
    return bool(_NUMBER_TEXT.match(normalize(text)))


def _data_like(row: list[Any]) -> bool:
    """Two or more numbers, and no `label：` cell (报告期：201808 … 电话：… is a line, not data)."""
    return (sum(_looks_numeric(v) for v in row) >= 2
            and not any(isinstance(v, str) and (":" in v or "：" in v) for v in row))


def _fill_merged(grid: Grid, first_row: int, last_row: int) -> list[list[Any]]:
    """Rows first..last with every merged range filled with its top-left value."""
    width = max((len(r) for r in grid.rows[first_row - 1:last_row]), default=0)
    block = [list(grid.rows[r - 1]) + [None] * (width - len(grid.rows[r - 1]))
             for r in range(first_row, last_row + 1)]
    for r0, c0, r1, c1 in grid.merged:
        if r1 < first_row or r0 > last_row:
            continue
        value = grid.value(r0, c0)
        for r in range(max(r0, first_row), min(r1, last_row) + 1):
            for c in range(c0, min(c1, width) + 1):
                block[r - first_row][c - 1] = value
    return block


def header_labels(grid: Grid, first: int, last: int) -> dict[int, tuple[str, ...]]:
    block = _fill_merged(grid, first, last)
    labels: dict[int, tuple[str, ...]] = {}
    for c in range(1, max((len(r) for r in block), default=0) + 1):
        parts: list[str] = []
        for row in block:
            text = normalize(row[c - 1]) if c <= len(row) and is_text(row[c - 1]) else ""
            text = _ENUMERATOR.sub("", text) or text  # 1.项目名称, (一)资金投入
            if _UNIT_ONLY.match(text) and not text.startswith("("):
                text = f"({text})"
            if text and text not in parts:
                parts.append(text)
        if parts:
            labels[c] = tuple(parts)
    return labels


def _merges_cross(grid: Grid, first: int, last: int) -> bool:
    """A merged cell that starts inside the block but ends below it: the block is cut short."""
    return any(first <= r0 <= last < r1 for r0, _, r1, _ in grid.merged)


def _title_text(grid: Grid, before_row: int) -> str:
    texts = [normalize(v) for r in grid.rows[: before_row - 1] for v in r if is_text(v)]
    return " ".join(texts)


def _form_title_bonus(form: FormSpec, sheet_name: str | None, title: str) -> float:
    names = normalize(sheet_name or "") + " " + title
    return 1.5 if any(t in names for t in form.sheet_titles) else 0.0


def locate_tables(grid: Grid) -> list[Table]:
    """Every form table on the sheet (normally one)."""
    best = _best_header(grid)
    if best is None:
        return []
    form, first, last, columns = best
    if _is_unit_row(grid.rows[last] if last < len(grid.rows) else []):
        last += 1  # a row of units (万元, 户) under the header belongs to it
        columns = map_columns(header_labels(grid, first, last), form)
    _units_from_groups_above(grid, first, columns)
    table = Table(form, grid.name, grid, columns, (first, last), _unit_line(grid, first),
                  labels={c: "/".join(p) for c, p in header_labels(grid, first, last).items()})
    _split_body(table)
    return [table]


@dataclass
class NearMiss:
    """A sheet that names a form but lacks a column the form requires: said, never guessed."""

    form: FormSpec
    missing: list[str]  # required fields with no column


def _best_header(grid: Grid, near_misses: list[NearMiss] | None = None):
    n = len(grid.rows)
    # A header sits above the first row holding two or more numbers.
    first_numeric = next((i + 1 for i, r in enumerate(grid.rows[:MAX_HEADER_SCAN_ROWS * 4])
                          if _data_like(r)), n + 1)
    limit = min(first_numeric - 1, MAX_HEADER_SCAN_ROWS, n)
    best = None
    best_key = (0.0,)
    forms = list(all_forms().values())
    # a sheet whose name or title names a form is read as that form, or not at all: a guess
    # at another form that happens to cover its required columns is worse than no table
    # the texts of each row above the limit, normalised once: titles are joined from them
    row_texts = [[normalize(v) for v in r if is_text(v)] for r in grid.rows[:limit]]
    top = " ".join(t for texts in row_texts for t in texts)  # _title_text(grid, limit + 1)
    named = [f for f in forms if _form_title_bonus(f, grid.name, top)]
    forms = named or forms
    for first in range(1, limit + 1):
        if sum(is_text(v) for v in grid.rows[first - 1]) < 2 or _is_meta_line(grid.rows[first - 1]):
            continue
        title = None  # _title_text(grid, first), joined when a form first needs it
        bonus: dict[str, float] = {}
        for last in range(first, min(first + MAX_HEADER_DEPTH - 1, limit) + 1):
            if any(_is_numeric(v) for v in grid.rows[last - 1]) or _is_meta_line(grid.rows[last - 1]):
                break
            if _merges_cross(grid, first, last):
                continue
            labels = header_labels(grid, first, last)
            for form in forms:
                columns = map_columns(labels, form)
                if not form.covers_required(set(columns)) or len(columns) < 2:
                    if near_misses is not None and named and len(columns) >= 2:
                        near_misses.append(NearMiss(form, form.uncovered_required(set(columns))))
                    continue
                if form.name not in bonus:
                    if title is None:
                        title = " ".join(t for texts in row_texts[:first - 1] for t in texts)
                    bonus[form.name] = _form_title_bonus(form, grid.name, title)
                score = sum(c.score for c in columns.values()) + bonus[form.name]
                # ties: fewer header rows, then the higher block
                key = (round(score, 6), -(last - first), -first)
                if key > best_key:
                    best_key, best = key, (form, first, last, columns)
    return best


# 填报单位：某县扶贫办 | 报告期：2018年8月 | 单位：万元 — what a form says about itself above its
# header. A row made only of such `label：value` cells is never a header row: its words (单位!)
# would otherwise be read as column labels of the columns below them.
_META_LABEL = re.compile(
    r"^(填报单位|报送单位|填表单位|制表单位|单位名称|(计量|金额)?单位|报告期|报告时间|统计时间|统计期|"
    r"统计截止|统计截至|截止日期|截至日期|统计日期|报表期|所属期|统计月份|报告月份|填报日期|填表日期|"
    r"报送日期|填报时间|报送时间|填表人|填报人|制表人|审核人|负责人|联系人|联系电话|电话)"
    r"(\([^():]{0,8}\))?:")


def _is_meta_line(row: list[Any]) -> bool:
    cells = [v for v in row if not is_blank(v)]
    return bool(cells) and all(is_text(v) and _META_LABEL.match(normalize(v)) for v in cells)


def missing_required(grid: Grid) -> NearMiss | None:
    """Why a sheet that names a form holds no table: the form and the required columns it lacks."""
    misses: list[NearMiss] = []
    if _best_header(grid, misses) is not None or not misses:
        return None
    return min(misses, key=lambda m: len(m.missing))


def _unit_line(grid: Grid, header_first: int) -> tuple[str, ...]:
    """单位：万元 above the table, in one cell or as 单位： | 万元 in two."""
    for r in grid.rows[: header_first - 1]:
        for i, v in enumerate(r):
            if not is_text(v):
                continue
            if units := units_from_unit_line(v):
                return tuple(units)
            if re.search(r"(?<!填报)(?<!报送)(?<!填表)单位[:：]?$", normalize(v)):
                nxt = next((x for x in r[i + 1:] if is_text(x)), None)
                if nxt and (units := units_from_unit_line(f"单位：{nxt}")):
                    return tuple(units)
    return ()


def _is_unit_row(row: list[Any]) -> bool:
    cells = [normalize(v) for v in row if not is_blank(v)]
    return bool(cells) and all(isinstance(v, str) and _UNIT_ONLY.match(v) for v in cells)


def _units_from_groups_above(grid: Grid, first: int, columns: dict[str, ColumnMap]) -> None:
    """资金投入（万元） merged over 金额 | 资金来源 above the chosen header: its unit counts."""
    for col in columns.values():
        if col.unit:
            continue
        for r0, c0, r1, c1 in grid.merged:
            if c0 < c1 and r0 <= first - 1 <= r1 and first - 2 <= r0 and c0 <= col.col <= c1:
                col.unit = unit_from_header(normalize(grid.value(r0, c0)))
                break


# --- body: data, totals, notes ---------------------------------------------------------------

_NOTE = re.compile(
    r"^(注|备注|附注|说明|填表说明|填表人|填报人|审核人|审核|复核人|核对人|制表人|制表|统计人|统计员|经办人|"
    r"负责人|单位负责人|主要负责人|分管领导|领导签字|签发人|联系人|联系电话|联系方式|电话|手机|"
    r"填报日期|填表日期|报送日期|填报时间|报送时间|数据来源|资料来源|单位\(盖章\)|(填报)?单位盖章)[:：]?"
    r"|^注\d|^\d+[.、]本表|^[※*]")
# below the last data row, a lone `label：…`, phone number or date is a note too
_LABEL_LINE = re.compile(r"^[\u4e00-\u9fff()]{1,10}[:：]|^[\d\-() ]{7,}$|^\d{4}[年.\-/]\d{1,2}")
_TOTAL = re.compile(r"^(.{0,12}(合计|小计|总计|共计|汇总)数?|总合计)$")


def _total_columns(table: Table) -> set[int]:
    """Where a 合计 label can stand: text columns and columns no field claims (序号)."""
    numeric = {c.col for c in table.columns.values() if table.form.field(c.field).kind != "text"}
    width = max(map(len, table.grid.rows), default=0)
    return {c for c in range(1, width + 1) if c not in numeric}


def total_label(row: list[Any], columns: list[int]) -> str | None:
    """The first cell, left to right among `columns` (sorted), that reads as a 合计/小计 label."""
    width = len(row)
    for c in columns:
        if c > width:
            break
        v = row[c - 1]
        # cheap test first: every total label holds 计 (合计/小计/总计/共计) or 汇 (汇总)
        if isinstance(v, str) and ("计" in v or "汇" in v):
            label = _total_text(v) if type(v) is str else _total_text.__wrapped__(v)
            if label is not None:
                return label
    return None


@lru_cache(maxsize=1 << 14)
def _total_text(text: str) -> str | None:
    """The normalised label when a cell text reads as a 合计/小计 label."""
    label = normalize(text)
    return label if _TOTAL.match(strip_unit(label).rstrip(":：")) else None


def _breakdown_label(row: list[Any], columns: set[int]) -> str | None:
    """其中：财政 under a 合计 row: a breakdown of the total, recognised like it, never data."""
    for c, v in enumerate(row, start=1):
        if c in columns and isinstance(v, str) and normalize(v).startswith("其中"):
            return normalize(v)
    return None


def _opens_note(first: Any) -> bool:
    """The first filled cell of a row opens a note (注：, 填表人：, 1.本表…)."""
    return isinstance(first, str) and (_note_text(first) if type(first) is str else bool(_NOTE.match(normalize(first))))


# the first characters of _NOTE's words (注, 备注, 填表人, 单位负责人, …): a normalised note
# starts with one of them, a digit, ※ or *
_NOTE_FIRST = frozenset("注备附说填审复核制统经负单主分领签联电手报数资")


@lru_cache(maxsize=1 << 14)
def _note_text(text: str) -> bool:
    first = text[:1]
    if "\u4e00" <= first <= "\u9fff" and first not in _NOTE_FIRST:
        # a CJK ideograph is its own normal form and nothing before it is stripped: the
        # normalised text starts with it too, so it is no note (村 and project names, mostly)
        return False
    return bool(_NOTE.match(normalize(text)))


def _is_trailing_label(row: list[Any]) -> bool:
    cells = [v for v in row if not is_blank(v)]
    return len(cells) <= 2 and all(_LABEL_LINE.match(normalize(v)) for v in cells)


def _is_column_numbers(row: list[Any]) -> bool:
    """A 栏次 row under the header — 1 2 3 …, 甲 乙 丙 …, 甲 乙 1 2 3 …, 栏次 | 1 | 2 … —
    is layout, not data."""
    cells = [normalize(v) if isinstance(v, str) else v for v in row if not is_blank(v)]
    if cells and cells[0] == "栏次":
        cells = cells[1:]
    letters = ""
    while cells and isinstance(cells[0], str) and len(cells[0]) == 1 and cells[0] in "甲乙丙丁戊己庚辛壬癸":
        letters += cells.pop(0)
    if letters and letters not in "甲乙丙丁戊己庚辛壬癸":
        return False
    if not cells:
        return len(letters) >= 3
    if len(cells) + len(letters) < 3:
        return False
    try:
        numbers = [int(float(v)) for v in cells if float(v) == int(float(v))]
    except (TypeError, ValueError):
        return False
    return len(numbers) == len(cells) and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _split_body(table: Table) -> None:
    grid = table.grid
    rows = grid.rows
    header_last = table.header_rows[1]
    mapped_cols = sorted(c.col for c in table.columns.values())
    header_texts = {c: normalize(grid.value(header_last, c)) for c in mapped_cols}
    numeric_cols = [c.col for c in table.columns.values() if table.form.field(c.field).kind != "text"]
    last_data = next((r for r in range(len(rows), header_last, -1)
                      if any(_looks_numeric(grid.value(r, c)) for c in numeric_cols)), 0)
    total_columns = _total_columns(table)
    total_cols = sorted(total_columns)
    # the header texts a repeated header (page break in a printed form) repeats, first one first
    header_cells = [(c - 1, t) for c in mapped_cols if (t := header_texts[c])]
    i0, t0 = header_cells[0] if header_cells else (0, None)
    mapped_idx = [c - 1 for c in mapped_cols]
    data_rows, total_rows = table.data_rows, table.total_rows
    previous = None  # the last non-blank row of the body
    # cheapest checks first; results per cell text are remembered (_note_text, _total_text)
    for r, row in enumerate(rows[header_last:], start=header_last + 1):
        for first in row:  # the first filled cell (is_blank, inline: this loop is per row)
            if first is not None and (not isinstance(first, str) or first.strip()):
                break
        else:
            continue  # a blank row
        if _opens_note(first):
            break
        if r > last_data and _is_trailing_label(row):
            break
        if r == header_last + 1 and _is_column_numbers(row):
            continue
        width = len(row)
        # a repeated header is layout, not data
        if t0 is not None:
            v = row[i0] if i0 < width else None
            if (_normalize_str(v) if type(v) is str else normalize(v)) == t0 and \
                    all(normalize(row[i] if i < width else None) == t for i, t in header_cells):
                continue
        for i in mapped_idx:
            if i < width and (v := row[i]) is not None and (not isinstance(v, str) or v.strip()):
                break
        else:
            # nothing in any mapped column (e.g. only a 序号): not a row of this table
            continue
        label = total_label(row, total_cols)
        if label is None and total_rows and total_rows[-1][0] == previous:
            label = _breakdown_label(row, total_columns)
        if label:
            total_rows.append((r, label))
        else:
            data_rows.append(r)
        previous = r
