"""Robustness: corpus files re-spelled the way the hidden acceptance set is built ("other header
wordings, number spellings, layouts, encodings and periods"), each checked against the answer
derived from the file's own expected JSON (tests/variants.py).

Every case here once failed; each is kept as a regression test of the mechanism that fixed it.
"""

from __future__ import annotations

import copy
import datetime as dt
from functools import cache
from typing import Callable

import pytest

from pipelines.flow import check_file
from tests import variants as V

pytestmark = pytest.mark.skipif(not (V.CORPUS / "expected").is_dir(), reason="acceptance corpus not present")

# corpus files used as seeds
TEAM = "451425/天等县2018年8月驻村工作队力量统计表.xlsx"  # 序号 col, 合计 row (SUM formulas), notes
FUND2 = "451425/天等县脱贫攻坚资金投入_201808.xlsx"  # 2-row header 资金投入 over 金额（万元）|资金来源
FUND_ERR = "450125/上林县2018年8月资金投入.xlsx"  # row errors: 1.2.3万, #REF!, -, -50万元, duplicate
FUND_Q = "451229/大化县扶贫资金投入季报.xlsx"  # cover sheet with 报告期：2018年第三季度, 投资额（元）
COLL = "451228/都安县2018年度村集体经济.xlsx"  # annual, 1-row header, 村 / 发展产业/模式 / 村集体经济收入
COLL_CSV = "450222/柳城县2018年8月村集体经济.csv"  # GBK CSV with row errors
IND = "451003/田阳县2018年8月产业带贫情况.xlsx"  # 1-row header with 序号
POV = "451225/罗城县贫困发生率统计.xlsx"  # 统计截止日期 + date cell; mixed % spellings
POV_CSV = "450224/融安县贫困发生率_2018-08.csv"  # period from the file name only
SALES = "450126/宾阳县消费扶贫201807.xlsx"  # cell 报告期 beats the file name
SALES_UNIT_LINE = "451028/乐业县2018年8月消费扶贫.xlsx"  # 单位：万元 line, wrong 合计
TEAM_CSV = "451031/隆林县2018年8月驻村工作队.csv"  # UTF-8 semicolon


@cache
def _seed(rel: str) -> V.Variant:
    return V.load(rel)


def seed(rel: str) -> V.Variant:
    return copy.deepcopy(_seed(rel))


def check(v: V.Variant, tmp_path) -> dict:
    path = V.write(v, tmp_path / "inbox")
    return check_file(path, county=v.expected["county"]).to_json()


def assert_variant(v: V.Variant, tmp_path) -> dict:
    got = check(v, tmp_path)
    diffs = V.compare(v.expected, got)
    assert not diffs, "\n".join(diffs)
    return got


def record(got: dict, form: str, row: int) -> dict:
    return next(r["values"] for r in got["records"] if r["form"] == form and r["row"] == row)


Case = Callable[[], V.Variant]


def cases(*items: tuple[str, Case]):
    """pytest params, named by their id."""
    return [pytest.param(case, id=name) for name, case in items]


# --- the generator itself ---------------------------------------------------------------------------

@pytest.mark.parametrize("rel", [TEAM, FUND2, FUND_ERR, COLL_CSV, POV, TEAM_CSV,
                                 "451221/南丹县2018年8月村集体经济.xls",
                                 "451222/天峨县2018年8月资金与消费扶贫.xlsm",
                                 "451223/2018-08/凤山县脱贫攻坚统计报表.xlsx"])
def test_rebuilt_corpus_file_gives_its_expected_answer(rel, tmp_path):
    """The model round-trips: a rebuilt file (formulas as cached values) answers like the original."""
    assert_variant(seed(rel), tmp_path)


def test_inserted_rows_and_columns_move_the_expected_answer(tmp_path):
    v = seed(FUND_ERR)
    s = v.sheet()
    V.insert_rows(v, s, 1, 2)
    V.insert_cols(v, s, 1, 1)
    issues = {i["cell"]: i["rule"] for i in v.expected["issues"]}
    assert issues["D10"] == "unparseable_value" and issues["B18"] == "required_missing"  # C8 and A16 before
    got = assert_variant(v, tmp_path)
    assert record(got, "fund", 8)["amount_yuan"] == 2996200.0


# --- layout -------------------------------------------------------------------------------------------

