"""Property tests: write a number the ways county clerks write it, read it back exactly.

Each test draws an exact value (an integer, or a Decimal with a few places), formats it as it
appears in returns — thousands separators, full-width digits, 万/亿 units, U+3000 and NBSP
padding, stray spaces, 约/近/左右, Chinese and financial numerals — and checks the parser gives
the value back with no rounding noise.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.parsing.values import (
    parse_area_mu,
    parse_chinese_numeral,
    parse_count,
    parse_date,
    parse_money,
    parse_number,
    parse_percent,
    parse_quantity,
    parse_text,
    parse_year,
)

# CI is a 2-core box: enough examples to find a bad format, no deadline flakiness
fast = settings(max_examples=200, deadline=None)

CENT = Decimal("0.01")


# --- how clerks write numbers (independent of the parser under test) ----------------------------

def fullwidth(text: str) -> str:
    """ASCII as typed with a Chinese IME in full-width mode: '1,492.5' -> '１，４９２．５'."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


_CN_DIGITS = "零一二三四五六七八九"


def _cn_section(n: int) -> str:
    """1..9999 in Chinese: 1020 -> 一千零二十."""
    out, zero_pending = "", False
    for place, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // place % 10
        if digit == 0:
            zero_pending = zero_pending or bool(out)
            continue
        if zero_pending:
            out, zero_pending = out + "零", False
        out += _CN_DIGITS[digit] + name
    return out


