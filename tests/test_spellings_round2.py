"""Second round of clerk spellings found by variant testing: each once failed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipelines.intake.identify import period_from_text
from pipelines.intake.locate import _is_column_numbers
from pipelines.parsing.values import parse_bool, parse_count, parse_money


@pytest.mark.parametrize("text,period", [
    ("统计时间：2018年1月1日至8月31日", "2018-08"),
    ("统计时间：2018年1月1日-2018年8月31日", "2018-08"),
    ("2018.1.1-2018.8.31", "2018-08"),
    ("2018-01-01至2018-08-31", "2018-08"),
    ("2018/1/1-2018/8/31", "2018-08"),
    ("报告期：2018年7月1日至9月30日", "2018-09"),
    ("报告期：2018年Q3", "2018-Q3"),
    ("2018-08-31", "2018-08"),  # one date, not a range
    ("2018-01-08", "2018-01"),
])
def test_period_ranges_give_their_end(text, period):
    assert period_from_text(text) == period


@pytest.mark.parametrize("text,low,high,qualifier", [
    ("5万元及以上", 50000, None, "at_least"),
    ("5万元（含）以上", 50000, None, "at_least"),
    ("5万元以上（含5万元）", 50000, None, "at_least"),
    ("2万元（含）以下", None, 20000, "at_most"),
    ("2万-5万元（不含5万）", 20000, 50000, "range"),
])
def test_official_band_wordings(text, low, high, qualifier):
    money = parse_money(text)
    assert (money.min_yuan, money.max_yuan, money.qualifier) == (
        None if low is None else Decimal(low), None if high is None else Decimal(high), qualifier)


@pytest.mark.parametrize("text", ["(183.27)", "（183.27）", "−183.27"])
def test_accounting_negatives_are_negative(text):
    assert parse_money(text, "万元").point == Decimal("-1832700")


def test_unit_in_brackets_inside_a_count_cell():
    assert parse_count("1941（户）") == 1941 and parse_count("12(户)") == 12


@pytest.mark.parametrize("word,value", [("贫困村", True), ("非贫困村", False), ("党员", True),
                                        ("中共党员", True), ("非党员", False), ("群众", False)])
def test_yes_no_answered_in_the_questions_own_words(word, value):
    assert parse_bool(word) is value


@pytest.mark.parametrize("row,layout", [
    (["甲", "乙", 1, 2, 3, 4], True),
    (["栏次", None, "1", "2", "3"], True),
    ([1, 2, 3, 4], True),
    (["甲", "乙", "丙"], True),
    (["天等镇", 29, 12, 41], False),
    (["乙", "甲", 1, 2], False),
])
def test_column_number_rows(row, layout):
    assert _is_column_numbers(row) is layout


@pytest.mark.parametrize("label,bare", [("1.项目名称", "项目名称"), ("（一）资金投入", "资金投入"),
                                        ("一、村名", "村名"), ("12、金额（万元）", "金额(万元)")])
def test_numbered_header_labels_lose_their_number(label, bare):
    from pipelines.intake.locate import header_labels
    from pipelines.intake.read import Grid

    assert header_labels(Grid("表", [[label]]), 1, 1) == {1: (bare,)}


def test_required_fields_choose_first_when_greedy_leaves_one_without_a_column(monkeypatch):
    import pipelines.intake.locate as locate
    from schemas.spec import FieldSpec, FormSpec

    form = FormSpec("demo", "示例", "demo", (FieldSpec("must", "text", required=True), FieldSpec("nice", "text")),
                    key=("must",))
    monkeypatch.setattr(locate, "_synonyms", lambda name: {"must": ("甲乙",), "nice": ("甲乙丙",)})
    # 甲乙丙 names `nice` exactly (1.0) and contains `must`'s 甲乙 (0.8): the required field gets it
    assert {k: v.col for k, v in locate.map_columns({1: ("甲乙丙",)}, form).items()} == {"must": 1}
    # with a second column for `nice`, nothing needs repair
    got = locate.map_columns({1: ("甲乙丙",), 2: ("甲乙",)}, form)
    assert {k: v.col for k, v in got.items()} == {"nice": 1, "must": 2}


def test_bare_total_under_its_group_label_is_the_team_total():
    from pipelines.intake.locate import map_columns
    from schemas.spec import all_forms

    labels = {1: ("乡镇",), 2: ("驻村工作队", "选派工作队员数"), 3: ("驻村工作队", "乡镇专职队员"),
              4: ("驻村工作队", "合计"), 5: ("贫困户数",)}
    got = {k: v.col for k, v in map_columns(labels, all_forms()["team"]).items()}
    assert got == {"township": 1, "work_team_members": 2, "township_professionals": 3,
                   "professional_team_total": 4, "poor_households": 5}
