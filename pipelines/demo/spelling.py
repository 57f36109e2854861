"""How county clerks spell a number in a cell: one exact value, many written forms.

Every function takes the true value and a `random.Random`, and returns what goes into the cell
(a str, or an int/float for a numeric cell). Whatever it returns, the CONTRACT's value-parsing
table reads back exactly the true value, so a generated file has a known answer.
"""

from __future__ import annotations

import random
from decimal import Decimal

from pipelines.demo.sheet import Percent

_CN_DIGITS = "零一二三四五六七八九"
_FULL_WIDTH = {cp: cp + 0xFEE0 for cp in range(0x21, 0x7F)}


def plain(number: Decimal) -> str:
    """327.4813, 700, 0.5 — never 7E+2."""
    return format(number.normalize(), "f")


def full_width(text: str) -> str:
    """１４９２万元: what an IME in full-width mode types."""
    return text.translate(_FULL_WIDTH)


def chinese_numeral(n: int) -> str:
    """322 → 三百二十二, 1455 → 一千四百五十五, 12 → 十二, 10005 → 一万零五 (n < 100,000,000)."""
    if n < 0 or n >= 10**8:
        raise ValueError(f"no Chinese numeral spelling here for {n}")
    if n == 0:
        return "零"
    high, low = divmod(n, 10_000)
    if not high:
        return _section(low, leading=True)
    text = _section(high, leading=True) + "万"
    if low:
        text += ("零" if low < 1000 else "") + _section(low, leading=False)
    return text


def _section(n: int, leading: bool) -> str:
    out, started, gap = "", False, False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            gap = gap or started
            continue
        if gap:
            out += "零"
            gap = False
        # 十二, not 一十二, at the head of a number
        if not (leading and not started and value == 10 and digit == 1):
            out += _CN_DIGITS[digit]
        out += unit
        started = True
    return out


def wan(yuan: Decimal) -> Decimal:
    return yuan / 10_000


# --- money -----------------------------------------------------------------------------------


def money(rng: random.Random, yuan: Decimal, bare_unit: str, numeric: bool = True) -> str | float:
    """An exact amount. `bare_unit` is what a bare number in this column means: '万元' (header
    or 单位 line) or '元'. `numeric=False` for CSV-like targets where every cell is text anyway."""
    w = plain(wan(yuan))
    roll = rng.random()
    if bare_unit == "万元":
        if roll < 0.55:
            return float(wan(yuan)) if numeric else w
        if roll < 0.75:
            return f"{w}万元"
        if roll < 0.85:
            return f"{w}万"
        if roll < 0.92:
            return w  # number stored as text
        if roll < 0.96 and yuan == yuan.to_integral_value():
            return f"{plain(yuan)}元"  # the cell's own unit wins over the header
        return _rare_money(rng, yuan)
    if roll < 0.45:
        return f"{w}万元"
    if roll < 0.65:
        return f"{w}万"
    if roll < 0.85 and yuan == yuan.to_integral_value():
        return f"{int(yuan):,}元"
    if roll < 0.95:
        return float(yuan) if numeric else plain(yuan)
    return _rare_money(rng, yuan)


def _rare_money(rng: random.Random, yuan: Decimal) -> str:
    """１４９２万元 (full width), 0.1492亿元, 一千四百九十二万元."""
    roll = rng.random()
    if roll < 0.3 and yuan % 10_000 == 0 and yuan < 10**12:
        return chinese_numeral(int(yuan // 10_000)) + "万元"
    if roll < 0.6:
        return f"{plain(yuan / 10**8)}亿元"
    return full_width(f"{plain(wan(yuan))}万元")


def approx_money(rng: random.Random, yuan: Decimal) -> str:
    """近700万元 / 约700万 / 700万元左右 (a round amount)."""
    w = plain(wan(yuan))
    return rng.choice((f"近{w}万元", f"约{w}万", f"{w}万元左右"))


def at_least_money(rng: random.Random, yuan: Decimal) -> str:
    """5万元以上 / 超过5万元 / 5万余元."""
    w = plain(wan(yuan))
    return rng.choice((f"{w}万元以上", f"超过{w}万元", f"{w}万余元"))


def at_most_money(rng: random.Random, yuan: Decimal) -> str:
    w = plain(wan(yuan))
    return rng.choice((f"不足{w}万元", f"{w}万元以下"))


def band_money(rng: random.Random, low: Decimal, high: Decimal) -> str:
    """2万元至10万元不等 / 2-10万元 / 2万~10万."""
    a, b = plain(wan(low)), plain(wan(high))
    return rng.choice((f"{a}万元至{b}万元不等", f"{a}-{b}万元", f"{a}万~{b}万"))


# --- counts, areas, percentages ----------------------------------------------------------------


def count(rng: random.Random, n: int, unit_word: str, numeric: bool = True) -> str | float:
    """42 / '42' / '42人' / '1,104户' / '三百二十二'."""
    roll = rng.random()
    if roll < 0.6:
        return float(n) if numeric else str(n)
    if roll < 0.75:
        return str(n)
    if roll < 0.93 and unit_word:
        return f"{n:,}{unit_word}" if n >= 1000 and rng.random() < 0.7 else f"{n}{unit_word}"
    if 0 < n < 2000:
        return chinese_numeral(n)
    return str(n)


def area_mu(rng: random.Random, mu: Decimal, header_has_unit: bool, numeric: bool = True) -> str | float:
    """25亩 / 25 / 3公顷 (when it is a whole number of 公顷: 1 公顷 = 15 亩)."""
    hectares = mu / 15
    roll = rng.random()
    if roll < 0.15 and hectares == hectares.quantize(Decimal("0.1")):
        return f"{plain(hectares)}公顷"
    if roll < 0.7 or not header_has_unit:
        return f"{plain(mu)}亩"
    return float(mu) if numeric else plain(mu)


def percent(rng: random.Random, pct: Decimal, header_has_unit: bool, xlsx: bool) -> Percent | str | float:
    """'22.47%' / 22.47 under （%） / 0.2247 formatted '0.00%' (returned as `Percent`)."""
    roll = rng.random()
    if roll < 0.35 and xlsx:
        return Percent(float(pct / 100))
    if roll < 0.7 and header_has_unit:
        return float(pct) if xlsx else plain(pct)
    return f"{plain(pct)}%"


def year(rng: random.Random, y: int, numeric: bool = True) -> str | float:
    """2018 / '2018年' / '2018'."""
    roll = rng.random()
    if roll < 0.5:
        return float(y) if numeric else str(y)
    return f"{y}年" if roll < 0.8 else str(y)


def yes_no(rng: random.Random, value: bool) -> str:
    return rng.choice(("是", "√")) if value else rng.choice(("否", "×"))


def quantity(rng: random.Random, amount: int, unit: str) -> str:
    """10万斤 / 6536羽 / 1,280公斤."""
    if amount % 10_000 == 0 and rng.random() < 0.6:
        return f"{amount // 10_000}万{unit}"
    if amount >= 1000 and rng.random() < 0.3:
        return f"{amount:,}{unit}"
    return f"{amount}{unit}"