def _shifted(rel: str, rows: int, cols: int) -> Case:
    def build():
        v = seed(rel)
        for s in v.sheets:
            V.insert_rows(v, s, 1, rows)
            V.insert_cols(v, s, 1, cols)
        return v
    return build


def _sheet1_no_title(rel: str) -> Case:
    def build():
        v = seed(rel)
        s = v.sheet()
        s.set(1, 1, None)  # the title goes; the form is known from its headers only
        V.rename_sheet(v, s.name, "Sheet1")
        return v
    return build


def _serial(rel: str) -> Case:
    def build():
        v = seed(rel)
        V.add_serial_column(v, v.sheet())
        return v
    return build


def _group(rel: str, group: str, leaves: list[str]) -> Case:
    def build():
        v = seed(rel)
        V.group_header(v, v.sheet(), group, leaves)
        return v
    return build


def _three_rows(rel: str, *args) -> Case:
    def build():
        v = seed(rel)
        V.three_row_header(v, v.sheet(), *args)
        return v
    return build


@pytest.mark.parametrize("build", cases(
    ("team-header-on-row-8-from-column-C", _shifted(TEAM, 4, 2)),
    ("fund-2row-header-on-row-7", _shifted(FUND2, 4, 1)),
    ("collective-csv-3-blank-lines-2-blank-columns", _shifted(COLL_CSV, 3, 2)),
    ("poverty-date-cell-shifted", _shifted(POV, 2, 3)),
    ("sales-sheet1-title-removed", _sheet1_no_title(SALES)),
    ("industry-sheet1-title-removed", _sheet1_no_title(IND)),
    ("collective-serial-column", _serial(COLL)),
    ("poverty-serial-column", _serial(POV)),
    ("industry-2row-group-header", _group(IND, "带富情况", ["带动农户（户）", "其中贫困户"])),
    ("poverty-2row-group-header", _group(POV, "人口情况（人）", ["贫困人口", "农村人口"])),
    ("collective-2row-group-header", _group(COLL, "集体经济发展情况", ["发展产业/模式", "种植面积", "投入"])),
    ("team-3row-header", _three_rows(TEAM, "扶贫力量", ["驻村工作队员（人）", "乡镇专职队员", "专业扶贫工作队合计", '村"两委"干部'],
                                     "专业扶贫工作队（人）", ["驻村工作队员（人）", "乡镇专职队员", "专业扶贫工作队合计"])),
    ("sales-3row-header", _three_rows(SALES, "消费扶贫情况", ["数量", "销售额", "带动村数", "带动户数"],
                                      "带动情况", ["带动村数", "带动户数"])),
))
def test_layout_variants(build, tmp_path):
    assert_variant(build(), tmp_path)


TEAM_COLS = {"work_team_members": 3, "township_professionals": 4, "professional_team_total": 5,
             "village_cadres": 6, "poor_households": 7, "villages": 8, "e_bikes": 9}


def test_subtotal_rows_are_checked_not_loaded(tmp_path):
    v = seed(TEAM)
    s = v.sheet()
    first = V.data_rows(v, s)[:5]  # rows 5–9
    V.add_total_row(v, s, first[-1] + 1, "小计", 2, V.column_sums(v, s, first, TEAM_COLS), "team")
    rest = [r for r in V.data_rows(v, s) if r > first[-1] + 1]
    sums = V.column_sums(v, s, rest, TEAM_COLS)
    sums[7] += 500  # 贫困户数 of the second 小计 is wrong
    V.add_total_row(v, s, rest[-1] + 1, "小计", 2, sums, "team")
    V.warn(v, s, "team", "sum_mismatch", f"G{rest[-1] + 1}")
    got = assert_variant(v, tmp_path)
    assert {t["row"] for t in got["totals_rows"]} == {10, 19, 20}  # two 小计 and the shifted 合计
    assert record(got, "team", 11)["work_team_members"] == 26  # 福新镇, below the first 小计


def test_total_row_directly_under_the_header_sums_the_rows_below(tmp_path):
    v = seed(IND)
    s = v.sheet()
    rows = V.data_rows(v, s)
    cols = {"households_driven": 5, "poor_households_driven": 6}
    sums = V.column_sums(v, s, rows, cols)
    assert sums == {5: 336, 6: 181}  # 12户+13+51户+… as the county wrote them
    sums[6] = 150
    V.add_total_row(v, s, rows[0], "合计", 2, sums, "industry")
    V.warn(v, s, "industry", "sum_mismatch", f"F{rows[0]}")
    got = assert_variant(v, tmp_path)
    assert record(got, "industry", 6)["org_name"] == "石宁村生猪种养致富带头人陆文军"


