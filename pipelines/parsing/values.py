"""Read one cell as the kind of value a canonical field expects (CONTRACT.md, "Value parsing").

County clerks type numbers the way reports print them: "近700万元", "1,492万", "２万元至１０万元不等",
"一千四百九十二万元", padded with U+3000 or NBSP. Excel hands numeric cells over as int/float.
Every parser here returns None for a missing value, a typed value, or raises `Unparseable`
(the parse stage turns that into an `unparseable_value` issue on the cell).

Money is exact: Decimal throughout, floats enter as Decimal(repr(x)), yuan rounded to 2 decimals
ROUND_HALF_UP. Range checks (negative counts, min > max, % over 100) are not done here.

One grammar serves every numeric kind:

    [prefix qualifier] AMOUNT [sep AMOUNT] [suffix qualifier] [per-unit suffix]
    AMOUNT = [sign] (digits | 中文数字) [余|多] [万|亿|千|百万…] [余|多] [unit word]

Qualifiers (近/约/以上/不足/…) and bands (a–b) are meaningful for money only. The other kinds
accept approximate words and drop them ("约322人" -> 322, the number the county gave) but refuse
bounds and bands ("300余人", "2-5户"): a bound is not a count, so the county is asked for one.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import numbers
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

__all__ = [
    "Money",
    "Quantity",
    "Unparseable",
    "is_error_value",
    "is_missing",
    "normalize_text",
    "parse_area_mu",
    "parse_bool",
    "parse_chinese_numeral",
    "parse_count",
    "parse_date",
    "parse_money",
    "parse_number",
    "parse_percent",
    "parse_quantity",
    "parse_text",
    "parse_year",
    "simple_money",
    "unit_from_header",
    "unit_from_unit_line",
    "units_from_unit_line",
]


class Unparseable(ValueError):
    """A non-missing value that cannot be read as the expected kind.

    `raw` is the cell as text (as the county wrote it), `kind` one of 'money', 'count',
    'number', 'percent', 'quantity', 'area', 'date', 'bool', 'year'.
    """

    def __init__(self, raw: str, kind: str, reason: str | None = None):
        self.raw = raw
        self.kind = kind
        self.reason = reason
        super().__init__(f"cannot read {raw!r} as {kind}" + (f": {reason}" if reason else ""))


# --- text normalisation ----------------------------------------------------------------------

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def _build_translation() -> dict[int, int | str | None]:
    table: dict[int, int | str | None] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
    # every Unicode space sits below U+3001 (NBSP, U+2000–U+200A, U+202F, U+205F, U+3000, …)
    table.update({cp: " " for cp in range(0x3001) if chr(cp).isspace()})
    table.update({ord(c): None for c in _ZERO_WIDTH})
    return table


_TRANSLATION = _build_translation()


def _char_class(codepoints) -> str:
    """A regex character class of exactly these code points, as ranges: '[\\t-\\r\\x1c-\\ …]'."""
    runs: list[list[int]] = []
    for cp in sorted(codepoints):
        if runs and runs[-1][1] == cp - 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return "[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in runs) + "]"


# A text with none of these is its own normalize_text: translate leaves it as it is, and strip has
# nothing to strip (every character str.strip removes, str.isspace, is a key of _TRANSLATION).
_TRANSLATED_RE = re.compile(_char_class(_TRANSLATION))


def normalize_text(value: Any) -> str:
    """str(value) with full-width ASCII made half-width, every Unicode space a ' ', stripped.

    None gives '' (a cell that holds nothing has no text; 'None' would be a lie).
    """
    if value is None:
        return ""
    return str(value).translate(_TRANSLATION).strip()


_ASCII_DIGITS = frozenset("0123456789")
_MISSING_RE = re.compile(r"[-—–―−─]+|/|\\|无")
_EXCEL_ERRORS = frozenset(
    {"#REF!", "#DIV/0!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!",
     "#SPILL!", "#CALC!", "#GETTING_DATA"}
)


def is_missing(value: Any) -> bool:
    """None, NaN, blank, or a clerk's "nothing here" mark ('-', '—', '/', '无', '——', …)."""
    if value is None:
        return True
    kind = type(value)
    if kind is str:
        if value[:1] in _ASCII_DIGITS:  # normalize_text keeps a leading digit; no mark starts with one
            return False
        text = normalize_text(value)
        return text == "" or _MISSING_RE.fullmatch(text) is not None
    if kind is float or kind is int:
        return math.isnan(value)
    if isinstance(value, Decimal):
        return value.is_nan()
    if isinstance(value, numbers.Real):  # float and numpy scalars; an int is never NaN
        return math.isnan(value)
    if isinstance(value, dt.date):
        return False
    text = normalize_text(value)
    return text == "" or _MISSING_RE.fullmatch(text) is not None


def is_error_value(value: Any) -> bool:
    """An Excel error as cached formula value ('#REF!', '#DIV/0!', …)."""
    return isinstance(value, str) and normalize_text(value).upper() in _EXCEL_ERRORS


def _raw_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_number(value: Any) -> bool:
    """An int/float/Decimal cell (numpy scalars too). bool is an int subclass, but TRUE in an
    amount column is not an amount."""
    kind = type(value)
    if kind is str:
        return False
    if kind is float or kind is int or kind is Decimal:
        return True
    return isinstance(value, (numbers.Real, Decimal)) and not isinstance(value, bool)