def to_chinese(n: int) -> str:
    """0 <= n < 10**12 as written in words: 14920000 -> 一千四百九十二万, 100000005 -> 一亿零五."""
    if n == 0:
        return "零"
    out, zero_pending = "", False
    for value, name in ((n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")):
        if value == 0:
            zero_pending = zero_pending or bool(out)
            continue
        if out and (zero_pending or value < 1000):
            out += "零"
        out += _cn_section(value) + name
        zero_pending = False
    return out


_FINANCIAL = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")


@st.composite
def chinese_spelling(draw, n: int) -> str:
    """Everyday, colloquial (十二 for 一十二, 两千) or financial (大写) spelling of n."""
    text = to_chinese(n)
    if text.startswith("一十") and draw(st.booleans()):
        text = text[1:]
    if draw(st.booleans()):
        for place in "千百万亿":
            text = text.replace("二" + place, "两" + place)
    elif draw(st.booleans()):
        text = text.translate(_FINANCIAL)
    return text


def grouped(number: Decimal | int, separator: str) -> str:
    """Thousands separators in the integer part: 1492000.5 -> '1,492,000.5'."""
    return format(number, ",f").replace(",", separator)


@st.composite
def digits_as_written(draw, number: Decimal | int) -> str:
    """Plain, grouped with ',' or '，', maybe full-width, maybe with a stray space inside."""
    separator = draw(st.sampled_from([None, ",", "，"]))
    text = format(number, "f") if separator is None else grouped(number, separator)
    if draw(st.booleans()):
        text = fullwidth(text)
    if len(text) > 1 and draw(st.booleans()):
        at = draw(st.integers(1, len(text) - 1))
        text = text[:at] + draw(st.sampled_from([" ", "\xa0", "\u3000"])) + text[at:]
    return text


padding = st.sampled_from(["", " ", "\u3000", "\xa0", "\u3000\u3000", " \xa0", "\t"])


@st.composite
def padded(draw, text: str) -> str:
    return draw(padding) + text + draw(padding)


def decimals(max_integer: int, places: int) -> st.SearchStrategy[Decimal]:
    """Exact non-negative Decimals with up to `places` decimals."""
    return st.integers(0, max_integer * 10**places).map(lambda i: Decimal(i).scaleb(-places))


# --- money --------------------------------------------------------------------------------------

@fast
@given(st.data(), st.integers(0, 10**12))
def test_yuan_written_in_digits(data, yuan):
    unit = data.draw(st.sampled_from(["", "元"]))
    cell = data.draw(padded(data.draw(digits_as_written(yuan)) + unit))
    money = parse_money(cell)
    assert (money.min_yuan, money.max_yuan, money.qualifier) == (yuan, yuan, None)
    assert money.unit_from_cell == (unit == "元")


@fast
@given(st.data(), decimals(10**6, 4))
def test_wan_yuan_in_the_cell_or_the_header(data, wan):
    expected = wan * 10_000  # 4 places of 万 are whole yuan: exact
    written = data.draw(digits_as_written(wan))
    spelling = data.draw(st.sampled_from(["cell 万", "cell 万元", "header", "header float"]))
    if spelling == "cell 万":
        money = parse_money(data.draw(padded(written + "万")))
    elif spelling == "cell 万元":
        money = parse_money(data.draw(padded(written + "万元")), "元")  # the cell's unit wins
    elif spelling == "header":
        money = parse_money(data.draw(padded(written)), "万元")
    else:
        money = parse_money(float(wan), "万元")  # an Excel numeric cell
    assert money.min_yuan == money.max_yuan == expected
    assert money.min_yuan.as_tuple().exponent == -2


@fast
@given(st.data(), decimals(100, 6))
def test_yi_yuan(data, yi):
    expected = yi * 100_000_000  # 6 places of 亿 are whole yuan
    cell = data.draw(digits_as_written(yi)) + data.draw(st.sampled_from(["亿", "亿元"]))
    assert parse_money(cell).point == expected
    assert parse_money(float(yi), "亿元").point == expected


@fast
@given(decimals(10**9, 6))
def test_money_rounds_half_up_to_two_places_without_float_noise(yuan):
    expected = yuan.quantize(CENT, rounding="ROUND_HALF_UP")
    assert parse_money(format(yuan, "f") + "元").point == expected
    assert parse_money(yuan).point == expected
    assert parse_money(float(yuan)).point == expected


@fast
@given(st.data(), st.integers(0, 10**11))
def test_money_in_chinese_numerals(data, yuan):
    spelling = data.draw(chinese_spelling(yuan))
    suffix = data.draw(st.sampled_from(["元", "元整", ""]))
    money = parse_money(data.draw(padded(spelling + suffix)))
    assert money.point == yuan
    assert money.qualifier is None


@fast
@given(st.data(), st.integers(1, 99_999))
def test_wan_yuan_in_chinese_numerals(data, wan):
    spelling = data.draw(chinese_spelling(wan))
    assert parse_money(spelling + "万元").point == wan * 10_000
    assert parse_money(spelling + "万元", "万元").point == wan * 10_000  # 万 in the cell: not again


@fast
@given(st.data(), decimals(10**5, 2))
def test_approximate_money(data, wan):
    written = data.draw(digits_as_written(wan)) + data.draw(st.sampled_from(["万", "万元"]))
    before = data.draw(st.sampled_from(["近", "约", "大约", "将近", ""]))
    after = data.draw(st.sampled_from(["左右", ""] if before else ["左右"]))
    money = parse_money(data.draw(padded(before + written + after)))
    assert (money.min_yuan, money.max_yuan, money.qualifier) == (wan * 10_000, wan * 10_000, "approx")


@fast
@given(st.data(), decimals(10**5, 2))
def test_open_money_bounds(data, wan):
    yuan = wan * 10_000
    number = data.draw(digits_as_written(wan))
    at_least = data.draw(st.sampled_from(
        [f"超过{number}万元", f"{number}万元以上", f"{number}万余元", f"逾{number}万元", f"{number}余万元"]))
    at_most = data.draw(st.sampled_from([f"不足{number}万元", f"{number}万元以下", f"不到{number}万", f"低于{number}万元"]))
    low = parse_money(at_least)
    assert (low.min_yuan, low.max_yuan, low.qualifier, low.point) == (yuan, None, "at_least", yuan)
    high = parse_money(at_most)
    assert (high.min_yuan, high.max_yuan, high.qualifier, high.point) == (None, yuan, "at_most", yuan)


@fast
@given(st.data(), decimals(10**4, 2), decimals(10**4, 2))
def test_money_bands(data, a, b):
    x, y = data.draw(digits_as_written(a)), data.draw(digits_as_written(b))
    cell = data.draw(st.sampled_from([
        f"{x}万元至{y}万元不等", f"{x}-{y}万元", f"{x}万~{y}万", f"{x}～{y}万元", f"{x}万-{y}万元", f"{x}到{y}万元之间",
    ]))
    money = parse_money(data.draw(padded(cell)))
    # the unit applies to both ends, and reversed ends stay reversed (a later rule flags them)
    assert (money.min_yuan, money.max_yuan, money.qualifier) == (a * 10_000, b * 10_000, "range")


# --- counts, numbers, percentages ---------------------------------------------------------------

_MEASURE_WORDS = ["", "人", "户", "个", "部", "辆", "名", "村", "家", "处", "次", "只", "头", "套", "间", "座"]


@fast
@given(st.data(), st.integers(0, 10**9))
def test_counts(data, count):
    if data.draw(st.booleans()):
        written = data.draw(chinese_spelling(count))
    else:
        written = data.draw(digits_as_written(count))
    cell = data.draw(padded(written + data.draw(st.sampled_from(_MEASURE_WORDS))))
    assert parse_count(cell) == count
    assert parse_count(float(count)) == count


@fast
@given(st.integers(0, 10**8))
def test_counts_in_wan(count_of_ten_thousands_hundredths):
    wan = Decimal(count_of_ten_thousands_hundredths).scaleb(-4)
    assert parse_count(f"{wan}万人") == int(wan * 10_000)
    assert parse_count(float(wan), "万人") == int(wan * 10_000)


@fast
@given(st.data(), decimals(10**7, 4))
def test_numbers(data, number):
    cell = data.draw(padded(data.draw(digits_as_written(number)) + data.draw(st.sampled_from(["", "亩", "吨", "个"]))))
    assert parse_number(cell) == number
    assert parse_number(float(number)) == number


@fast
@given(decimals(1, 4))
def test_excel_percent_cells_scale_exactly(fraction):
    # 0.2368 in a cell formatted 0.00% is shown as 23.68%
    assert parse_percent(float(fraction), "0.00%") == fraction * 100
    assert parse_percent(float(fraction * 100), None, "%") == fraction * 100


@fast
@given(st.data(), decimals(100, 2))
def test_percent_text(data, percent):
    cell = data.draw(padded(data.draw(digits_as_written(percent)) + data.draw(st.sampled_from(["%", "％", " %"]))))
    assert parse_percent(cell) == percent
    assert parse_percent(format(percent, "f")) == percent


# --- quantities and areas -----------------------------------------------------------------------

@fast
@given(st.data(), decimals(10**5, 2))
def test_quantities_in_jin(data, number):
    wan = data.draw(st.booleans())
    cell = data.draw(digits_as_written(number)) + ("万斤" if wan else "斤")
    value = number * 10_000 if wan else number
    quantity = parse_quantity(data.draw(padded(cell)))
    assert (quantity.value, quantity.unit, quantity.kg) == (value, "斤", value / 2)
    assert parse_quantity(float(number), "斤").kg == number / 2


@fast
@given(st.data(), decimals(10**5, 2))
def test_areas(data, number):
    written = data.draw(digits_as_written(number))
    assert parse_area_mu(data.draw(padded(written + "亩"))) == number
    assert parse_area_mu(data.draw(padded(written + "公顷"))) == number * 15
    assert parse_area_mu(float(number), "公顷") == number * 15


# --- dates, years, Chinese numerals, text -------------------------------------------------------

@fast
@given(st.data(), st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31)))
def test_dates(data, day):
    y, m, d = day.year, day.month, day.day
    cell = data.draw(st.sampled_from([
        f"{y}年{m}月{d}日", f"{y}/{m}/{d}", f"{y}.{m}.{d}", f"{y}-{m:02d}-{d:02d}", f"{y}{m:02d}{d:02d}",
        fullwidth(f"{y}年{m}月{d}日"), f"{y}-{m:02d}-{d:02d} 00:00:00",
    ]))
    assert parse_date(data.draw(padded(cell))) == day
    serial = (day - dt.date(1899, 12, 30)).days
    assert parse_date(serial) == day
    assert parse_date(float(serial)) == day


@fast
@given(st.data(), st.integers(1949, 2100))
def test_years(data, year):
    cell = data.draw(st.sampled_from([str(year), f"{year}年", f"{year}年度", fullwidth(f"{year}年")]))
    assert parse_year(data.draw(padded(cell))) == year
    assert parse_year(float(year)) == year


@fast
@given(st.data(), st.integers(0, 10**12 - 1))
def test_chinese_numerals_round_trip(data, n):
    assert parse_chinese_numeral(data.draw(chinese_spelling(n))) == n


@fast
@given(st.integers(0, 10**6), st.integers(1, 9999))
def test_chinese_decimal_fractions(whole, fraction):
    digits = f"{fraction:04d}".rstrip("0")
    spelled = to_chinese(whole) + "点" + "".join(_CN_DIGITS[int(c)] for c in digits)
    assert parse_chinese_numeral(spelled) == Decimal(f"{whole}.{digits}")


@fast
@given(st.data(), st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs")), min_size=1))
def test_text_padding_does_not_change_text(data, text):
    result = parse_text(text)
    assert parse_text(data.draw(padded(text))) == result
    if result is not None:
        assert result == result.strip()