def _total_label(label: str) -> Case:
    def build():
        v = seed(FUND_Q)
        s = v.sheet()
        rows = V.data_rows(v, s)
        V.add_total_row(v, s, rows[-1] + 1, label, 1, V.column_sums(v, s, rows, {"amount_yuan": 4}), "fund")
        return v
    return build



@pytest.mark.parametrize("build", cases(
    ("合计", _total_label("合计")),
    ("总 计", _total_label("总 计")),
    ("全县合计", _total_label("全县合计")),
    ("合计-colon", _total_label("合计：")),
    ("合计-unit", _total_label("合计（万元）")),
    ("共计", _total_label("共计")),
))
def test_total_row_labels(build, tmp_path):
    assert_variant(build(), tmp_path)


def _notes(rel: str, *texts: str) -> Case:
    def build():
        v = seed(rel)
        V.set_note(v, v.sheet(), [*texts, "填表人：黄丽"])
        return v
    return build



@pytest.mark.parametrize("build", cases(
    ("备注", _notes(COLL_CSV, "备注：本表金额以财政部门拨付为准")),
    ("说明", _notes(COLL_CSV, "说明：本表由各乡镇填报")),
    ("制表人", _notes(COLL_CSV, "制表人：黄丽")),
    ("联系电话", _notes(COLL_CSV, "联系电话：0771-5672760")),
    ("填报日期", _notes(COLL_CSV, "填报日期：2018年9月5日")),
    ("审核人-in-xlsx", _notes(COLL, "审核人：韦国华", "注：本表按月填报")),
    ("经办人", _notes(COLL_CSV, "经办人：黄丽")),
    ("数据来源", _notes(COLL, "数据来源：县扶贫办")),
    ("单位盖章", _notes(COLL, "单位（盖章）：")),
))
def test_note_lines_below_the_table(build, tmp_path):
    assert_variant(build(), tmp_path)


# --- header wordings ------------------------------------------------------------------------------------

def _rename(rel: str, *pairs: tuple[str, str], sheet: str | None = None) -> Case:
    def build():
        v = seed(rel)
        for old, new in pairs:
            V.rename_header(v, old, new, v.sheet(sheet))
        return v
    return build


@pytest.mark.parametrize("build", cases(
    # fund
    ("建设项目名称", _rename(FUND2, ("项目名称", "建设项目名称"))),
    ("扶贫项目名称+资金投入额", _rename(FUND2, ("项目名称", "扶贫项目名称"), ("金额（万元）", "资金投入额（万元）"))),
    ("投资金额(万元)", _rename(FUND2, ("金额（万元）", "投资金额(万元)"))),
    ("下达资金+建设内容+项目所在地", _rename(FUND_Q, ("项目", "建设内容"), ("实施地点", "项目所在地"), ("投资额（元）", "下达资金（元）"))),
    ("到位资金+资金来源渠道", _rename(FUND_Q, ("投资额（元）", "到位资金（元）"), ("资金渠道", "资金来源渠道"))),
    # industry
    ("带动农户数（户）", _rename(IND, ("带动农户（户）", "带动农户数（户）"))),
    ("联农带农户数", _rename(IND, ("带动农户（户）", "联农带农户数"), ("其中贫困户", "其中：建档立卡贫困户"))),
    ("带富组织名称+带头人是否党员", _rename(IND, ("组织名称", "带富组织名称"), ("负责人是否党员", "带头人是否为党员"))),
    # poverty
    ("贫困发生率(％)", _rename(POV, ("贫困发生率（%）", "贫困发生率(％)"))),
    ("乡（镇）名称", _rename(POV, ("乡镇", "乡（镇）名称"), ("农村人口", "农村户籍人口（人）"))),
    ("年度+贫困人口数", _rename(POV_CSV, ("年度", "统计年度"), ("贫困人口", "建档立卡贫困人口数"))),
    # team
    ("驻村工作队员数+乡镇扶贫专干", _rename(TEAM, ("驻村工作队员（人）", "选派驻村工作队员（人）"), ("乡镇专职队员", "乡镇扶贫专干"))),
    ("专业扶贫队伍合计+村两委成员", _rename(TEAM, ("专业扶贫工作队合计", "专业扶贫队伍合计"), ('村"两委"干部', "村“两委”成员"))),
    ("派驻村数+电瓶车", _rename(TEAM_CSV, ("驻村数", "派驻村数"), ("配备电动车", "电瓶车（辆）"))),
    # collective
    ("村（社区）名称+经营项目", _rename(COLL, ("村", "村（社区）名称"), ("发展产业/模式", "经营项目"))),
    ("行政村+集体经济年收入", _rename(COLL, ("村", "行政村"), ("村集体经济收入", "村集体经济年收入"))),
    # sales
    ("产品名称+销售金额+带动贫困户数", _rename(SALES, ("产品", "产品名称"), ("销售额", "销售金额"), ("带动户数", "带动贫困户数"))),
    ("销售平台+成交额", _rename(SALES, ("销售渠道", "销售平台"), ("销售额", "成交额"))),
))
def test_other_header_wordings(build, tmp_path):
    assert_variant(build(), tmp_path)


