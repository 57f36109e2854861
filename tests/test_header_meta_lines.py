"""A 填报单位 / 报告期 line above the header is what the form says about itself, never header
labels: its 单位 must not make the 序号 column a 计量单位 column (which hid the 合计 row)."""

from __future__ import annotations

import openpyxl
import pytest

from pipelines.flow import check_file

ROWS = [
    ["扶贫产品", "销售渠道", "销售数量", "销售额", "带动户数"],
    ["下安大米", "后盾单位食堂采购", "219吨", "23.1458万元", 54],
    ["石林番石榴", "展销会", "7,700斤", "70.2282万元", 82],
    ["龙峒木耳", "扶贫专柜", "61771公斤", "36.1503万元", 62],
]


@pytest.mark.parametrize("blank_between", [True, False])
@pytest.mark.parametrize("meta", [
    ["填报单位：乐业县扶贫开发领导小组办公室", None, None, "报告期：2018年8月"],
    ["填报单位（盖章）：乐业县扶贫办", None, "单位：元", None, "填表人：黄海燕"],
])
def test_meta_line_above_the_header_is_not_a_header_row(tmp_path, meta, blank_between):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "消费扶贫"
    ws.append(["乐业县消费扶贫情况统计表"])
    ws.append(meta)
    if blank_between:
        ws.append([])
    ws.append(["序号", *ROWS[0]])
    for i, row in enumerate(ROWS[1:], start=1):
        ws.append([i, *row])
    ws.append(["合计", None, None, None, 1_299_943, 198])
    folder = tmp_path / "451028"
    folder.mkdir()
    path = folder / "乐业县2018年8月消费扶贫.xlsx"
    wb.save(path)

    result = check_file(path, period="2018-08")
    assert [t.label for t in result.totals] == ["合计"]
    assert result.quarantined == []
    assert [r.values["product"] for r in result.records] == ["下安大米", "石林番石榴", "龙峒木耳"]
    assert all(r.values.get("unit") in (None, "吨", "斤", "公斤") for r in result.records)
    assert [r.values["sales_yuan"] for r in result.records] == [231458.0, 702282.0, 361503.0]