def _decimal_from_number(value: numbers.Real | Decimal, kind: str) -> Decimal:
    if type(value) is float:  # the common cell, as below
        if not math.isfinite(value):
            raise Unparseable(_raw_text(value), kind, "not a finite number")
        return Decimal(float.__repr__(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise Unparseable(str(value), kind, "not a finite number")
        return value
    if isinstance(value, numbers.Integral):
        return Decimal(int(value))
    number = float(value)
    if not math.isfinite(number):
        raise Unparseable(_raw_text(value), kind, "not a finite number")
    # the shortest text that round-trips: 0.1492 stays 0.1492, not 0.149199999999999994…
    # (float.__repr__, because numpy 2 scalars repr as 'np.float64(0.1492)')
    return Decimal(float.__repr__(number))


def _tidy(number: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (12000, not 1.2E+4)."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


# --- units -----------------------------------------------------------------------------------

_MULTIPLIER_DIGITS = {"百": 100, "千": 1000, "万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}

# written unit -> canonical unit (ASCII keys are matched lower-case)
_UNIT_ALIASES = {
    "块": "元", "块钱": "元", "圆": "元",
    "千克": "公斤", "kg": "公斤", "市斤": "斤", "g": "克", "t": "吨", "ton": "吨", "tons": "吨",
    "mu": "亩", "ha": "公顷", "hm2": "公顷", "hm²": "公顷", "m2": "平方米", "m²": "平方米", "㎡": "平方米",
    "km2": "平方公里", "km²": "平方公里", "平方千米": "平方公里",
    "百分点": "%", "个百分点": "%",
}
_MONEY_UNITS = ("元", "块钱", "块", "圆")
_WEIGHT_KG = {"斤": Decimal("0.5"), "两": Decimal("0.05"), "公斤": Decimal(1), "克": Decimal("0.001"),
              "吨": Decimal(1000)}
_AREA_MU = {"亩": Decimal(1), "公顷": Decimal(15), "平方米": Decimal("0.0015"), "平方公里": Decimal(1500)}
_WEIGHT_UNITS = ("斤", "市斤", "两", "公斤", "千克", "克", "吨", "kg", "g", "t", "ton", "tons")
_AREA_UNITS = ("亩", "公顷", "平方米", "平方公里", "平方千米", "㎡", "m2", "m²", "km2", "km²", "hm2", "hm²",
               "ha", "mu")
_COUNT_UNITS = ("人次", "户次", "个村", "个人", "名", "人", "户", "个", "部", "辆", "村", "家", "处", "次", "只",
                "头", "套", "间", "座", "位", "所", "项", "台", "件", "株", "棵", "条", "匹", "口", "羽", "艘",
                "架", "张", "支", "批", "宗", "期", "场", "班", "队")
_PERCENT_UNITS = ("%", "‰", "个百分点", "百分点")
_PRODUCT_UNITS = ("瓶", "箱", "袋", "盒", "罐", "包", "桶", "筐", "份", "枝", "提", "篮", "板", "盆", "kg")
_KNOWN_UNITS = frozenset(
    u.lower() for u in (*_MONEY_UNITS, *_WEIGHT_UNITS, *_AREA_UNITS, *_COUNT_UNITS, *_PERCENT_UNITS,
                        *_PRODUCT_UNITS)
)
_UNIT_WITH_MULTIPLIER_RE = re.compile(r"([百千]?[万亿萬億]|千|百)(.*)")


def _canonical_unit(unit: str) -> str:
    unit = normalize_text(unit)
    return _UNIT_ALIASES.get(unit.lower(), _UNIT_ALIASES.get(unit, unit))


def _multiplier_value(text: str) -> Decimal:
    factor = 1
    for ch in text:
        factor *= _MULTIPLIER_DIGITS[ch]
    return Decimal(factor)


@functools.lru_cache(maxsize=1024)
def _split_unit(unit: str | None) -> tuple[Decimal, str | None]:
    """'万元' -> (10000, '元'); '公顷' -> (1, '公顷'); '千克' -> (1, '公斤'); None -> (1, None)."""
    if unit is None or not normalize_text(unit):
        return Decimal(1), None
    canonical = _canonical_unit(unit)
    if canonical.lower() in _KNOWN_UNITS or canonical in _WEIGHT_KG or canonical in _AREA_MU:
        return Decimal(1), canonical
    m = _UNIT_WITH_MULTIPLIER_RE.fullmatch(canonical)
    if m:
        rest = _canonical_unit(m.group(2)) if m.group(2) else None
        return _multiplier_value(m.group(1)), rest
    return Decimal(1), canonical


def _is_unit(text: str) -> bool:
    """A unit as written in a header: 元, 万元, %, 亩, 公顷, 斤, 户, 万人, kg, …"""
    text = normalize_text(text)
    if not text:
        return False
    if text.lower() in _KNOWN_UNITS:
        return True
    m = _UNIT_WITH_MULTIPLIER_RE.fullmatch(text)
    return bool(m) and (m.group(2) == "" or m.group(2).lower() in _KNOWN_UNITS)


_BRACKETED_RE = re.compile(r"[(\[【〔〈《{]([^()\[\]【】〔〕〈〉《》{}]*)[)\]】〕〉》}]")
_UNIT_LABEL_RE = re.compile(r"^(?:计量|金额)?单位\s*:\s*")
# 单位：万元 — but not the 单位 of 填报单位/报送单位/填表单位/制表单位
_UNIT_LINE_RE = re.compile(r"(?<!填报)(?<!报送)(?<!填表)(?<!制表)(?<!申报)单位\s*:\s*([^\s,;:()\[\]【】]+)")


def unit_from_header(header: str) -> str | None:
    """The unit a header names: '投入资金（万元）' -> '万元', '伙食补贴（元/人/天）' -> '元'.

    Only known units count, so '类型（合作社/龙头企业）' has none.
    """
    text = normalize_text(header)
    candidates = [_UNIT_LABEL_RE.sub("", c.strip()) for c in _BRACKETED_RE.findall(text)]
    outside = _BRACKETED_RE.sub("", text)
    if "/" in outside:  # '金额/万元'
        candidates.append(outside.split("/", 1)[1])
    for candidate in candidates:
        for part in (candidate, *candidate.split("/")):  # '元/人/天' -> '元'
            if _is_unit(part):
                return part.strip()
    if outside.endswith(("%", "‰")):  # '贫困发生率%'
        return outside[-1]
    return None


def units_from_unit_line(text: str) -> list[str]:
    """Every unit a 单位 line names: '单位：个、万元' -> ['个', '万元']; '填报单位：某县扶贫办' -> []."""
    units = []
    for m in _UNIT_LINE_RE.finditer(normalize_text(text)):
        units += [u for u in re.split(r"[、/,，]", m.group(1)) if _is_unit(u)]
    return units


def unit_from_unit_line(text: str) -> str | None:
    """'单位：万元' / '金额单位:元' above a table -> the unit; '填报单位：某县扶贫办' -> None."""
    units = units_from_unit_line(text)
    return units[0] if units else None


# --- Chinese numerals ------------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
# financial (大写) and traditional forms -> everyday forms
_CN_VARIANTS = str.maketrans({
    "〇": "零", "壹": "一", "贰": "二", "貳": "二", "兩": "两", "叁": "三", "參": "三", "肆": "四", "伍": "五",
    "陆": "六", "陸": "六", "柒": "七", "捌": "八", "玖": "九", "拾": "十", "佰": "百", "仟": "千",
    "萬": "万", "億": "亿", "點": "点",
})
_CN_NUMERAL_CHARS = "零〇一二两兩三四五六七八九十百千万亿萬億点點壹贰貳叁參肆伍陆陸柒捌玖拾佰仟"


def _cn_section(text: str, raw: str, abbreviation_scale: int | None) -> int:
    """A group below 万: '三百二十二', '十二', '两千零五'; colloquial '三百五' = 350.

    `abbreviation_scale` reads a lone digit right after 万/亿 ('一万二' = 12000).
    """
    value = 0
    digit: int | None = None
    last_unit = 10_000
    after_zero = False
    for ch in text:
        if ch == "零":
            if digit is not None:
                raise Unparseable(raw, "number", "a digit followed by 零")
            after_zero = True
        elif ch in _CN_DIGITS:
            if digit is not None:
                raise Unparseable(raw, "number", "two digits in a row")
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL_UNITS:
            unit = _CN_SMALL_UNITS[ch]
            if unit >= last_unit:
                raise Unparseable(raw, "number", "units out of order")
            if digit is None:
                if unit != 10:  # 十二 is fine, a bare 百 is not
                    raise Unparseable(raw, "number", f"{ch} without a digit")
                digit = 1
            value += digit * unit
            digit, last_unit, after_zero = None, unit, False
        else:
            raise Unparseable(raw, "number", f"{ch!r} is not a Chinese numeral")
    if digit is not None:
        if after_zero or last_unit == 10:
            value += digit
        elif last_unit <= 1000:
            value += digit * last_unit // 10
        else:
            value += digit * (abbreviation_scale or 1)
    return value


def _cn_below_yi(text: str, raw: str, abbreviation_scale: int | None) -> int:
    high, wan, low = text.partition("万")
    if not wan:
        return _cn_section(text, raw, abbreviation_scale)
    if not high or "万" in low:
        raise Unparseable(raw, "number", "misplaced 万")
    return _cn_section(high, raw, None) * 10**4 + _cn_section(low, raw, 1000)


def _cn_integer(text: str, raw: str) -> int:
    if not text:
        raise Unparseable(raw, "number", "no digits")
    high, yi, low = text.partition("亿")
    if not yi:
        return _cn_below_yi(text, raw, None)
    if not high or "亿" in low:
        raise Unparseable(raw, "number", "misplaced 亿")
    return _cn_below_yi(high, raw, None) * 10**8 + _cn_below_yi(low, raw, 10**7)


def parse_chinese_numeral(text: str) -> Decimal:
    """'三百二十二' -> 322, '一万二千' -> 12000, '零点五' -> 0.5, '壹仟肆佰玖拾贰' -> 1492."""
    raw = str(text)
    cleaned = normalize_text(text).replace(" ", "").translate(_CN_VARIANTS)
    negative = cleaned.startswith(("负", "-"))
    if negative:
        cleaned = cleaned[1:]
    whole, point, fraction = cleaned.partition("点")
    number = Decimal(_cn_integer(whole, raw))
    if point:
        if not fraction or any(ch not in _CN_DIGITS or ch == "两" for ch in fraction):
            raise Unparseable(raw, "number", "digits after 点 must be 零…九")
        number += Decimal("0." + "".join(str(_CN_DIGITS[ch]) for ch in fraction))
    return -number if negative else number


# --- the numeric phrase grammar --------------------------------------------------------------

def _alternation(words) -> str:
    # longest first, so 不超过 is tried before 超过
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_PREFIX_QUALIFIERS = {
    **dict.fromkeys(("近", "约", "大约", "大概", "将近", "接近", "约合", "约为", "估计", "预计", "差不多"), "approx"),
    **dict.fromkeys(("超过", "超", "逾", "大于", "多于", "高于", "不少于", "不低于", "至少", ">", ">=", "≥"),
                    "at_least"),
    **dict.fromkeys(("不足", "不到", "不超过", "不高于", "低于", "少于", "小于", "未满", "未达", "最多", "至多",
                     "<", "<=", "≤"), "at_most"),
}
_SUFFIX_QUALIFIERS = {
    **dict.fromkeys(("左右", "上下", "许"), "approx"),
    **dict.fromkeys(("以上", "有余", "出头", "余", "多"), "at_least"),
    **dict.fromkeys(("以下", "以内", "之内"), "at_most"),
    **dict.fromkeys(("不等", "之间", "间"), "range"),
    **dict.fromkeys(("整", "正"), None),  # 大写 amounts end in 整: "exactly"
}
_MULTIPLIER = r"[百千]?[万亿萬億]|百|千(?!克)"  # 千克 is a unit, 千元 is 千 × 元
_DIGITS = r"(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?"
_RANGE_SEP = r"[-—–―−~〜]{1,2}|至|到"
_PER_SUFFIX = r"(?:(?:/|每)[\u4e00-\u9fffA-Za-z·]{1,3})+"  # 元/人/天, 元每人每天
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# a product unit nobody listed: one Chinese character that is not a numeral or qualifier
_OPEN_UNIT = r"(?![" + _CN_NUMERAL_CHARS + r"余多以上下左右不等之间近约超逾足至到每整正许])[\u4e00-\u9fff]"


def _unit_alternation(*groups: tuple[str, ...]) -> str:
    words = {w for g in groups for w in g}
    ascii_words = {w for w in words if w.isascii() and w.isalpha()}
    return "|".join(
        [f"(?i:{w})" if w in ascii_words else re.escape(w) for w in sorted(words, key=len, reverse=True)]
    )


def _amount_pattern(tag: str, unit_pattern: str, lead: str) -> str:
    return (
        rf"(?P<{tag}_sign>[+-]|负)?" + lead.replace("{tag}", tag) +
        rf"(?:(?P<{tag}_digits>{_DIGITS})|(?P<{tag}_cn>[{_CN_NUMERAL_CHARS}]+))"
        rf"(?P<{tag}_more1>[余多])?"
        rf"(?P<{tag}_mult>{_MULTIPLIER})?"
        rf"(?P<{tag}_more2>[余多])?"
        rf"(?P<{tag}_unit>{unit_pattern})?"
    )


def _phrase_re(unit_pattern: str, *, per_suffix: bool, currency: bool = False, lead: str = "") -> re.Pattern:
    pattern = (
        rf"(?P<pre>{_alternation(_PREFIX_QUALIFIERS)})?"
        + (r"(?:[¥￥]|RMB|人民币)?" if currency else "")
        + _amount_pattern("a", unit_pattern, lead)
        + rf"(?:(?P<sep>{_RANGE_SEP})"
        + (r"(?:[¥￥]|RMB|人民币)?" if currency else "")
        + _amount_pattern("b", unit_pattern, lead) + ")?"
        + rf"(?P<post>{_alternation(_SUFFIX_QUALIFIERS)})?"
        + (rf"(?P<per>{_PER_SUFFIX})?" if per_suffix else "")
    )
    return re.compile(pattern)


_MONEY_RE = _phrase_re(_unit_alternation(_MONEY_UNITS), per_suffix=True, currency=True)
_COUNT_RE = _phrase_re(_unit_alternation(_COUNT_UNITS), per_suffix=False)
_PERCENT_RE = _phrase_re(_unit_alternation(_PERCENT_UNITS), per_suffix=False, lead="(?P<{tag}_pct>百分之)?")
_AREA_RE = _phrase_re(_unit_alternation(_AREA_UNITS), per_suffix=False)
_QUANTITY_RE = _phrase_re(
    _unit_alternation(_WEIGHT_UNITS, _AREA_UNITS, _PRODUCT_UNITS, _COUNT_UNITS) + "|" + _OPEN_UNIT,
    per_suffix=False,
)
_NUMBER_RE = _phrase_re(
    _unit_alternation(_WEIGHT_UNITS, _AREA_UNITS, _PRODUCT_UNITS, _COUNT_UNITS, _PERCENT_UNITS, _MONEY_UNITS)
    + "|" + _OPEN_UNIT,
    per_suffix=True,
)
_BIG_UNIT_TAIL_RE = re.compile(r"(.+?)([万亿]+)")
_BIG_UNIT_RE = re.compile(r"[万亿]")


@dataclass(frozen=True)
class _Reading:
    """One number as written: value with the cell's own multiplier applied."""

    value: Decimal
    multiplier: Decimal  # the 万/亿/千 written after the number (1 if none)
    has_magnitude: bool  # a 万/亿/千 is written in the cell, so a header 万元 must not apply again
    unit: str | None  # canonical unit word written in the cell

    @property
    def bare(self) -> bool:
        return not self.has_magnitude and self.unit is None

    def inherit(self, other: _Reading) -> _Reading:
        """'2-10万元': the bare end takes the other end's multiplier and unit."""
        if not self.bare:
            return self
        return _Reading(self.value * other.multiplier, other.multiplier, other.has_magnitude, other.unit)


@dataclass(frozen=True)
class _Phrase:
    low: _Reading
    high: _Reading | None  # second end of an a–b band
    qualifier: str | None


def _compact(text: str) -> str:
    """Spaces and thousands separators out: '1 492万' and '1,492万' both read '1492万'."""
    return _THOUSANDS_RE.sub("", text.replace(" ", ""))


def _cn_number_and_multiplier(cn: str) -> tuple[Decimal, Decimal]:
    """A Chinese numeral with any trailing 万/亿 split off as its multiplier, so that the bare end of
    '二至十万元' can share it: '一千四百九十二万' -> (1492, 10000)."""
    tail = _BIG_UNIT_TAIL_RE.fullmatch(cn)
    if tail and not _BIG_UNIT_RE.search(tail.group(1)):
        return parse_chinese_numeral(tail.group(1)), _multiplier_value(tail.group(2))
    try:
        return parse_chinese_numeral(cn), Decimal(1)  # '一亿二千万', '一万二千'
    except Unparseable:
        if not tail:
            raise
    return parse_chinese_numeral(tail.group(1)), _multiplier_value(tail.group(2))  # '一万零一万'


def _reading(m: re.Match, tag: str, raw: str, kind: str) -> _Reading:
    digits, cn, mult = m.group(f"{tag}_digits"), m.group(f"{tag}_cn"), m.group(f"{tag}_mult")
    has_magnitude = bool(mult)
    multiplier = _multiplier_value(mult) if mult else Decimal(1)
    if digits is not None:
        number = Decimal(digits)
    else:
        cn = cn.translate(_CN_VARIANTS)
        try:
            number, cn_multiplier = _cn_number_and_multiplier(cn)
        except Unparseable as exc:
            raise Unparseable(raw, kind, exc.reason) from None
        multiplier *= cn_multiplier
        has_magnitude = has_magnitude or bool(_BIG_UNIT_RE.search(cn))
    if m.group(f"{tag}_sign") in ("-", "负"):
        number = -number
    unit = m.group(f"{tag}_unit")
    if m.groupdict().get(f"{tag}_pct"):  # 百分之七十四点八
        if unit:
            raise Unparseable(raw, kind, "百分之 and a unit")
        unit = "%"
    return _Reading(number * multiplier, multiplier, has_magnitude, _canonical_unit(unit) if unit else None)


_INCLUSION_NOTE = re.compile(r"\(\s*不?含[^()]*\)")  # 5万元（含）以上, 2万-5万元（不含5万）
_ACCOUNTING_NEGATIVE = re.compile(r"^\(\s*([\d.,]+)\s*\)$")  # (183.27) is -183.27
_BRACKETED_UNIT = re.compile(r"^([\d.,]+)\s*\(([^()\d.,]{1,3})\)$")  # 1941（户）


def _clerk_spelling(text: str) -> str:
    """Official and accounting spellings → the forms the number grammar reads."""
    text = text.replace("−", "-")
    text = _INCLUSION_NOTE.sub("", text).replace("及以上", "以上").replace("及以下", "以下")
    text = _ACCOUNTING_NEGATIVE.sub(r"-\1", text)
    return _BRACKETED_UNIT.sub(r"\1\2", text)


# The common cell — '42人', '1,492万元', '447.09万元', '27.4%', '-3.5', '约750万' — read without the
# full grammar. It is the full grammar's reading, not a second one: a cell of the shape
#     [约] [+-] DIGITS TAIL
# (DIGITS: ASCII digits, thousands commas only in groups of three, an optional fraction; TAIL: up
# to 8 letters, %, ‰, ㎡, ² or CJK ideographs other than 及, no digits, '.', ',', spaces or
# brackets) is left as it is by normalize_text, _clerk_spelling and _compact (bar its commas),
# and the phrase pattern can only read it as a_digits = DIGITS (nothing after the number reads a
# digit, '.' or ',', and an exponent needs digits TAIL does not have), so what the pattern makes
# of TAIL is what it makes of TAIL in '1' + TAIL. `_simple_tail` asks the full path that once per
# (pattern, TAIL) and keeps the multiplier, magnitude and unit when '1' + TAIL is a plain
# unqualified number. Anything else takes the full path.
_FAST_PATH = True  # tests switch it off to compare with _read_phrase_full alone
_SIMPLE_RE = re.compile(
    r"(约)?([+-])?((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)"
    r"([A-Za-z%‰㎡²\u4e00-\u53c9\u53cb-\u9fff]{0,8})"  # U+53CA 及 (及以上) is _clerk_spelling's
)


# (id(pattern), tail) -> (pattern, reading); not lru_cache: hashing a compiled pattern hashes its code
_SIMPLE_TAILS: dict[tuple[int, str], tuple[re.Pattern, tuple[Decimal, bool, str | None] | None]] = {}
_SIMPLE_TAILS_MAX = 4096


def _simple_tail(pattern: re.Pattern, kind: str, tail: str) -> tuple[Decimal, bool, str | None] | None:
    """(multiplier, has_magnitude, unit) the full path reads in '1' + tail, if it reads one plain
    number there; None if not (the cell then takes the full path). Cached per pattern and tail."""
    key = (id(pattern), tail)
    hit = _SIMPLE_TAILS.get(key)
    if hit is not None and hit[0] is pattern:
        return hit[1]
    read = _simple_tail_uncached(pattern, kind, tail)
    if len(_SIMPLE_TAILS) >= _SIMPLE_TAILS_MAX:
        _SIMPLE_TAILS.clear()
    _SIMPLE_TAILS[key] = (pattern, read)
    return read


def _simple_tail_uncached(pattern: re.Pattern, kind: str, tail: str) -> tuple[Decimal, bool, str | None] | None:
    text = "1" + tail
    if _compact(_clerk_spelling(normalize_text(text))) != text:
        return None
    m = pattern.fullmatch(text)
    if m is None or m.group("a_digits") != "1" or m.group("a_sign") or m.group("pre"):
        return None
    try:
        phrase = _read_phrase_full(text, kind, pattern)
    except Unparseable:
        return None
    if phrase.high is not None or phrase.qualifier is not None:
        return None
    low = phrase.low
    return low.multiplier, low.has_magnitude, low.unit


def _read_phrase(value: Any, kind: str, pattern: re.Pattern) -> _Phrase:
    if _FAST_PATH and type(value) is str:
        m = _SIMPLE_RE.fullmatch(value)
        if m is not None:
            pre, sign, digits, tail = m.groups()
            read = _simple_tail(pattern, kind, tail)
            if read is not None:
                multiplier, has_magnitude, unit = read
                number = Decimal(digits.replace(",", "") if "," in digits else digits)
                if sign == "-":
                    number = -number
                return _Phrase(_Reading(number * multiplier, multiplier, has_magnitude, unit), None,
                               "approx" if pre else None)
        return _read_phrase_cached(value, kind, pattern)
    return _read_phrase_full(value, kind, pattern)


# (id(pattern), text) -> (pattern, phrase) of text cells the full path has read
_FULL_READS: dict[tuple[int, str], tuple[re.Pattern, _Phrase]] = {}
_FULL_READS_MAX = 8192
_FULL_READS_LONGEST = 40  # characters; a longer cell is read, not kept


def _read_phrase_cached(value: str, kind: str, pattern: re.Pattern) -> _Phrase:
    """_read_phrase_full, remembered for text cells it reads. The cells that miss the fast path
    repeat across columns and workbooks ('十三', '八', '5万元以上'), and a reading is a pure
    function of text and pattern (kind only names the kind in an Unparseable, which is not kept:
    a cell that does not read takes the full path each time). Phrases are immutable."""
    key = (id(pattern), value)
    hit = _FULL_READS.get(key)
    if hit is not None and hit[0] is pattern:
        return hit[1]
    phrase = _read_phrase_full(value, kind, pattern)
    if len(value) <= _FULL_READS_LONGEST:
        if len(_FULL_READS) >= _FULL_READS_MAX:
            _FULL_READS.clear()
        _FULL_READS[key] = (pattern, phrase)
    return phrase


def _read_phrase_full(value: Any, kind: str, pattern: re.Pattern) -> _Phrase:
    raw = _raw_text(value)
    if is_error_value(value):
        raise Unparseable(raw, kind, "Excel error value")
    m = pattern.fullmatch(_compact(_clerk_spelling(normalize_text(value))))
    if m is None:
        raise Unparseable(raw, kind)
    low = _reading(m, "a", raw, kind)
    high = _reading(m, "b", raw, kind) if m.group("sep") else None
    if high is not None:
        low, high = low.inherit(high), high.inherit(low)

    found = {_PREFIX_QUALIFIERS.get(m.group("pre")), _SUFFIX_QUALIFIERS.get(m.group("post"))}
    if any(m.group(g) for g in ("a_more1", "a_more2", "b_more1", "b_more2")):
        found.add("at_least")
    found.discard(None)
    if high is not None:
        if found - {"approx", "range"}:
            raise Unparseable(raw, kind, "a band with a bound word")
        return _Phrase(low, high, "range")
    if "range" in found:
        raise Unparseable(raw, kind, "不等/之间 without a band")
    bounds = found & {"at_least", "at_most"}
    if len(bounds) > 1:
        raise Unparseable(raw, kind, "both a lower and an upper bound word")
    qualifier = bounds.pop() if bounds else ("approx" if found else None)
    return _Phrase(low, None, qualifier)


def _read_exact(value: Any, kind: str, pattern: re.Pattern) -> _Reading:
    """Kinds other than money: approximate words are dropped, bounds and bands refused."""
    phrase = _read_phrase(value, kind, pattern)
    if phrase.qualifier not in (None, "approx"):
        raise Unparseable(_raw_text(value), kind, "a bound or band, not one number")
    return phrase.low


def _in_context_unit(reading: _Reading, context_unit: str | None) -> tuple[Decimal, str | None]:
    """Value and unit, where the cell's own multiplier/unit win over the header's (or unit column's)."""
    factor, base = _split_unit(context_unit)
    if reading.unit is not None:
        return reading.value, reading.unit
    if reading.has_magnitude:
        return reading.value, base
    return reading.value * factor, base


# --- money -----------------------------------------------------------------------------------

_CENT = Decimal("0.01")


def _yuan(amount: Decimal) -> Decimal:
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Money:
    """An amount in yuan: a point (min == max), an approximate point, an open bound or a band."""

    min_yuan: Decimal | None  # lower bound (a point value: min == max)
    max_yuan: Decimal | None  # upper bound (None for open 'at_least' bands)
    qualifier: str | None  # None, 'approx', 'at_least', 'at_most', 'range'
    unit_from_cell: bool  # the cell itself carried 元/万元/亿元/万/亿

    @property
    def point(self) -> Decimal | None:
        """The one number to store: the bound for open bands; None for an a–b band with a ≠ b."""
        if self.qualifier == "at_most":
            return self.max_yuan
        if self.min_yuan == self.max_yuan or self.qualifier in (None, "approx", "at_least"):
            return self.min_yuan
        return None


_CURRENCY_MARK = re.compile(r"[¥￥]|RMB|人民币")


def parse_money(value: Any, header_unit: str | None = None) -> Money | None:
    """Yuan, exact to the fen. header_unit ('元', '万元', '亿元', '千元'; None = 元) applies only when
    the cell carries no unit of its own."""
    if is_missing(value):
        return None
    if _is_number(value):
        factor, _ = _split_unit(header_unit)
        amount = _yuan(_decimal_from_number(value, "money") * factor)
        return Money(amount, amount, None, False)
    if isinstance(value, str) and _CURRENCY_MARK.search(value):
        header_unit = "元"  # ¥2,461,000 names yuan, whatever the header says
    phrase = _read_phrase(value, "money", _MONEY_RE)
    if phrase.high is None:  # one amount (the common cell); the qualifier is never 'range' here
        low = phrase.low
        amount = _yuan(_in_context_unit(low, header_unit)[0])
        if phrase.qualifier == "at_least":
            return Money(amount, None, "at_least", not low.bare)
        if phrase.qualifier == "at_most":
            return Money(None, amount, "at_most", not low.bare)
        return Money(amount, amount, phrase.qualifier, not low.bare)
    ends = [phrase.low, phrase.high]
    amounts = [_yuan(_in_context_unit(end, header_unit)[0]) for end in ends]
    from_cell = any(not end.bare for end in ends)
    if phrase.qualifier == "range":
        return Money(amounts[0], amounts[1], "range", from_cell)
    if phrase.qualifier == "at_least":
        return Money(amounts[0], None, "at_least", from_cell)
    if phrase.qualifier == "at_most":
        return Money(None, amounts[0], "at_most", from_cell)
    return Money(amounts[0], amounts[0], phrase.qualifier, from_cell)


# --- the common count and money cells, without the intermediate objects ----------------------
#
# On top of `_read_phrase`'s fast path: a count column is mostly '42', '42人', '1,042户' and a
# money column '12.5万元', '1,234元', 12.5; reading them takes a regex match, one cache lookup and
# the Decimal arithmetic of the full path, in its order (so its rounding). Off with _FAST_PATH.

_CACHE_MAX = 4096
# header unit -> (the factor it applies to a bare number, whether that factor is 1)
_HEADER_FACTORS: dict[str | None, tuple[Decimal, bool]] = {}


def _header_factor(unit: str | None) -> tuple[Decimal, bool]:
    """_split_unit(unit)[0] ('万元' -> 10000, '人' -> 1, None -> 1), and whether it is 1."""
    hit = _HEADER_FACTORS.get(unit)
    if hit is None:
        factor = _split_unit(unit)[0]
        if len(_HEADER_FACTORS) >= _CACHE_MAX:
            _HEADER_FACTORS.clear()
        hit = _HEADER_FACTORS[unit] = (factor, factor == 1)
    return hit


# (header unit, tail) -> whether a whole-number cell '<digits><tail>' counts ±int(digits)
_WHOLE_COUNT_TAILS: dict[tuple[str | None, str], bool] = {}
_MAX_COUNT_DIGITS = 18  # exact in any Decimal context of 18+ digits (the default keeps 28)


def _simple_count(value: str, header_unit: str | None) -> int | None:
    """parse_count of '42', '42人', '1,042户', '约42人', '-3' — whole ASCII digits whose tail
    the count grammar reads as a plain number without 万/千 (multiplier 1), with its own unit or
    under a header whose factor is 1. The full path reads Decimal(digits) (exact), negates it,
    multiplies by 1 and 1: all exact below 28 digits, so the count is ±int(digits). None for
    every other cell (it takes the full path)."""
    m = _SIMPLE_RE.fullmatch(value)
    if m is None:
        return None
    pre, sign, digits, tail = m.groups()
    if "." in digits or len(digits) > _MAX_COUNT_DIGITS:
        return None
    key = (header_unit, tail)
    whole = _WHOLE_COUNT_TAILS.get(key)
    if whole is None:
        read = _simple_tail(_COUNT_RE, "count", tail)
        whole = read is not None and not read[1] and (read[2] is not None or _header_factor(header_unit)[1])
        if len(_WHOLE_COUNT_TAILS) >= _CACHE_MAX:
            _WHOLE_COUNT_TAILS.clear()
        _WHOLE_COUNT_TAILS[key] = whole
    if not whole:
        return None
    number = int(digits.replace(",", "")) if "," in digits else int(digits)
    return -number if sign == "-" else number


# (header unit, tail) -> (the cell's multiplier, the header factor if the cell is bare, else None),
# or None when '<digits><tail>' is not one plain amount
_MONEY_TAILS: dict[tuple[str | None, str], tuple[Decimal, Decimal | None] | None] = {}


def _money_tail(header_unit: str | None, tail: str) -> tuple[Decimal, Decimal | None] | None:
    read = _simple_tail(_MONEY_RE, "money", tail)
    if read is None:
        return None
    multiplier, has_magnitude, unit = read
    if _CURRENCY_MARK.search(tail):  # as parse_money: '5每RMB' is yuan whatever the header says
        header_unit = "元"
    bare = not has_magnitude and unit is None
    return multiplier, (_split_unit(header_unit)[0] if bare else None)


def simple_money(value: Any, header_unit: str | None = None) -> tuple[Decimal, str | None] | None:
    """(amount, qualifier) of the common money cell, where parse_money(value, header_unit) is
    Money(amount, amount, qualifier, …) with qualifier None or 'approx'; None for any other cell
    (read it with parse_money). The common cells:

    - a finite float: parse_money reads Decimal(repr) × header factor, to the fen, as here;
    - '12.5万元', '1,234元', '约750万', '-3.5': `_read_phrase`'s fast path reads
      Decimal(digits), negated, × the cell's multiplier, and × the header factor when the cell
      is bare; parse_money takes it to the fen. Same operations in the same order, so the same
      rounding (and the same decimal exception for absurdly long numbers).
    """
    if not _FAST_PATH:
        return None
    kind = type(value)
    if kind is float:
        if not math.isfinite(value):  # NaN is missing, ±inf Unparseable: parse_money says which
            return None
        amount = Decimal(float.__repr__(value)) * _header_factor(header_unit)[0]
        return amount.quantize(_CENT, rounding=ROUND_HALF_UP), None
    if kind is not str:
        return None
    m = _SIMPLE_RE.fullmatch(value)
    if m is None:
        return None
    pre, sign, digits, tail = m.groups()
    key = (header_unit, tail)
    if key in _MONEY_TAILS:
        read = _MONEY_TAILS[key]
    else:
        read = _money_tail(header_unit, tail)
        if len(_MONEY_TAILS) >= _CACHE_MAX:
            _MONEY_TAILS.clear()
        _MONEY_TAILS[key] = read
    if read is None:
        return None
    multiplier, factor = read
    number = Decimal(digits.replace(",", "") if "," in digits else digits)
    if sign == "-":
        number = -number
    amount = number * multiplier
    if factor is not None:
        amount = amount * factor
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP), ("approx" if pre else None)


def money_floats(cells: list[Any], header_unit: str | None = None,
                 once: bool = True) -> tuple[list[Any], list[int]] | None:
    """simple_money's float path for a column at once: (amounts, the positions left to read),
    where amounts holds simple_money(c, header_unit)[0] for every finite float c and None at the
    positions left (any other cell). With `once`, equal floats share the first one's amount (so
    -0.0 after 0.0 reads 0.00, as a memo keyed by cell does). None with the fast paths off."""
    if not _FAST_PATH:
        return None
    factor = _header_factor(header_unit)[0]
    amounts: list[Any] = []
    rest: list[int] = []
    seen: dict[float, Decimal] = {}
    for i, c in enumerate(cells):
        amount = None
        if type(c) is float and math.isfinite(c):
            amount = seen.get(c) if once else None
            if amount is None:  # as simple_money: Decimal(repr) × header factor, to the fen
                try:
                    amount = (Decimal(float.__repr__(c)) * factor).quantize(_CENT, rounding=ROUND_HALF_UP)
                    if once:
                        seen[c] = amount
                except ArithmeticError:  # beyond exact decimals (1e26 yuan): the cell reader says so
                    amount = None
        amounts.append(amount)
        if amount is None:
            rest.append(i)
    return amounts, rest


# --- counts, numbers, percentages --------------------------------------------------------------

def _measured(value: Any, kind: str, pattern: re.Pattern, context_unit: str | None) -> tuple[Decimal, str | None]:
    """(value, unit) of one exact number: a numeric cell is in the context unit (header, unit
    column); a text cell's own unit or multiplier wins over it."""
    if _is_number(value):
        factor, unit = _split_unit(context_unit)
        return _decimal_from_number(value, kind) * factor, unit
    return _in_context_unit(_read_exact(value, kind, pattern), context_unit)


_EXACT_INT = 2.0 ** 53


def whole_counts(cells: list[Any], header_unit: str | None = None) -> tuple[list[Any], list[int]] | None:
    """parse_count's first fast path for a column at once: (values, the positions left to read)
    where values holds int(c) for every whole float c below 2**53 (what parse_count(c,
    header_unit) gives) and None at the positions left (any other cell). A column of such
    floats only is tested and converted in C loops. None when the header's factor is not 1
    (every cell is read by parse_count)."""
    if not _FAST_PATH or not _header_factor(header_unit)[1]:
        return None
    if cells and set(map(type, cells)) == {float} and all(map(float.is_integer, cells)) \
            and -_EXACT_INT < min(cells) and max(cells) < _EXACT_INT:  # (NaN, ±inf: not integers)
        return list(map(int, cells)), []
    values: list[Any] = []
    rest: list[int] = []
    for i, c in enumerate(cells):
        if type(c) is float and c.is_integer() and -_EXACT_INT < c < _EXACT_INT:
            values.append(int(c))
        else:
            values.append(None)
            rest.append(i)
    return values, rest


def parse_count(value: Any, header_unit: str | None = None) -> int | None:
    """'322人', '1,104户', '三百二十二', '1.2万人', 322.0 -> int. '约322人' reads 322 (approximate
    words dropped); '300余人' and '3.5' are Unparseable."""
    if _FAST_PATH:
        kind = type(value)
        if kind is float:
            if value.is_integer() and -_EXACT_INT < value < _EXACT_INT and _header_factor(header_unit)[1]:
                # the common cell: a whole number under 户/人 or no unit (below 2**53 a float's
                # shortest repr is its integer, so this is what the Decimal path below reads)
                return int(value)
        elif kind is str:
            if value.isascii() and value.isdigit():  # '42': _simple_count's case with no tail, sooner
                if len(value) <= _MAX_COUNT_DIGITS and _header_factor(header_unit)[1]:
                    return int(value)
            else:
                whole = _simple_count(value, header_unit)
                if whole is not None:
                    return whole
    if is_missing(value):
        return None
    number, _ = _measured(value, "count", _COUNT_RE, header_unit)
    if number != number.to_integral_value():
        raise Unparseable(_raw_text(value), "count", "not a whole number")
    return int(number)


def parse_number(value: Any, header_unit: str | None = None) -> Decimal | None:
    """A decimal number, with 万/亿 multipliers; a trailing unit word ('2033亩') is dropped.
    A header 万-unit ('万亩') scales a bare number."""
    if is_missing(value):
        return None
    return _tidy(_measured(value, "number", _NUMBER_RE, header_unit)[0])


_FORMAT_LITERAL_RE = re.compile(r'"[^"]*"|\\.')


def parse_percent(value: Any, number_format: str | None = None, header_unit: str | None = None) -> Decimal | None:
    """Percent on a 0–100 scale. A numeric cell formatted '0.00%' holds a fraction (0.2368 -> 23.68);
    otherwise the number is taken as written ('74.8%', 23.68 under '（%）', '5‰' -> 0.5)."""
    if is_missing(value):
        return None
    if _is_number(value):
        number = _decimal_from_number(value, "percent")
        # a quoted or escaped % in a format is a literal and does not scale the value
        if number_format and "%" in _FORMAT_LITERAL_RE.sub("", number_format):
            return _tidy(number * 100)
        unit = _split_unit(header_unit)[1]
    else:
        number, unit = _in_context_unit(_read_exact(value, "percent", _PERCENT_RE), header_unit)
    return _tidy(number / 10 if unit == "‰" else number)


# --- quantities and areas --------------------------------------------------------------------

@dataclass(frozen=True)
class Quantity:
    """An amount of a product: value in `unit` (after any 万), and kilograms for weight units."""

    value: Decimal
    unit: str | None
    kg: Decimal | None


def parse_quantity(value: Any, unit_hint: str | None = None) -> Quantity | None:
    """'10万斤' -> 100000 斤 (50000 kg); '336瓶' -> 336 瓶 (kg None). unit_hint (a 单位 column or the
    header unit) names the unit of a bare number; a unit in the cell wins."""
    if is_missing(value):
        return None
    number, unit = _measured(value, "quantity", _QUANTITY_RE, unit_hint)
    kg_per_unit = _WEIGHT_KG.get(unit) if unit else None
    kg = _tidy(number * kg_per_unit) if kg_per_unit is not None else None
    return Quantity(_tidy(number), unit, kg)


def parse_area_mu(value: Any, header_unit: str | None = None) -> Decimal | None:
    """Area in 亩: '2033亩' -> 2033, '135.5公顷' -> 2032.5 (1 公顷 = 15 亩), '1.2万亩' -> 12000.
    A bare number is in the header unit (亩 when the header names none or a non-area unit)."""
    if is_missing(value):
        return None
    number, unit = _measured(value, "area", _AREA_RE, header_unit)
    return _tidy(number * _AREA_MU.get(unit or "亩", Decimal(1)))


# --- dates, years, booleans, text --------------------------------------------------------------

# 1900 date system; right from serial 61 (1900-03-01) on, Excel's phantom 1900-02-29 shifts the rest
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2_958_465  # 9999-12-31
_DATE_CN_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?")
_DATE_SEP_RE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_DATE_COMPACT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DATE_SERIAL_TEXT_RE = re.compile(r"\d{5}(?:\.\d+)?")
_TIME_SUFFIX_RE = re.compile(r"(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_DATE_CN_NUMERAL_RE = re.compile(r"([〇零一二三四五六七八九]{4})年([零一二三四五六七八九十]{1,3})月([零一二三四五六七八九十]{1,3})[日号]")


def _date_or_unparseable(raw: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise Unparseable(raw, "date", "no such day") from None


def parse_date(value: Any) -> dt.date | None:
    """'2018年8月13日', '2018/8/13', '2018.8.13', '2018-08-13', Excel serial 43325 -> 2018-08-13."""
    if is_missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = _raw_text(value)
    if _is_number(value) or (isinstance(value, str) and _DATE_SERIAL_TEXT_RE.fullmatch(normalize_text(value))):
        serial = _decimal_from_number(value, "date") if _is_number(value) else Decimal(normalize_text(value))
        if not 1 <= serial <= _EXCEL_MAX_SERIAL:
            raise Unparseable(raw, "date", "not an Excel date serial")
        return _EXCEL_EPOCH + dt.timedelta(days=int(serial))  # the fraction is the time of day
    text = _TIME_SUFFIX_RE.sub("", normalize_text(value)).replace(" ", "")
    if m := _DATE_CN_RE.fullmatch(text) or _DATE_COMPACT_RE.fullmatch(text):
        return _date_or_unparseable(raw, int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _DATE_SEP_RE.fullmatch(text):
        return _date_or_unparseable(raw, int(m.group(1)), int(m.group(3)), int(m.group(4)))
    if m := _DATE_CN_NUMERAL_RE.fullmatch(text):  # 二〇一八年八月十三日
        month, day = (parse_chinese_numeral(m.group(i)) for i in (2, 3))
        return _date_or_unparseable(raw, int(m.group(1).translate(_CN_YEAR_DIGITS)), int(month), int(day))
    raise Unparseable(raw, "date")


_FIRST_YEAR, _LAST_YEAR = 1949, 2100
_YEAR_RE = re.compile(r"(\d{4}|[〇零一二三四五六七八九]{4})(?:\.0+)?(?:年度|年)?")


def parse_year(value: Any) -> int | None:
    """2018, '2018', '2018年', '2018年度', 2018.0, '二〇一八年' -> 2018; outside 1949–2100 is Unparseable."""
    if is_missing(value):
        return None
    raw = _raw_text(value)
    if _is_number(value):
        number = _decimal_from_number(value, "year")
        if number != number.to_integral_value():
            raise Unparseable(raw, "year", "not a whole year")
        year = int(number)
    elif m := _YEAR_RE.fullmatch(normalize_text(value).replace(" ", "")):
        year = int(m.group(1).translate(_CN_YEAR_DIGITS))
    else:
        raise Unparseable(raw, "year")
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise Unparseable(raw, "year", f"outside {_FIRST_YEAR}–{_LAST_YEAR}")
    return year


# the yes/no questions of the forms are also answered in their own words (是否贫困村: 贫困村 /
# 非贫困村; 负责人是否党员: 党员 / 非党员 / 群众)
_TRUE_WORDS = frozenset({"是", "√", "✓", "✔", "y", "yes", "true", "1", "有",
                         "贫困村", "党员", "中共党员", "是党员"})
_FALSE_WORDS = frozenset({"否", "×", "✗", "✘", "n", "no", "false", "0", "非",
                          "非贫困村", "非党员", "群众", "不是"})


def parse_bool(value: Any) -> bool | None:
    """是/√/✓/Y/yes/true/1 -> True; 否/×/✗/N/no/false/0 -> False. A plain 'x' is not read: it
    could mean either."""
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return value
    if _is_number(value) and value in (0, 1):
        return value == 1
    word = normalize_text(value).lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise Unparseable(_raw_text(value), "bool")


def parse_text(value: Any) -> str | None:
    """Normalised text; missing -> None; 12.0 -> '12' (Excel stores every number as a float)."""
    if type(value) is str:  # the common cell, normalised once (is_missing would do it again)
        text = value if _TRANSLATED_RE.search(value) is None else value.translate(_TRANSLATION).strip()
        return None if text == "" or _MISSING_RE.fullmatch(text) is not None else text
    if is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value.is_finite():
        return str(_tidy(value))
    return normalize_text(value)