def test_synonyms_are_written_in_matching_form():
    """Labels are compared after NFKC + no spaces/quotes, synonyms are not normalised: a synonym
    written with full-width （）：, spaces or quotes can never match exactly."""
    from pipelines.intake.locate import normalize
    from schemas.spec import all_forms

    bad = [(f.name, field, s) for f in all_forms().values() for field, syns in f.synonyms.items()
           for s in syns if normalize(s) != s]
    assert not bad


@pytest.mark.parametrize("build", cases(
    ("ascii-brackets", _rename(FUND2, ("金额（万元）", "金额(万元)"))),
    ("slash", _rename(FUND2, ("金额（万元）", "金额/万元"))),
    ("newline", _rename(FUND2, ("金额（万元）", "金额\n（万元）"))),
    ("单位-in-brackets", _rename(FUND2, ("金额（万元）", "金额（单位：万元）"))),
    ("lenticular", _rename(FUND2, ("金额（万元）", "金额【万元】"))),
    ("tortoise-shell", _rename(FUND2, ("金额（万元）", "金额〔万元〕"))),
    ("space", _rename(FUND2, ("金额（万元）", "金额 万元"))),
))
def test_header_unit_spellings(build, tmp_path):
    assert_variant(build(), tmp_path)


# --- units moved between header, cell and 单位 line ---------------------------------------------------------

def _fund_unit(where: str) -> Case:
    """FUND2 with 金额（万元） renamed 金额 and its unit moved somewhere else."""
    def build():
        v = seed(FUND2)
        s = v.sheet("资金投入")
        r, c = V.header_row(s, "金额（万元）")
        s.set(r, c, "金额")
        if where == "cells":
            for row in V.data_rows(v, s):
                if isinstance(s.get(row, c), (int, float)):
                    s.set(row, c, f"{s.get(row, c)}万元")
        elif where == "own-row":
            V.insert_rows(v, s, 3, 1)
            s.set(3, 6, "单位：万元")
        elif where == "title":
            s.set(1, 1, "天等县扶贫资金投入情况表（单位：万元）")
        elif where == "right-of-org":
            s.set(2, 6, "金额单位：万元")
        elif where == "same-cell-as-org":
            s.set(2, 1, "填报单位：天等县扶贫开发领导小组办公室        单位：万元")
        elif where == "split-cells":
            s.set(2, 5, "单位：")
            s.set(2, 6, "万元")
        elif where == "two-units":
            s.set(2, 6, "单位：个、万元")
        elif where == "group-label":
            V.rename_header(v, "资金投入", "资金投入（万元）", s)
        elif where == "unit-row":
            V.insert_rows(v, s, r + 1, 1)
            s.set(r + 1, c, "万元")
            s.merged = [(a, b, d + 1 if d == r and a < r else d, e) for a, b, d, e in s.merged]
        return v
    return build


@pytest.mark.parametrize("build", cases(
    ("in-cells", _fund_unit("cells")),
    ("单位-line-own-row", _fund_unit("own-row")),
    ("单位-in-title", _fund_unit("title")),
    ("金额单位-right-of-org", _fund_unit("right-of-org")),
    ("单位-same-cell-as-填报单位", _fund_unit("same-cell-as-org")),
    ("单位-and-value-in-two-cells", _fund_unit("split-cells")),
    ("单位-line-with-two-units", _fund_unit("two-units")),
    ("unit-only-in-group-label", _fund_unit("group-label")),
    ("unit-row-under-header", _fund_unit("unit-row")),
))
def test_units_moved(build, tmp_path):
    assert_variant(build(), tmp_path)


