"""Feedback workbooks: the county's own file back with problem cells marked, and a 问题清单."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from pipelines.alerts.feedback import (
    ERROR_RGB,
    ISSUE_HEADER,
    ISSUE_SHEET,
    REJECT_SHEET,
    WARNING_RGB,
    Explanation,
    feedback_path,
    is_feedback_workbook,
    read_explanations,
    read_feedback_meta,
    redact_personal,
    write_feedback_workbook,
)
from pipelines.model import CheckResult, Issue

C5_MESSAGE = "C5「1.2.3万」不是有效金额，请填写数字，如 1492万元"
E7_MESSAGE = "E7「50元」的单位与表头（万元）不一致，已按 50 元计算，请核实"


def _fund_workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "资金投入"
    ws["A1"] = "融安县2018年8月扶贫资金投入情况表"
    ws.merge_cells("A1:E1")
    ws["A2"] = "填报单位：融安县扶贫办    单位：万元"
    ws.append(["序号", "项目名称", "财政资金（万元）", "实施村", "社会资金（万元）"])
    ws.append([1, "金桔基地", 1492, "大坡村", 20])
    ws.append([2, "百香果种植", "1.2.3万", "长安村", 5])
    ws.append([3, "道路硬化", 300, "浮石村", 0])
    ws.append([4, "饮水工程", 120.5, "泗顶村", "50元"])
    ws.append(["合计", None, 1912.5, None, 25])
    ws["A10"] = "填表人：张三    审核人：李四    电话：13812345678"
    wb.save(path)
    return path


def _fund_result(source: Path, file_type: str = "xlsx", extra: list[Issue] | None = None) -> CheckResult:
    issues = [
        Issue("error", "unparseable_value", C5_MESSAGE, "fund", "资金投入", "C5", 5, "1.2.3万"),
        Issue("warning", "unit_conflict", E7_MESSAGE, "fund", "资金投入", "E7", 7, "50元"),
    ]
    return CheckResult(
        file=source.name,
        path=str(source),
        sha256="0" * 64,
        size=source.stat().st_size,
        county_code="450224",
        period="2018-08",
        issues=issues + (extra or []),
        forms=["fund"],
        file_type=file_type,
    )


def _issue_rows(path: Path) -> list[tuple]:
    ws = load_workbook(path)[ISSUE_SHEET]
    return [row for row in ws.iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def fund_xlsx(tmp_path: Path) -> Path:
    return _fund_workbook(tmp_path / "融安县资金投入2018年8月.xlsx")


def test_feedback_path_convention(tmp_path: Path) -> None:
    assert feedback_path(tmp_path, "450224", "2018-08", "融安县资金投入2018年8月.xlsx") == (
        tmp_path / "450224" / "2018-08" / "融安县资金投入2018年8月_问题反馈.xlsx"
    )
    assert feedback_path(tmp_path, "450224", None, "团队.csv") == tmp_path / "450224" / "unknown" / "团队_问题反馈.xlsx"


def test_xlsx_cells_marked_and_issue_sheet_lists_them(fund_xlsx: Path, tmp_path: Path) -> None:
    before = fund_xlsx.read_bytes()
    out = feedback_path(tmp_path / "outbox", "450224", "2018-08", fund_xlsx.name)

    written = write_feedback_workbook(_fund_result(fund_xlsx), fund_xlsx, out)

    assert written == out and out.exists()
    assert fund_xlsx.read_bytes() == before  # the county's file itself is never touched
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # no temp file left
    wb = load_workbook(out)
    assert wb.sheetnames == [ISSUE_SHEET, "资金投入"]
    ws = wb["资金投入"]
    assert ws["C5"].fill.fill_type == "solid" and ws["C5"].fill.fgColor.rgb == ERROR_RGB
    assert ws["E7"].fill.fill_type == "solid" and ws["E7"].fill.fgColor.rgb == WARNING_RGB
    assert C5_MESSAGE in ws["C5"].comment.text and "【错误】" in ws["C5"].comment.text
    assert E7_MESSAGE in ws["E7"].comment.text and "【警告】" in ws["E7"].comment.text
    for row in ws.iter_rows():
        for cell in row:
            if cell.coordinate not in ("C5", "E7"):
                assert cell.fill.fill_type is None, cell.coordinate
                assert cell.comment is None, cell.coordinate
    # the county's values are kept as they were
    assert ws["C5"].value == "1.2.3万" and ws["C4"].value == 1492 and ws["A1"].value.startswith("融安县")

    rows = _issue_rows(out)
    assert [r[:4] for r in rows] == [
        ("资金投入", "C5", "1.2.3万", "unparseable_value 数值无法识别"),
        ("资金投入", "E7", "50元", "unit_conflict 单位不一致"),
    ]
    assert [r[4] for r in rows] == [C5_MESSAGE, E7_MESSAGE]
    assert "该行暂未入库" in rows[0][5] and "说明" in rows[1][5]
    assert all(r[6] is None for r in rows)
    header = next(wb[ISSUE_SHEET].iter_rows(max_row=1, values_only=True))
    assert header == ISSUE_HEADER
    assert wb[ISSUE_SHEET]["B2"].hyperlink.location == "'资金投入'!C5"


def test_several_issues_on_one_cell_share_one_comment(fund_xlsx: Path, tmp_path: Path) -> None:
    second = Issue("warning", "outlier", "C5 投入资金明显高于全区其他县", "fund", "资金投入", "C5", 5, "1.2.3万")
    out = write_feedback_workbook(_fund_result(fund_xlsx, extra=[second]), fund_xlsx, tmp_path / "fb.xlsx")

    cell = load_workbook(out)["资金投入"]["C5"]
    assert cell.fill.fgColor.rgb == ERROR_RGB  # the worst severity wins
    assert "1. 【错误】" + C5_MESSAGE in cell.comment.text
    assert "2. 【警告】C5 投入资金明显高于全区其他县" in cell.comment.text
    assert len(_issue_rows(out)) == 3


def test_issue_inside_merged_range_marks_its_top_left_cell(fund_xlsx: Path, tmp_path: Path) -> None:
    title = Issue("warning", "sum_mismatch", "标题区域有误", "fund", "资金投入", "C1", 1, None)
    out = write_feedback_workbook(_fund_result(fund_xlsx, extra=[title]), fund_xlsx, tmp_path / "fb.xlsx")

    ws = load_workbook(out)["资金投入"]
    assert ws["A1"].fill.fgColor.rgb == WARNING_RGB and "标题区域有误" in ws["A1"].comment.text


def test_xlsm_is_returned_as_plain_xlsx(tmp_path: Path) -> None:
    source = _fund_workbook(tmp_path / "资金投入.xlsm")
    out_path = feedback_path(tmp_path, "450224", "2018-08", source.name)
    out = write_feedback_workbook(_fund_result(source, "xlsm"), source, out_path)

    assert out.name == "资金投入_问题反馈.xlsx"
    with zipfile.ZipFile(out) as z:
        assert not any("vba" in n.lower() for n in z.namelist())
        assert b"macroEnabled" not in z.read("[Content_Types].xml")
    assert load_workbook(out)["资金投入"]["C5"].fill.fgColor.rgb == ERROR_RGB


def test_csv_grid_becomes_xlsx_with_same_addresses(tmp_path: Path) -> None:
    source = tmp_path / "融安县驻村工作队2018年8月.csv"
    source.write_text("placeholder", encoding="utf-8")  # never opened: the grid is what was read
    grid = [
        ["融安县驻村工作队力量统计表", None, None],
        ["乡镇", "选派工作队员数", "贫困户数"],
        ["长安镇", "12", "300"],
        ["大将镇", "十二人半", "=1+1"],
    ]
    result = CheckResult(
        file=source.name, path=str(source), sha256="1" * 64, size=11, county_code="450224", period="2018-08",
        issues=[Issue("error", "unparseable_value", "B4「十二人半」不是有效人数", "team", None, "B4", 4, "十二人半")],
        file_type="csv",
    )

    out = write_feedback_workbook(result, source, tmp_path / "out.xlsx", grids=[(None, grid)])

    wb = load_workbook(out)
    assert wb.sheetnames == [ISSUE_SHEET, "融安县驻村工作队2018年8月"]
    ws = wb["融安县驻村工作队2018年8月"]
    assert [[c.value for c in row] for row in ws.iter_rows(max_col=3)] == grid
    assert ws["C4"].data_type == "s"  # a CSV text "=1+1" stays text
    assert ws["B4"].fill.fgColor.rgb == ERROR_RGB and "十二人半" in ws["B4"].comment.text
    assert ws["B3"].fill.fill_type is None
    assert _issue_rows(out)[0][:4] == ("融安县驻村工作队2018年8月", "B4", "十二人半", "unparseable_value 数值无法识别")

    wb[ISSUE_SHEET]["G2"] = "该乡镇有一名队员半年在岗"
    wb.save(out)
    assert read_explanations(out) == [Explanation(None, "B4", "unparseable_value", "该乡镇有一名队员半年在岗")]


def test_xls_grids_keep_sheet_names(tmp_path: Path) -> None:
    source = tmp_path / "报表.xls"
    source.write_bytes(b"\xd0\xcf\x11\xe0")
    result = CheckResult(
        file=source.name, path=str(source), sha256="2" * 64, size=4, county_code="450224", period="2018-08",
        issues=[Issue("warning", "sum_mismatch", "合计行与明细不符", "sales", "消费扶贫", "D6", 6, "999")],
        file_type="xls",
    )
    grids = [("资金投入", [["项目名称"], ["金桔基地"]]), ("消费扶贫", [[None] * 4 for _ in range(5)] + [[None, "合计", None, 999]])]

    out = write_feedback_workbook(result, source, tmp_path / "out.xlsx", grids=grids)

    wb = load_workbook(out)
    assert wb.sheetnames == [ISSUE_SHEET, "资金投入", "消费扶贫"]
    assert wb["消费扶贫"]["D6"].value == 999 and wb["消费扶贫"]["D6"].fill.fgColor.rgb == WARNING_RGB
    with pytest.raises(ValueError, match="grids"):
        write_feedback_workbook(result, source, tmp_path / "out2.xlsx")


def test_formula_like_values_are_written_as_text(fund_xlsx: Path, tmp_path: Path) -> None:
    hostile = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "#REF!"]
    extra = [
        Issue("warning", "outlier", f"值「{v}」异常", "fund", "资金投入", f"B{4 + n}", 4 + n, v)
        for n, v in enumerate(hostile)
    ]
    out = write_feedback_workbook(_fund_result(fund_xlsx, extra=extra), fund_xlsx, tmp_path / "fb.xlsx")

    ws = load_workbook(out)[ISSUE_SHEET]
    written = {ws.cell(row=r, column=3).value: ws.cell(row=r, column=3) for r in range(2, ws.max_row + 1)}
    for value in hostile:
        assert written[value].data_type == "s", value
    assert written['=HYPERLINK("http://x")'].quotePrefix
    with zipfile.ZipFile(out) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()  # 问题清单 is the first sheet
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_redact_personal_blanks_names_and_numbers() -> None:
    assert redact_personal("填表人：张三 电话：13812345678") == "填表人：*** 电话：***"
    text = redact_personal("审核人:李四，联系电话：0771-1234567；联系人 王五、赵六 手机 138-1234-5678")
    for secret in ("李四", "0771", "1234567", "王五", "赵六", "138"):
        assert secret not in text
    # ordinary values and messages pass unchanged
    assert redact_personal("C9「1.2.3万」不是有效金额，请填写数字，如 1492万元") == "C9「1.2.3万」不是有效金额，请填写数字，如 1492万元"
    assert redact_personal("2018-08 投入 14920000 元，负责人数 3") == "2018-08 投入 14920000 元，负责人数 3"


def test_personal_data_never_reaches_the_issue_sheet(fund_xlsx: Path, tmp_path: Path) -> None:
    note = Issue(
        "warning", "sum_mismatch", "A10「填表人：张三 电话：13812345678」不是数据行", "fund", "资金投入", "A10", 10,
        "填表人：张三    审核人：李四    电话：13812345678",
    )
    out = write_feedback_workbook(_fund_result(fund_xlsx, extra=[note]), fund_xlsx, tmp_path / "fb.xlsx")

    wb = load_workbook(out)
    text = "".join(str(v) for row in wb[ISSUE_SHEET].iter_rows(values_only=True) for v in row if v)
    text += wb["资金投入"]["A10"].comment.text
    for secret in ("张三", "李四", "13812345678"):
        assert secret not in text
    # the county's own 填表人 line is blanked too: no personal data leaves the raw archive
    assert wb["资金投入"]["A10"].value == "填表人：***    审核人：***    电话：***"


def test_explanations_round_trip(fund_xlsx: Path, tmp_path: Path) -> None:
    out = write_feedback_workbook(_fund_result(fund_xlsx), fund_xlsx, tmp_path / "fb.xlsx")
    assert is_feedback_workbook(out) and not is_feedback_workbook(fund_xlsx)
    assert read_explanations(out) == []

    wb = load_workbook(out)
    wb[ISSUE_SHEET]["G3"] = "社会资金为企业捐赠50元，单位无误（联系人：王五 13900001111）"
    wb.save(out)

    assert read_explanations(out) == [
        Explanation("资金投入", "E7", "unit_conflict", "社会资金为企业捐赠50元，单位无误（联系人：*** ***）")
    ]
    assert read_feedback_meta(out) == {
        "source_file": fund_xlsx.name, "sha256": "0" * 64, "county_code": "450224", "period": "2018-08",
    }


def test_returned_feedback_goes_round_again_without_stale_marks(fund_xlsx: Path, tmp_path: Path) -> None:
    first = write_feedback_workbook(_fund_result(fund_xlsx), fund_xlsx, tmp_path / "first.xlsx")
    wb = load_workbook(first)
    wb["资金投入"]["C5"] = 12  # the county fixed the error …
    wb[ISSUE_SHEET]["G3"] = "企业捐赠，确为50元"  # … and explained the warning
    wb.save(first)
    still = _fund_result(first)
    still.issues = [i for i in still.issues if i.rule == "unit_conflict"]

    second = write_feedback_workbook(still, first, tmp_path / "second.xlsx")

    wb = load_workbook(second)
    assert wb.sheetnames.count(ISSUE_SHEET) == 1
    ws = wb["资金投入"]
    assert ws["C5"].fill.fill_type is None and ws["C5"].comment is None
    assert ws["E7"].comment.text.count(E7_MESSAGE) == 1
    assert _issue_rows(second) == [
        ("资金投入", "E7", "50元", "unit_conflict 单位不一致", E7_MESSAGE, _issue_rows(first)[1][5], "企业捐赠，确为50元")
    ]


def test_rejected_file_gets_a_short_explanation(tmp_path: Path) -> None:
    source = tmp_path / "资金投入.xlsx"
    source.write_bytes(b"not really a workbook")
    result = CheckResult(
        file=source.name, path=str(source), sha256="3" * 64, size=21, county_code="450224", period=None,
        issues=[Issue("reject", "encrypted_file", "文件设置了打开密码（填表人：张三 13812345678），无法读取")],
        file_type="xlsx",
    )

    out = write_feedback_workbook(result, source, feedback_path(tmp_path, "450224", None, source.name))

    assert out == tmp_path / "450224" / "unknown" / "资金投入_问题反馈.xlsx"
    wb = load_workbook(out)
    assert wb.sheetnames == [REJECT_SHEET]
    values = {r[0]: r[1] for r in wb[REJECT_SHEET].iter_rows(min_row=3, values_only=True) if r[0]}
    assert values["文件名"] == "资金投入.xlsx"
    assert values["退回原因"] == "文件设置了打开密码（填表人：*** ***），无法读取"
    assert values["问题类型"] == "encrypted_file 文件设有密码"
    assert "取消" in values["修改办法"] and "密码" in values["修改办法"]
    assert "inbox/450224/" in values["重新报送"]
    assert not is_feedback_workbook(out)
