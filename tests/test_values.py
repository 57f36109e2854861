"""Cell values as counties write them -> canonical values (CONTRACT.md, "Value parsing").

The first block is the CONTRACT table, example by example; the rest are the edge cases
clerks produce and the promises the other stages rely on (exact Decimal money, which
unit wins, what is missing and what is unparseable).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pipelines.parsing.values import (
    Money,
    Quantity,
    Unparseable,
    is_error_value,
    is_missing,
    normalize_text,
    parse_area_mu,
    parse_bool,
    parse_chinese_numeral,
    parse_count,
    parse_date,
    parse_money,
    parse_number,
    parse_percent,
    parse_quantity,
    parse_text,
    parse_year,
    unit_from_header,
    unit_from_unit_line,
)

D = Decimal


def point(yuan: str, qualifier: str | None = None) -> tuple[Decimal, Decimal, str | None]:
    return D(yuan), D(yuan), qualifier


def money_tuple(money: Money) -> tuple[Decimal | None, Decimal | None, str | None]:
    return money.min_yuan, money.max_yuan, money.qualifier


# --- the CONTRACT table ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("cell", "header_unit"),
    [
        ("1,492万", None),
        ("1492万元", None),
        ("１４９２万元", None),
        ("0.1492亿元", None),
        ("一千四百九十二万元", None),
        ("1492", "万元"),
        (1492, "万元"),
        (1492.0, "万元"),
        (0.1492, "亿元"),
    ],
)
def test_contract_14920000_yuan(cell, header_unit):
    money = parse_money(cell, header_unit)
    assert money_tuple(money) == point("14920000.00")
    assert money.point == D("14920000")


def test_contract_money_keeps_two_decimals_without_float_noise():
    money = parse_money("327.4813万元")
    assert money.point == D("3274813")
    assert str(money.point) == "3274813.00"
    # the same amount as an Excel float under a 万元 header
    assert str(parse_money(327.4813, "万元").point) == "3274813.00"


@pytest.mark.parametrize("cell", ["近700万元", "约700万", "700万元左右"])
def test_contract_approx(cell):
    assert money_tuple(parse_money(cell)) == point("7000000", "approx")
    assert parse_money(cell).point == D("7000000")


@pytest.mark.parametrize("cell", ["5万元以上", "超过5万元", "5万余元"])
def test_contract_at_least(cell):
    money = parse_money(cell)
    assert money_tuple(money) == (D("50000"), None, "at_least")
    assert money.point == D("50000")


@pytest.mark.parametrize("cell", ["不足2万元", "2万元以下"])
def test_contract_at_most(cell):
    money = parse_money(cell)
    assert money_tuple(money) == (None, D("20000"), "at_most")
    assert money.point == D("20000")


@pytest.mark.parametrize("cell", ["2万元至10万元不等", "2-10万元", "2万~10万", "2～10万元", "2万-10万元"])
def test_contract_band(cell):
    money = parse_money(cell)
    assert money_tuple(money) == (D("20000"), D("100000"), "range")
    assert money.unit_from_cell


@pytest.mark.parametrize(
    ("cell", "count"),
    [("322人", 322), ("1,104户", 1104), ("419部", 419), ("三百二十二", 322)],
)
def test_contract_counts(cell, count):
    assert parse_count(cell) == count
    assert type(parse_count(cell)) is int


def test_contract_percentages():
    assert parse_percent("74.8%") == D("74.8")
    assert parse_percent(23.68, header_unit=unit_from_header("贫困发生率（%）")) == D("23.68")
    assert parse_percent(0.2368, "0.00%") == D("23.68")


def test_contract_quantities_and_areas():
    assert parse_quantity("10万斤") == Quantity(D("100000"), "斤", D("50000"))
    assert parse_quantity("50吨").kg == D("50000")
    assert parse_area_mu("2033亩") == D("2033")
    assert parse_area_mu("135.5公顷") == D("2032.5")


@pytest.mark.parametrize("cell", ["2018年8月13日", "2018/8/13", "2018.8.13", 43325])
def test_contract_dates(cell):
    assert parse_date(cell) == dt.date(2018, 8, 13)


@pytest.mark.parametrize(("cell", "expected"), [("是", True), ("否", False), ("√", True), ("×", False),
                                                ("Y", True), ("N", False)])
def test_contract_booleans(cell, expected):
    assert parse_bool(cell) is expected


@pytest.mark.parametrize("cell", [None, "", "-", "—", "/", "无", "——"])
@pytest.mark.parametrize(
    "parser",
    [parse_money, parse_count, parse_number, parse_percent, parse_quantity, parse_area_mu, parse_date,
     parse_bool, parse_year, parse_text],
)
def test_contract_missing_markers_are_null_for_every_kind(cell, parser):
    assert is_missing(cell)
    assert parser(cell) is None


@pytest.mark.parametrize("cell", ["abc", "1.2.3万", "#REF!", "#DIV/0!"])
@pytest.mark.parametrize(
    ("parser", "kind"),
    [(parse_money, "money"), (parse_count, "count"), (parse_number, "number"), (parse_percent, "percent"),
     (parse_quantity, "quantity"), (parse_area_mu, "area"), (parse_date, "date"), (parse_bool, "bool"),
     (parse_year, "year")],
)
def test_contract_garbage_is_unparseable_with_raw_and_kind(cell, parser, kind):
    with pytest.raises(Unparseable) as caught:
        parser(cell)
    assert caught.value.raw == cell
    assert caught.value.kind == kind
    assert isinstance(caught.value, ValueError)


# --- text normalisation, missing and error values ---------------------------------------------

def test_normalize_text_fullwidth_and_unicode_spaces():
    assert normalize_text("\u3000１，４９２．５万元\xa0") == "1,492.5万元"
    assert normalize_text("（万元）") == "(万元)"
    assert normalize_text("A\u2003B\u202fC\tD") == "A B C D"
    assert normalize_text("\ufeff金桔基地\u200b") == "金桔基地"
    assert normalize_text(12) == "12"
    assert normalize_text(None) == ""


@pytest.mark.parametrize(
    "cell",
    [None, float("nan"), Decimal("NaN"), "", "   ", "\u3000", "\xa0\u3000 ", "-", "—", "–", "/", "无", "——", "--",
     "／", "－", " — "],
)
def test_missing(cell):
    assert is_missing(cell)


@pytest.mark.parametrize("cell", [0, 0.0, "0", False, "零", "无锡", "-5", "a"])
def test_not_missing(cell):
    assert not is_missing(cell)


@pytest.mark.parametrize("cell", ["#REF!", "#DIV/0!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!", " #ref! ",
                                  "＃ＲＥＦ！"])
def test_excel_errors(cell):
    assert is_error_value(cell)
    with pytest.raises(Unparseable, match="Excel error"):
        parse_money(cell)


@pytest.mark.parametrize("cell", ["REF", "#", "1492", 1492, None])
def test_not_excel_errors(cell):
    assert not is_error_value(cell)


# --- units in headers and unit lines -------------------------------------------------------------

@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("投入资金（万元）", "万元"),
        ("销售额(元)", "元"),
        ("贫困发生率（%）", "%"),
        ("贫困发生率（％）", "%"),
        ("伙食补贴（元/人/天）", "元"),
        ("面积（亩）", "亩"),
        ("面积(公顷)", "公顷"),
        ("电动车（部）", "部"),
        ("数量（斤）", "斤"),
        ("带动农户（户）", "户"),
        ("金额/万元", "万元"),
        ("村集体经济收入（万元/年）", "万元"),
        ("农村人口（万人）", "万人"),
        ("投入资金\n（单位：万元）", "万元"),
        ("贫困发生率%", "%"),
        ("项目名称", None),
        ('村"两委"干部', None),
        ("类型（合作社/龙头企业/家庭农场/能人）", None),
        ("是否贫困村（是/否）", None),
        ("乡镇（街道）", None),
        ("", None),
    ],
)
def test_unit_from_header(header, unit):
    assert unit_from_header(header) == unit


@pytest.mark.parametrize(
    ("line", "unit"),
    [
        ("单位：万元", "万元"),
        ("单位:元", "元"),
        ("金额单位：万元", "万元"),
        ("（单位：万元）", "万元"),
        ("单位： 万元", "万元"),
        ("填报单位：某县扶贫办          单位：万元", "万元"),
        ("填报单位：三江侗族自治县扶贫开发领导小组办公室", None),
        ("填报单位：万象县", None),
        ("报告期：2018年8月", None),
        ("三江县贫困发生率变化情况表", None),
    ],
)
def test_unit_from_unit_line(line, unit):
    assert unit_from_unit_line(line) == unit


# --- money edge cases ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("cell", "header_unit", "yuan"),
    [
        ("850000元", "万元", "850000"),  # the cell's unit wins over the header
        ("1492万", "元", "14920000"),
        ("1,492", "万元", "14920000"),
        ("1492", None, "1492"),
        ("1492", "元", "1492"),
        ("1492", "千元", "1492000"),
        (1492, None, "1492"),
        (Decimal("1492.5"), "万元", "14925000"),
        ("100元/人/天", None, "100"),
        ("80元/人/天", "元", "80"),
        ("100元每人每天", None, "100"),
        ("-50万元", None, "-500000"),
        ("+5万元", None, "50000"),
        ("七万元", None, "70000"),
        ("十万", None, "100000"),
        ("一点五万元", None, "15000"),
        ("两万五千元", None, "25000"),
        ("壹仟肆佰玖拾贰万元整", None, "14920000"),
        ("1 492万", None, "14920000"),
        ("1\xa0492 万元", None, "14920000"),
        ("1，492万元", None, "14920000"),
        ("1,492,000元", None, "1492000"),
        ("１，４９２．５万元", None, "14925000"),
        ("0.58万元", None, "5800"),
        ("0.025亿元", None, "2500000"),
        ("3千元", None, "3000"),
        ("1.5百万元", None, "1500000"),
        (".5万", None, "5000"),
        ("￥1,492.50", None, "1492.50"),
        ("0", "万元", "0"),
        ("零", None, "0"),
    ],
)
def test_money_points(cell, header_unit, yuan):
    money = parse_money(cell, header_unit)
    assert money_tuple(money) == point(yuan)


def test_money_rounds_half_up_to_the_fen():
    assert parse_money("1.005元").point == D("1.01")
    assert parse_money("1.004元").point == D("1.00")
    assert parse_money("0.123456万元").point == D("1234.56")
    assert parse_money(0.125).point == D("0.13")  # Decimal('0.125') exactly, so half-up applies
    assert parse_money("-1.005元").point == D("-1.01")


def test_money_from_excel_float_is_exact():
    assert parse_money(0.1492, "亿元").point == D("14920000.00")
    assert parse_money(327.48130000000003, "万元").point == D("3274813.00")
    assert parse_money(0.1 + 0.2).point == D("0.30")
    assert parse_money(1e16).point == D("10000000000000000")


def test_unit_from_cell():
    assert parse_money("1492万").unit_from_cell
    assert parse_money("850000元", "万元").unit_from_cell
    assert parse_money("一千四百九十二万元").unit_from_cell
    assert not parse_money("1492", "万元").unit_from_cell
    assert not parse_money(1492, "万元").unit_from_cell
    assert not parse_money("约1492", "万元").unit_from_cell


def test_money_qualifiers_under_a_header_unit():
    assert money_tuple(parse_money("约700", "万元")) == point("7000000", "approx")
    assert money_tuple(parse_money("5以上", "万元")) == (D("50000"), None, "at_least")
    assert money_tuple(parse_money("2-10", "万元")) == (D("20000"), D("100000"), "range")
    assert money_tuple(parse_money("2-10万元", "元")) == (D("20000"), D("100000"), "range")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("大约700万元", (D("7000000"), D("7000000"), "approx")),
        ("将近700万元", (D("7000000"), D("7000000"), "approx")),
        ("约42万", (D("420000"), D("420000"), "approx")),
        ("约 ７００ 万元", (D("7000000"), D("7000000"), "approx")),
        ("50余万元", (D("500000"), None, "at_least")),
        ("5万多元", (D("50000"), None, "at_least")),
        ("逾5万元", (D("50000"), None, "at_least")),
        ("不少于5万元", (D("50000"), None, "at_least")),
        ("约50余万元", (D("500000"), None, "at_least")),
        ("超过50万元以上", (D("500000"), None, "at_least")),
        ("不超过2万元", (None, D("20000"), "at_most")),
        ("2万元以内", (None, D("20000"), "at_most")),
        ("不到2万", (None, D("20000"), "at_most")),
        ("低于2万元", (None, D("20000"), "at_most")),
        ("1万元至6万元不等", (D("10000"), D("60000"), "range")),
        ("2万到10万元之间", (D("20000"), D("100000"), "range")),
        ("2万元—10万元", (D("20000"), D("100000"), "range")),
        ("2－10万元", (D("20000"), D("100000"), "range")),
        ("二至十万元", (D("20000"), D("100000"), "range")),
        ("2万-10", (D("20000"), D("100000"), "range")),  # a bare end shares the other end's unit
        ("约2-3万元", (D("20000"), D("30000"), "range")),
        ("0.5-1.5亿元", (D("50000000"), D("150000000"), "range")),
    ],
)
def test_money_qualifiers_and_bands(cell, expected):
    assert money_tuple(parse_money(cell)) == expected


def test_reversed_band_is_kept_as_written():
    # min > max is the inconsistent_band rule's business, not the parser's
    assert money_tuple(parse_money("10万元至2万元")) == (D("100000"), D("20000"), "range")
    assert parse_money("10万元至2万元").point is None


def test_money_point():
    assert Money(D("1"), D("1"), None, True).point == D("1")
    assert Money(D("1"), D("1"), "approx", True).point == D("1")
    assert Money(D("5"), None, "at_least", True).point == D("5")
    assert Money(None, D("2"), "at_most", True).point == D("2")
    assert Money(D("2"), D("10"), "range", True).point is None
    assert Money(D("2"), D("2"), "range", True).point == D("2")


def test_money_is_frozen():
    money = parse_money("1492万元")
    with pytest.raises(AttributeError):
        money.min_yuan = D(0)


@pytest.mark.parametrize(
    "cell",
    ["abc", "1.2.3万", "1,49万", "1,4920元", "万元", "元", "5万元不等", "2万元以上以下", "超过2万元以下",
     "2-10万元以上", "5万人", "1492万元（财政）", "2018-08-13", "1/2", "五五万元", "12abc", "约", "1.2.3",
     "1492万美元", True, False, float("inf"), Decimal("Infinity"), dt.date(2018, 8, 13)],
)
def test_money_unparseable(cell):
    with pytest.raises(Unparseable) as caught:
        parse_money(cell)
    assert caught.value.kind == "money"
    assert caught.value.raw == str(cell)


def test_unparseable_raw_is_the_original_text():
    with pytest.raises(Unparseable) as caught:
        parse_money("\u3000１．２．３万\u3000")
    assert caught.value.raw == "\u3000１．２．３万\u3000"
    assert "money" in str(caught.value)


# --- counts -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("cell", "count"),
    [
        ("322人", 322),
        ("1,104户", 1104),
        ("419部", 419),
        ("三百二十二", 322),
        ("１９４人", 194),
        ("\u3000322\u3000", 322),
        ("\xa020\xa0", 20),
        ("48\xa0人", 48),
        (322.0, 322),
        (322, 322),
        (Decimal("322"), 322),
        ("6,812人", 6812),
        ("35,475人", 35475),
        ("一百四十七", 147),
        ("一万一千九百三十七", 11937),
        ("十七", 17),
        ("-12户", -12),
        ("1.2万人", 12000),
        ("110个村", 110),
        ("12辆", 12),
        ("3名", 3),
        ("5个", 5),
        ("322.0", 322),
        ("+5", 5),
        ("约322人", 322),  # an approximate word is dropped: the county's number is 322
        ("322人左右", 322),
    ],
)
def test_counts(cell, count):
    assert parse_count(cell) == count


def test_count_header_multiplier():
    assert parse_count(1.2, "万人") == 12000
    assert parse_count("1.2", "万人") == 12000
    assert parse_count("12000人", "万人") == 12000  # the cell's unit wins
    assert parse_count(322, "人") == 322


@pytest.mark.parametrize(
    "cell", ["3.5", 3.5, "1.23456万人", "300余人", "300多户", "2-5户", "超过300人", "322元", "322亩", "abc", True,
             "1.2.3"],
)
def test_count_unparseable(cell):
    with pytest.raises(Unparseable) as caught:
        parse_count(cell)
    assert caught.value.kind == "count"


# --- numbers ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("cell", "header_unit", "number"),
    [
        ("2033亩", None, "2033"),
        ("129.5亩", None, "129.5"),
        ("1.2万", None, "12000"),
        ("1,492.5", None, "1492.5"),
        ("１２．５", None, "12.5"),
        (12.5, None, "12.5"),
        (12, None, "12"),
        (3, "万亩", "30000"),
        ("3", "万亩", "30000"),
        ("5元/斤", None, "5"),
        ("约12", None, "12"),
        ("-3.5", None, "-3.5"),
        ("零点五", None, "0.5"),
    ],
)
def test_numbers(cell, header_unit, number):
    assert parse_number(cell, header_unit) == D(number)


def test_numbers_do_not_use_exponent_notation():
    assert str(parse_number("1.2万")) == "12000"
    assert str(parse_number(1e5)) == "100000"


@pytest.mark.parametrize("cell", ["abc", "12不详", "1.2.3", "2-5", "5以上", True])
def test_number_unparseable(cell):
    with pytest.raises(Unparseable) as caught:
        parse_number(cell)
    assert caught.value.kind == "number"


# --- percentages --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("cell", "number_format", "header_unit", "percent"),
    [
        ("74.8%", None, None, "74.8"),
        ("74.8％", None, None, "74.8"),
        (" 74.8 % ", None, None, "74.8"),
        (23.68, None, "%", "23.68"),
        ("23.68", None, "%", "23.68"),
        (0.2368, "0.00%", None, "23.68"),
        (0.2368, "0.00%", "%", "23.68"),  # the format decides: Excel shows 23.68%
        (0.0582, "0.00%", None, "5.82"),
        (1, "0%", None, "100"),
        (0.2368, "General", None, "0.2368"),
        ("23.68", None, None, "23.68"),
        ("0.2368", None, None, "0.2368"),  # left as written; validation flags ranges
        ("百分之七十四点八", None, None, "74.8"),
        ("5‰", None, None, "0.5"),
        (5, None, "‰", "0.5"),
        ("约10%", None, None, "10"),
    ],
)
def test_percentages(cell, number_format, header_unit, percent):
    assert parse_percent(cell, number_format, header_unit) == D(percent)


def test_percent_scaling_is_exact():
    assert str(parse_percent(0.2368, "0.00%")) == "23.68"
    assert str(parse_percent(0.1, "0%")) == "10"


def test_percent_literal_in_format_does_not_scale():
    assert parse_percent(23.68, '0.00"%"') == D("23.68")
    assert parse_percent(23.68, "0.00\\%") == D("23.68")


@pytest.mark.parametrize("cell", ["abc", "74.8%%", "10%以上", "74.8元", True])
def test_percent_unparseable(cell):
    with pytest.raises(Unparseable) as caught:
        parse_percent(cell)
    assert caught.value.kind == "percent"


# --- quantities -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("cell", "unit_hint", "expected"),
    [
        ("10万斤", None, Quantity(D("100000"), "斤", D("50000"))),
        ("50吨", None, Quantity(D("50"), "吨", D("50000"))),
        ("700公斤", None, Quantity(D("700"), "公斤", D("700"))),
        ("700千克", None, Quantity(D("700"), "公斤", D("700"))),
        ("700kg", None, Quantity(D("700"), "公斤", D("700"))),
        ("700 KG", None, Quantity(D("700"), "公斤", D("700"))),
        ("336瓶", None, Quantity(D("336"), "瓶", None)),
        ("4800羽", None, Quantity(D("4800"), "羽", None)),
        ("4018箱", None, Quantity(D("4018"), "箱", None)),
        ("270只", None, Quantity(D("270"), "只", None)),
        ("12坛", None, Quantity(D("12"), "坛", None)),  # a unit nobody listed is still a unit
        (1754, "瓶", Quantity(D("1754"), "瓶", None)),
        (19772, "斤", Quantity(D("19772"), "斤", D("9886"))),
        ("19772", "斤", Quantity(D("19772"), "斤", D("9886"))),
        (5, "万斤", Quantity(D("50000"), "斤", D("25000"))),
        ("10万", "斤", Quantity(D("100000"), "斤", D("50000"))),
        ("10万斤", "瓶", Quantity(D("100000"), "斤", D("50000"))),  # a cell unit wins
        ("3两", None, Quantity(D("3"), "两", D("0.15"))),
        ("500克", None, Quantity(D("500"), "克", D("0.5"))),
        ("500g", None, Quantity(D("500"), "克", D("0.5"))),
        ("2t", None, Quantity(D("2"), "吨", D("2000"))),
        ("700市斤", None, Quantity(D("700"), "斤", D("350"))),
        (5, "kg", Quantity(D("5"), "公斤", D("5"))),
        (12.5, None, Quantity(D("12.5"), None, None)),
        ("1万公斤", None, Quantity(D("10000"), "公斤", D("10000"))),
        ("10849公斤", None, Quantity(D("10849"), "公斤", D("10849"))),
    ],
)
def test_quantities(cell, unit_hint, expected):
    assert parse_quantity(cell, unit_hint) == expected


@pytest.mark.parametrize("cell", ["abc", "10斤以上", "2-5吨", "1.2.3斤", "12不详"])
def test_quantity_unparseable(cell):
    with pytest.raises(Unparseable) as caught:
        parse_quantity(cell)
    assert caught.value.kind == "quantity"


# --- areas ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("cell", "header_unit", "mu"),
    [
        ("2033亩", None, "2033"),
        ("135.5公顷", None, "2032.5"),
        (3, "公顷", "45"),
        ("3", "公顷", "45"),
        ("3公顷", None, "45"),
        ("3公顷", "亩", "45"),
        ("3亩", "公顷", "3"),  # the cell's unit wins
        (25, None, "25"),
        (25, "亩", "25"),
        ("1.2万亩", None, "12000"),
        (1.2, "万亩", "12000"),
        ("6670平方米", None, "10.005"),
        ("129.5", None, "129.5"),
    ],
)
def test_areas(cell, header_unit, mu):
    assert parse_area_mu(cell, header_unit) == D(mu)


@pytest.mark.parametrize("cell", ["abc", "12斤", "12户", "2-5亩"])
def test_area_unparseable(cell):
    with pytest.raises(Unparseable) as caught:
        parse_area_mu(cell)
    assert caught.value.kind == "area"


# --- dates --------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "cell",
    [
        "2018年8月13日",
        "2018年08月13日",
        "2018年8月13号",
        "2018 年 8 月 13 日",
        "２０１８年８月１３日",
        "2018/8/13",
        "2018.8.13",
        "2018-08-13",
        "2018-08-13 00:00:00",
        "2018-08-13T09:30",
        "20180813",
        "二〇一八年八月十三日",
        43325,
        43325.0,
        43325.75,  # the fraction is the time of day
        "43325",
        dt.date(2018, 8, 13),
        dt.datetime(2018, 8, 13, 17, 5),
    ],
)
def test_dates(cell):
    result = parse_date(cell)
    assert result == dt.date(2018, 8, 13)
    assert type(result) is dt.date


@pytest.mark.parametrize("cell", ["abc", "2018年2月30日", "2018-13-01", "2018年8月", "2018/8-13", 0, -5, True,
                                  "#REF!"])
def test_date_unparseable(cell):
    with pytest.raises(Unparseable) as caught:
        parse_date(cell)
    assert caught.value.kind == "date"


# --- booleans -------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["是", "√", "Y", "y", "yes", "YES", "true", "TRUE", "1", "✓", "✔", True, 1, 1.0,
                                  " 是 ", "Ｙ"])
def test_true(cell):
    assert parse_bool(cell) is True


@pytest.mark.parametrize("cell", ["否", "×", "N", "n", "no", "false", "FALSE", "0", "✗", "✘", False, 0, 0.0])
def test_false(cell):
    assert parse_bool(cell) is False


@pytest.mark.parametrize("cell", ["x", "X", "abc", "2", 2, "是否", "0.5"])
def test_bool_unparseable(cell):
    with pytest.raises(Unparseable) as caught:
        parse_bool(cell)
    assert caught.value.kind == "bool"


# --- years --------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", [2018, "2018", "2018年", 2018.0, "2018年度", "２０１８年", "二〇一八年", " 2018 ",
                                  Decimal("2018")])
def test_years(cell):
    assert parse_year(cell) == 2018


def test_year_bounds():
    assert parse_year(1949) == 1949
    assert parse_year("2100年") == 2100


@pytest.mark.parametrize("cell", [1948, "2101", "18年", 2018.5, "2018.5", "2018年8月", "abc", True])
def test_year_unparseable(cell):
    with pytest.raises(Unparseable) as caught:
        parse_year(cell)
    assert caught.value.kind == "year"


# --- Chinese numerals ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("三百二十二", "322"),
        ("一千四百九十二", "1492"),
        ("一百四十七", "147"),
        ("两千", "2000"),
        ("十二", "12"),
        ("一十二", "12"),
        ("十", "10"),
        ("零", "0"),
        ("一万二千", "12000"),
        ("一万二", "12000"),  # colloquial: the digit after 万 is thousands
        ("三百五", "350"),
        ("两万五", "25000"),
        ("一万零五", "10005"),
        ("一千零五十", "1050"),
        ("一百零五", "105"),
        ("一亿二千万", "120000000"),
        ("一亿零五", "100000005"),
        ("零点五", "0.5"),
        ("十二点三四", "12.34"),
        ("壹仟肆佰玖拾贰", "1492"),
        ("贰拾", "20"),
        ("叁佰贰拾贰", "322"),
        ("负五", "-5"),
    ],
)
def test_chinese_numerals(text, number):
    assert parse_chinese_numeral(text) == D(number)


@pytest.mark.parametrize("text", ["", "百", "万", "十十", "一二", "五零", "百二", "千百", "三点", "点五", "三点两",
                                  "一万万", "12", "abc", "一亿亿"])
def test_chinese_numeral_unparseable(text):
    with pytest.raises(Unparseable):
        parse_chinese_numeral(text)


# --- text ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (12.0, "12"),
        (12.5, "12.5"),
        (12, "12"),
        (Decimal("12.0"), "12"),
        ("\u3000金桔基地\xa0", "金桔基地"),
        ("ＡＢＣ合作社", "ABC合作社"),
        ("-", None),
        ("无", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_text(cell, text):
    assert parse_text(cell) == text