# --- number spellings -----------------------------------------------------------------------------------------

def _amount(text: str, yuan: float, qualifier: str | None = None) -> Case:
    """FUND2 row 6 (明合村屯亮化工程, 183.27 under 金额（万元）) written as `text`."""
    def build():
        v = seed(FUND2)
        V.set_value(v, v.sheet("资金投入"), "金额（万元）", 6, text, amount_yuan=yuan, amount_qualifier=qualifier)
        return v
    return build


@pytest.mark.parametrize("build", cases(
    ("comma-2dp", _amount("1,492.00万元", 14920000.0)),
    ("space", _amount("1492 万元", 14920000.0)),
    ("yen-wan", _amount("￥1,492万", 14920000.0)),
    ("daxie", _amount("壹仟肆佰玖拾贰万元", 14920000.0)),
    ("daxie-yuan-zheng", _amount("壹仟肆佰玖拾贰万元整", 14920000.0)),
    ("qianwan", _amount("1.492千万元", 14920000.0)),
    ("yi", _amount("0.1492亿", 14920000.0)),
    ("yuan-in-wan-column", _amount("14,920,000元", 14920000.0)),
    ("fullwidth", _amount("１４９２万元", 14920000.0)),
    ("rmb", _amount("人民币1492万元", 14920000.0)),
    ("approx", _amount("约1492万元", 14920000.0, "approx")),
    ("approx-suffix", _amount("1492万元左右", 14920000.0, "approx")),
    ("at-least", _amount("1492万余元", 14920000.0, "at_least")),
    ("yen-yuan-in-wan-column", _amount("¥14,920,000.00", 14920000.0)),
))
def test_money_spellings(build, tmp_path):
    got = assert_variant(build(), tmp_path)
    assert record(got, "fund", 6)["project_name"] == "明合村屯亮化工程"


def _count(text: str, n: int) -> Case:
    """TEAM_CSV row 4 (北桥镇) 建档立卡贫困户 written as `text`."""
    def build():
        v = seed(TEAM_CSV)
        V.set_value(v, v.sheet(), "建档立卡贫困户（户）", 4, text, poor_households=n)
        return v
    return build


@pytest.mark.parametrize("build", cases(
    ("comma-unit", _count("2,275 户", 2275)),
    ("fullwidth", _count("２２７５", 2275)),
    ("chinese", _count("二千二百七十五", 2275)),
    ("daxie", _count("贰仟贰佰柒拾伍", 2275)),
    ("dot-zero", _count("2275.00", 2275)),
    ("approx", _count("约2275户", 2275)),
    ("nbsp", _count("\xa02275\xa0", 2275)),
))
def test_count_spellings(build, tmp_path):
    assert_variant(build(), tmp_path)


def test_percent_spellings(tmp_path):
    v = seed(POV)
    s = v.sheet()
    V.set_value(v, s, "贫困发生率（%）", 5, "22.47％")
    V.set_value(v, s, "贫困发生率（%）", 6, "10.9 %")
    V.set_value(v, s, "贫困发生率（%）", 7, "16.64")
    got = assert_variant(v, tmp_path)
    assert [record(got, "poverty", r)["incidence_pct"] for r in (5, 6, 7)] == [22.47, 10.9, 16.64]


# --- encodings ------------------------------------------------------------------------------------------------

def _csv(rel: str, **opts) -> Case:
    def build():
        v = seed(rel)
        V.to_csv(v, **opts)
        return v
    return build


@pytest.mark.parametrize("build", cases(
    ("xlsx-2row-header-as-gbk-csv", _csv(FUND2, encoding="gbk")),
    ("xlsx-as-utf8-bom-csv-quoted", _csv(TEAM, encoding="utf-8-sig", quote_all=True)),
    ("xlsx-as-utf16-tab", _csv(POV, encoding="utf-16", delimiter="\t")),
    ("xlsx-as-semicolon-lf", _csv(IND, encoding="utf-8", delimiter=";", newline="\n")),
    ("gbk-csv-as-gb18030-tab-unpadded", _csv(COLL_CSV, encoding="gb18030", delimiter="\t", pad=False)),
    ("semicolon-csv-as-comma-gbk", _csv(TEAM_CSV, encoding="gbk")),
    ("cr-line-ends", _csv(SALES, encoding="utf-8", newline="\r")),
))
def test_csv_encodings_and_dialects(build, tmp_path):
    assert_variant(build(), tmp_path)


