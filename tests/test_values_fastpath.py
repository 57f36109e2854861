"""The fast path of `_read_phrase` reads exactly what the full grammar reads.

Cells of the common shape ('42人', '1,492万元', '约750万', '-3.5', '27.4%') skip the full phrase
grammar; every other cell takes it. These tests generate cells of that shape and near misses of
it and compare every parser, with the fast path on and off, result for result and error for
error (repr, so Decimal('1.50') vs Decimal('1.5') and -0 vs 0 count as differences).
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipelines.parsing import values as V
from tests.conftest import fast_path

budget = settings(max_examples=1500, deadline=None)


def outcome(fn, *args):
    try:
        return ("ok", repr(fn(*args)))
    except V.Unparseable as exc:
        return ("unparseable", exc.raw, exc.kind, exc.reason, str(exc))
    except Exception as exc:  # noqa: BLE001 — any other failure must be the same failure too
        return ("error", type(exc).__name__, str(exc))


# every parser kind, with and without the context units the intake hands them
PARSERS = [
    *[(f"money/{u}", lambda v, u=u: V.parse_money(v, u)) for u in (None, "元", "万元", "亿元", "千元")],
    *[(f"count/{u}", lambda v, u=u: V.parse_count(v, u)) for u in (None, "户", "万人", "人")],
    *[(f"number/{u}", lambda v, u=u: V.parse_number(v, u)) for u in (None, "万亩", "亩", "万元")],
    *[(f"percent/{u}", lambda v, u=u: V.parse_percent(v, None, u)) for u in (None, "%", "‰")],
    ("percent/0.00%", lambda v: V.parse_percent(v, "0.00%", None)),
    *[(f"quantity/{u}", lambda v, u=u: V.parse_quantity(v, u)) for u in (None, "斤", "万斤", "kg", "箱", "亩")],
    *[(f"area/{u}", lambda v, u=u: V.parse_area_mu(v, u)) for u in (None, "公顷", "万亩", "亩", "平方米")],
]
PATTERNS = [
    ("money", V._MONEY_RE), ("count", V._COUNT_RE), ("number", V._NUMBER_RE),
    ("percent", V._PERCENT_RE), ("quantity", V._QUANTITY_RE), ("area", V._AREA_RE),
]


def assert_same_everywhere(cell):
    for kind, pattern in PATTERNS:
        with fast_path(True):
            fast = outcome(V._read_phrase, cell, kind, pattern)
        full = outcome(V._read_phrase_full, cell, kind, pattern)
        assert fast == full, (cell, kind)
    for name, parse in PARSERS:
        with fast_path(True):
            fast = outcome(parse, cell)
        with fast_path(False):
            full = outcome(parse, cell)
        assert fast == full, (cell, name)


# --- cells of the simple shape and near misses of it -------------------------------------------

_UNITS = sorted({
    *V._MONEY_UNITS, *V._WEIGHT_UNITS, *V._AREA_UNITS, *V._COUNT_UNITS, *V._PERCENT_UNITS, *V._PRODUCT_UNITS,
    *V._UNIT_ALIASES,
    "KG", "Kg", "T", "HA", "Mu", "M2",  # ASCII units are read case-blind
    "楼", "年", "届", "米", "度", "x", "abc", "e", "E", "e5", "E-3", "元/人", "元每人", "/人/天", "(户)", "（户）",
})
_MULTIPLIERS = ["", "", "", "万", "亿", "千", "百", "千万", "百万", "万万", "亿万", "萬", "億", "十", "千亿"]
_QUALIFIERS = ["", "余", "多", "以上", "及以上", "以下", "左右", "整", "正", "不等", "许", "上下", "间"]
_PREFIXES = ["", "", "", "约", "约", "近", "约合", "大约", "超过", "不足", "¥", "RMB", "人民币", " ", "约 "]
_SIGNS = ["", "", "", "+", "-", "--", "+-", "-+", "负", "−", "—", "~"]
_JUNK = ["", "", "", "", " ", "\u3000", "\xa0", ",", ".", "5", "a", "(", ")", "-5", "至10", "-10万元", "人", "元"]


def grouped(digits: str) -> str:
    head = len(digits) % 3 or 3
    return ",".join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


@st.composite
def integer_parts(draw, near_miss: bool):
    """Digits, plain or correctly grouped in thousands; near misses: badly grouped, full-width, none."""
    digits = draw(st.text(alphabet="0123456789", min_size=1, max_size=14))
    if not near_miss:
        return grouped(digits) if draw(st.booleans()) else digits
    style = draw(st.sampled_from(["badly grouped", "full-width", "empty", "spaced"]))
    if style == "badly grouped":
        cuts = sorted(draw(st.sets(st.integers(0, len(digits)), min_size=1, max_size=3)))
        pieces, last = [], 0
        for cut in cuts:
            pieces.append(digits[last:cut])
            last = cut
        return ",".join(pieces + [digits[last:]])
    if style == "full-width":
        return digits.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    if style == "spaced":
        return grouped(digits).replace(",", " ")
    return ""


@st.composite
def fractions(draw, near_miss: bool):
    if not near_miss:
        return draw(st.sampled_from(["", "."])) and "." + draw(st.text(alphabet="0123456789", min_size=1, max_size=10))
    return draw(st.sampled_from([".", "..5", "．９", ".123,456", ".5.5", "e5", "E-2", "e+3", "e", ",5"]))


# the components of a simple cell, and near misses of each
_PARTS = {
    "junk_before": ([""], _JUNK + ["(", "（"]),
    "prefix": (["", "约"], _PREFIXES),
    "sign": (["", "+", "-"], _SIGNS),
    "integer": (None, None),
    "fraction": (None, None),
    "qualifier1": ([""], _QUALIFIERS),
    "multiplier": (_MULTIPLIERS, ["万万", "亿万", "十", "千亿", "万余", "余万", "多万"]),
    "qualifier2": ([""], _QUALIFIERS),
    "unit": ([""] + _UNITS, _UNITS + ["元元", "人人", "%%", "元%", "斤户"]),
    "qualifier3": ([""], _QUALIFIERS),
    "junk_after": ([""], _JUNK + [")", "）"]),
}


@st.composite
def cells(draw):
    """A cell of the simple shape (often with a unit of another kind), or one near miss of it."""
    missed = set(draw(st.lists(st.sampled_from(sorted(_PARTS)), max_size=2)))
    text = []
    for part, (good, bad) in _PARTS.items():
        near_miss = part in missed
        if part == "integer":
            text.append(draw(integer_parts(near_miss)))
        elif part == "fraction":
            text.append(draw(fractions(near_miss)))
        else:
            text.append(draw(st.sampled_from(bad if near_miss else good)))
    return "".join(text)


_ALPHABET = "0123456789,.+-约近万亿千百元人户个%‰斤公顷亩kgKG余多以上及 \u3000１２．一二十"


@budget
@given(cells())
@example("42人")
@example("1,492万元")
@example("2,602,700元")
@example("447.09万元")
@example("约750万")
@example("27.4%")
@example("160000公斤")
@example("114015箱")
@example("16.8004万")
@example("0.00052864亿元")
@example("2,596户")
@example("-3.5")
@example("-0")
@example("-0.00万元")
@example(".5")
@example("5.")
@example("007")
@example("1,23,456")
@example("1234,567")
@example("12,345,6")
@example("1" * 40)  # more digits than the decimal context keeps
@example("-" + "9" * 30 + ".5亿元")
@example("5百分点")
@example("5个百分点")
@example("5千克")
@example("5千元")
@example("5间")
@example("5m2")
@example("5KG")
@example("5万元整")
@example("5元每人")
@example("5及以上")
def test_fast_path_reads_what_the_full_grammar_reads(cell):
    assert_same_everywhere(cell)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=12))
def test_fast_path_on_any_short_text(cell):
    assert_same_everywhere(cell)


@pytest.mark.parametrize("cell", [
    "253", "42人", "1,492万元", "2,602,700元", "447.09万元", "约750万", "27.4%", "160000公斤", "114015箱",
    "16.8004万", "0.00052864亿元", "2,596户", "-3.5",
])
def test_common_cells_take_the_fast_path(cell, monkeypatch):
    for kind, pattern in PATTERNS:
        try:
            expected = V._read_phrase_full(cell, kind, pattern)
        except V.Unparseable:
            continue
        V._read_phrase(cell, kind, pattern)  # warms the tail cache

        def refuse(*args):
            raise AssertionError(f"{cell!r} took the full path for {kind}")

        with monkeypatch.context() as m:
            m.setattr(V, "_read_phrase_full", refuse)
            assert repr(V._read_phrase(cell, kind, pattern)) == repr(expected)


def takes_fast_path(cell, kind, pattern):
    m = V._SIMPLE_RE.fullmatch(cell)
    return m is not None and V._simple_tail(pattern, kind, m.group(4)) is not None


@pytest.mark.parametrize("cell", [
    "一百一十四", "5万元至10万元不等", "１．９万元", "（183.27）", "(183.27)", "近700万元", " 42人", "42人 ",
    "1,2345", "1234,567", "5.", "5e3", "300余人", "5万元以上", "5及以上", "1941(户)", "--5", "5元/人",
])
def test_other_cells_take_the_full_path(cell):
    for kind, pattern in PATTERNS:
        assert not takes_fast_path(cell, kind, pattern), (cell, kind)


# --- the per-cell helpers made faster against their former selves -------------------------------

_MISSING_RE = V._MISSING_RE


def is_missing_before(value):
    if value is None:
        return True
    if isinstance(value, Decimal):
        return value.is_nan()
    if isinstance(value, numbers.Real):
        return math.isnan(value)
    if isinstance(value, dt.date):
        return False
    text = V.normalize_text(value)
    return text == "" or _MISSING_RE.fullmatch(text) is not None


def decimal_from_number_before(value, kind):
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise V.Unparseable(str(value), kind, "not a finite number")
        return value
    if isinstance(value, numbers.Integral):
        return Decimal(int(value))
    number = float(value)
    if not math.isfinite(number):
        raise V.Unparseable(V._raw_text(value), kind, "not a finite number")
    return Decimal(float.__repr__(number))


def is_number_before(value):
    return isinstance(value, (numbers.Real, Decimal)) and not isinstance(value, bool)


_ANY_CELL = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.decimals(),
    st.text(alphabet="0123456789-—/\\无 \u3000\xa0\u200b０.a#", max_size=6), st.text(max_size=6),
    st.dates(),
)


@settings(max_examples=1500, deadline=None)
@given(_ANY_CELL)
@example(float("nan"))
@example(10**400)
@example("")
@example(" 5")
@example("５")
@example("5-")
def test_helpers_unchanged(value):
    assert outcome(V.is_missing, value) == outcome(is_missing_before, value)
    assert V._is_number(value) == is_number_before(value)
    if is_number_before(value):
        assert outcome(V._decimal_from_number, value, "number") == outcome(decimal_from_number_before, value, "number")


def _parse_text_plain(value):
    """parse_text as it was before its str shortcut."""
    if V.is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value.is_finite():
        return str(V._tidy(value))
    return V.normalize_text(value)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(alphabet=st.sampled_from(list(" \u3000\u00a0\t-—–/\\无ＡＢ１２合作社乡a1.")), max_size=6),
                 st.text(max_size=8)))
@example("—")
@example("　无　")
@example(" - ")
def test_parse_text_shortcut_unchanged(text):
    assert V.parse_text(text) == _parse_text_plain(text)


def _parse_count_plain(value, header_unit=None):
    """parse_count without its whole-float shortcut."""
    if V.is_missing(value):
        return None
    number, _ = V._measured(value, "count", V._COUNT_RE, header_unit)
    if number != number.to_integral_value():
        raise V.Unparseable(V._raw_text(value), "count", "not a whole number")
    return int(number)


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.integers(-10**6, 10**6).map(float), st.floats(allow_nan=True, allow_infinity=True),
                 st.sampled_from([2.0 ** 53, -(2.0 ** 53), 2.0 ** 53 - 1, 1e23, 0.0, -0.0, 12.5])),
       st.sampled_from([None, "户", "人", "个", "万人", "千户", "元", "万元", "", "人次"]))
def test_parse_count_whole_float_shortcut_unchanged(value, unit):
    def outcome(fn):
        try:
            return ("ok", fn(value, unit))
        except V.Unparseable as exc:
            return ("unparseable", exc.raw, exc.kind, exc.reason)
    assert outcome(V.parse_count) == outcome(_parse_count_plain)