def test_quoted_thousands_in_comma_csv(tmp_path):
    v = seed(TEAM_CSV)
    V.to_csv(v, encoding="utf-8-sig")
    raw = V._csv_bytes(v)
    assert b'"2,275\xe6\x88\xb7"' in raw  # "2,275户" is quoted, its comma is no separator
    got = assert_variant(v, tmp_path)
    assert record(got, "team", 4)["poor_households"] == 2275


# --- periods ----------------------------------------------------------------------------------------------

def _period_cell(text: str, period: str = "2018-08", value_cell=None) -> Case:
    def build():
        v = seed(IND)
        v.name = "田阳县产业带贫情况.xlsx"  # no period in the name: the cell decides
        V.set_period_cell(v, text, value_cell, period)
        return v
    return build



@pytest.mark.parametrize("build", cases(
    ("2018年08月", _period_cell("报告期：2018年08月")),
    ("2018.8", _period_cell("报告期: 2018.8")),
    ("2018年8月份", _period_cell("报告期：2018年8月份")),
    ("2018年1-8月", _period_cell("统计时间：2018年1-8月")),
    ("统计截止时间-date", _period_cell("统计截止时间：2018年8月31日")),
    ("label-and-date-cell", _period_cell("统计截止日期：", value_cell=dt.datetime(2018, 8, 31))),
    ("第三季度", _period_cell("报告期：2018年第三季度", "2018-Q3")),
    ("年度", _period_cell("报告期：2018年度", "2018")),
    ("1月-8月", _period_cell("统计时间：2018年1月-8月")),
    ("1月至8月", _period_cell("统计时间：2018年1月至8月")),
    ("2018.1-2018.8", _period_cell("统计时间：2018.1-2018.8")),
    ("1—8月-emdash", _period_cell("统计时间：2018年1—8月")),
    ("统计截止", _period_cell("统计截止：2018-08-31")),
    ("二〇一八年八月", _period_cell("报告期：二〇一八年八月")),
    ("2018年八月", _period_cell("报告期：2018年八月")),
    ("with-填报日期-in-same-cell", _period_cell("报告期：2018年8月    填报日期：2018年9月5日")),
))
def test_period_cells(build, tmp_path):
    assert_variant(build(), tmp_path)


def _period_name(name: str | None = None, folder: str | None = None) -> Case:
    def build():
        v = seed(COLL_CSV)
        V.drop_period_cells(v)
        v.name = name or "柳城县村集体经济.csv"
        v.folder = folder
        v.expected["period"] = "2018-08"
        return v
    return build



@pytest.mark.parametrize("build", cases(
    ("name-2018年08月", _period_name("柳城县2018年08月村集体经济.csv")),
    ("name-201808", _period_name("柳城县村集体经济201808.csv")),
    ("name-(2018.8)", _period_name("柳城县村集体经济(2018.8).csv")),
    ("name-20180831", _period_name("柳城县村集体经济20180831.csv")),
    ("folder-2018-08", _period_name(folder="2018-08")),
    ("folder-2018年8月", _period_name(folder="2018年8月")),
    ("name-2018_08", _period_name("柳城县村集体经济_2018_08.csv")),
    ("folder-2018_08", _period_name(folder="2018_08")),
    ("name-18年8月", _period_name("柳城县18年8月村集体经济.csv")),
))
def test_period_from_file_name_and_folder(build, tmp_path):
    assert_variant(build(), tmp_path)


# --- reading ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("rel", [FUND_ERR, "450226/三江县2018年8月贫困发生率.xlsx"])
def test_excel_error_cells(rel, tmp_path):
    v = seed(rel)
    v.error_cells = True
    assert_variant(v, tmp_path)


def test_xlsx_content_with_xls_name(tmp_path):
    v = seed(IND)
    v.name = "田阳县2018年8月产业带贫情况.xls"  # openpyxl writes xlsx whatever the name
    assert_variant(v, tmp_path)


@pytest.mark.xfail(strict=True, reason=(
    "known gap: legacy .xls number formats are not read (calamine does not expose them; needs a BIFF "
    "format reader), so 0.2385 shown as 23.85% loads as 0.2385"))
def test_legacy_xls_percent_cells(tmp_path):
    pytest.importorskip("xlwt")  # not a project dependency: this case runs where xlwt is installed
    v = seed("450226/三江县2018年8月贫困发生率.xlsx")
    v.name = "三江县2018年8月贫困发生率.xls"
    folder = tmp_path / "inbox" / v.expected["county"]
    folder.mkdir(parents=True)
    V.write_xls(v, folder / v.name)
    got = check_file(folder / v.name, county=v.expected["county"]).to_json()
    diffs = V.compare(v.expected, got)
    assert not diffs, "\n".join(diffs)


def test_unknown_required_header_does_not_turn_the_sheet_into_another_form(tmp_path):
    v = seed(COLL)
    s = v.sheet()
    V.rename_header(v, "村", "村组", s)
    V.rename_header(v, "发展产业/模式", "发展项目", s)
    got = check(v, tmp_path)
    assert {r["form"] for r in got["records"]} <= {"collective"}, got["records"][:1]


# --- more layouts, forms by headers, dialects and periods (passing; locked in) ----------------------------

def _delete_rows(v: V.Variant, s: V.Sheet, at: int, k: int) -> None:
    """Rows at..at+k-1 go (cells and expected items); the rows below move up."""
    gone = range(at, at + k)
    s.cells = {((r - k if r >= at + k else r), c): x for (r, c), x in s.cells.items() if r not in gone}
    s.percent = {((r - k if r >= at + k else r), c) for (r, c) in s.percent if r not in gone}
    s.merged = [(a - (k if a >= at + k else 0), b, e - (k if e >= at + k else 0), d)
                for a, b, e, d in s.merged if a not in gone]
    for key in ("records", "quarantined", "issues", "totals_rows"):
        v.expected[key] = [x for x in v.expected.get(key, []) if not (x.get("sheet") == s.name and x.get("row") in gone)]
    V._move(v.expected, s.name, lambda r: r - k if r >= at + k else r, lambda c: c)


def _team_split_over_two_sheets() -> V.Variant:
    """TEAM's 13 townships as two sheets of the same form (6 + 7 rows), no 合计 row."""
    v = seed(TEAM)
    a = v.sheet()
    b = copy.deepcopy(a)
    b.name = "驻村工作队力量(二)"
    w = V.Variant([b], copy.deepcopy(v.expected), "x.xlsx")
    for _, item in V._expected_items(w.expected):
        item["sheet"] = b.name
    _delete_rows(v, a, 11, 8)
    _delete_rows(w, b, 18, 1)
    _delete_rows(w, b, 5, 6)
    v.sheets.append(b)
    for key in ("records", "quarantined", "issues", "totals_rows"):
        v.expected[key].extend(w.expected.get(key, []))
    return v


def _total_first_and_subtotals() -> V.Variant:
    v = seed(IND)
    s = v.sheet()
    cols = {"households_driven": 5, "poor_households_driven": 6}
    rows = V.data_rows(v, s)
    V.add_total_row(v, s, rows[0], "合计", 2, V.column_sums(v, s, rows, cols), "industry")
    rows = V.data_rows(v, s)
    g1, g2 = rows[:6], rows[6:]
    V.add_total_row(v, s, g2[-1] + 1, "小计", 2, V.column_sums(v, s, g2, cols), "industry")
    V.add_total_row(v, s, g1[-1] + 1, "小计", 2, V.column_sums(v, s, g1, cols), "industry")
    return v


def _township_merged_down() -> V.Variant:
    """POV re-ordered to township × (2015, 2017) with the township merged over its two rows."""
    v = seed(POV)
    s = v.sheet()
    mapping = {**{5 + i: 5 + 2 * i for i in range(6)}, **{11 + i: 6 + 2 * i for i in range(6)}}
    s.cells = {(mapping.get(r, r), c): x for (r, c), x in s.cells.items()}
    s.percent = {(mapping.get(r, r), c) for (r, c) in s.percent}
    V._move(v.expected, s.name, lambda r: mapping.get(r, r), lambda c: c)
    for r in range(5, 17, 2):
        assert s.get(r, 1) == s.get(r + 1, 1)
        s.set(r + 1, 1, None)
        s.merged.append((r, 1, r + 1, 1))
    return v


def _instructions_above_table() -> V.Variant:
    """A 10-line 填表说明 block (naming the columns) between the org line and the header."""
    v = seed(TEAM)
    s = v.sheet()
    V.insert_rows(v, s, 3, 10)
    lines = ["填表说明：", "1.驻村工作队员（人）：指选派到村的第一书记和工作队员；", "2.乡镇专职队员：指乡镇扶贫专干；",
             "3.专业扶贫工作队合计=驻村工作队员+乡镇专职队员；", '4.村"两委"干部：指村党支部和村委会成员；',
             "5.贫困户数：指建档立卡贫困户数；", "6.覆盖村数（个）：工作队驻村数；", "7.配备电动车：单位为部；",
             "8.伙食补贴（元/人/天）；", "9.合计行由公式自动计算，请勿修改。"]
    for i, t in enumerate(lines):
        s.set(3 + i, 1, t)
    return v


def _edit(rel: str, fn: Callable[[V.Variant, V.Sheet], None]) -> Case:
    def build():
        v = seed(rel)
        fn(v, v.sheet())
        return v
    return build


def _semicolon_csv_with_commas_in_text() -> V.Variant:
    v = seed(TEAM)
    s = v.sheet()
    s.set(1, 1, "天等县驻村工作队力量统计表(单位:人,个,部,元)")
    s.set(20, 1, "注:1,本表数据由各乡镇填报,县扶贫办汇总,2,金额保留两位小数,3,电话,0771-7116786")
    V.to_csv(v, encoding="utf-8", delimiter=";")
    return v


@pytest.mark.parametrize("build", cases(
    ("team-split-over-two-sheets", _team_split_over_two_sheets),
    ("total-under-header-and-subtotals", _total_first_and_subtotals),
    ("township-merged-over-year-rows", _township_merged_down),
    ("instructions-block-above-table", _instructions_above_table),
    ("blank-column-inside-table", _edit(TEAM, lambda v, s: V.insert_cols(v, s, 5, 1))),
    ("blank-column-inside-csv-table", _edit(COLL_CSV, lambda v, s: V.insert_cols(v, s, 3, 1))),
    ("serial-column-without-header", _edit(TEAM, lambda v, s: s.set(4, 1, None))),
    ("title-merged-wider-than-table", _edit(TEAM, lambda v, s: setattr(
        s, "merged", [m for m in s.merged if m[0] != 1] + [(1, 1, 1, 20)]))),
    ("team-sheet1-title-removed", _sheet1_no_title(TEAM)),
    ("fund-2row-sheet1-title-removed", _sheet1_no_title(FUND2)),
    ("collective-sheet1-title-removed", _sheet1_no_title(COLL)),
    ("poverty-sheet1-title-removed", _sheet1_no_title(POV)),
    ("utf8-bom-semicolon-csv", _csv(TEAM, encoding="utf-8-sig", delimiter=";")),
    ("semicolon-csv-commas-in-title-and-note", _semicolon_csv_with_commas_in_text),
    ("period-2018年08月度", _period_cell("报告期：2018年08月度")),
    ("period-截至2018年8月底", _period_cell("截至2018年8月底")),
    ("period-2018年7-9月", _period_cell("报告期：2018年7-9月", "2018-09")),
    ("period-text-right-of-label", _period_cell("报告期：", value_cell="2018年8月")),
    ("name-201808月", _period_name("柳城县201808月村集体经济.csv")),
    ("name-2018.08", _period_name("柳城县村集体经济2018.08.csv")),
    ("folder-201808", _period_name(folder="201808")),
))
def test_more_layout_dialect_and_period_variants(build, tmp_path):
    assert_variant(build(), tmp_path)


@pytest.mark.parametrize("rel", [FUND2, TEAM, COLL])
def test_legacy_xls_with_merged_headers(rel, tmp_path):
    pytest.importorskip("xlwt")  # not a project dependency: this case runs where xlwt is installed
    v = seed(rel)
    v.name = v.name.rsplit(".", 1)[0] + ".xls"
    folder = tmp_path / "inbox" / v.expected["county"]
    folder.mkdir(parents=True)
    V.write_xls(v, folder / v.name)
    got = check_file(folder / v.name, county=v.expected["county"]).to_json()
    diffs = V.compare(v.expected, got)
    assert not diffs, "\n".join(diffs)
