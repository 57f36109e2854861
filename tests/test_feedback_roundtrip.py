"""Fix-or-explain: the county's feedback workbook comes back through the inbox."""

from __future__ import annotations

import shutil

from openpyxl import load_workbook

from tests.test_ingest_e2e import _ingest, _q

SRC = ("451026", "那坡县2018年8月驻村工作队.xlsx")


def _issues_of_latest(tmp):
    return _q(tmp, "SELECT rule, cell, explained FROM quality.issue WHERE submission_id ="
                   " (SELECT max(submission_id) FROM ops.submission) ORDER BY cell")


def _feedback(tmp):
    return tmp / "outbox" / SRC[0] / "2018-08" / SRC[1].replace(".xlsx", "_问题反馈.xlsx")


def test_explanation_marks_the_warning_explained(tmp_path, corpus):
    (tmp_path / "inbox" / SRC[0]).mkdir(parents=True)
    shutil.copy(corpus / "inbox" / SRC[0] / SRC[1], tmp_path / "inbox" / SRC[0] / SRC[1])
    _ingest(tmp_path, alerts=True)
    assert _issues_of_latest(tmp_path) == [("total_mismatch", "E7", False), ("ratio_over_limit", "G11", False)]

    wb = load_workbook(_feedback(tmp_path))
    ws = wb["问题清单"]
    header = [c.value for c in ws[1]]
    note_col = next(i for i, h in enumerate(header, start=1) if h and h.startswith("说明"))
    cell_col = header.index("单元格") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, cell_col).value == "E7")
    ws.cell(row, note_col, "定桥乡有 1 名队员借调县里，合计按实际在岗人数填写")
    wb.save(tmp_path / "inbox" / SRC[0] / "那坡县2018年8月驻村工作队_说明.xlsx")
    _ingest(tmp_path, alerts=True)

    assert _q(tmp_path, "SELECT cell, rule, text FROM quality.explanation") == [
        ("E7", "total_mismatch", "定桥乡有 1 名队员借调县里，合计按实际在岗人数填写")]
    latest = {(rule, cell): explained for rule, cell, explained in _issues_of_latest(tmp_path)}
    assert latest == {("total_mismatch", "E7"): True, ("ratio_over_limit", "G11"): False}


def test_corrected_value_is_a_new_version_without_the_issue(tmp_path, corpus):
    (tmp_path / "inbox" / SRC[0]).mkdir(parents=True)
    shutil.copy(corpus / "inbox" / SRC[0] / SRC[1], tmp_path / "inbox" / SRC[0] / SRC[1])
    _ingest(tmp_path, alerts=True)

    wb = load_workbook(_feedback(tmp_path))
    ws = wb["驻村工作队力量"]
    def count(cell):
        return int(str(ws[cell].value).rstrip("人"))

    fixed = count("C7") + count("D7")
    ws["E14"] = count("E14") + fixed - count("E7")  # the 合计 row follows the corrected cell
    ws["E7"] = fixed
    wb.save(tmp_path / "inbox" / SRC[0] / "那坡县2018年8月驻村工作队_更正.xlsx")
    _ingest(tmp_path, alerts=True)

    assert [(r, c) for r, c, _ in _issues_of_latest(tmp_path)] == [("ratio_over_limit", "G11")]
    assert _q(tmp_path, "SELECT max(version) FROM ops.submission_form WHERE form = 'team'")[0][0] == 2
    assert _q(tmp_path, "SELECT count(*) FROM history.team_staffing")[0][0] == 9


def test_feedback_workbook_carries_no_personal_data(tmp_path, corpus):
    """The 填表人 line and phone number of the county's own sheet are blanked in what we send back."""
    (tmp_path / "inbox" / SRC[0]).mkdir(parents=True)
    shutil.copy(corpus / "inbox" / SRC[0] / SRC[1], tmp_path / "inbox" / SRC[0] / SRC[1])
    _ingest(tmp_path, alerts=True)
    source_text = " ".join(str(c.value) for ws in load_workbook(corpus / "inbox" / SRC[0] / SRC[1]).worksheets
                           for row in ws.iter_rows() for c in row if c.value is not None)
    assert "韦国华" in source_text and "13722523897" in source_text  # the clerk, in the raw file
    sent = load_workbook(_feedback(tmp_path))
    text = " ".join(str(c.value) for ws in sent.worksheets for row in ws.iter_rows() for c in row if c.value is not None)
    assert "韦国华" not in text and "13722523897" not in text
    assert "良塘镇" in text  # the data itself is still there
    mails = " ".join(p.read_text(errors="ignore") for p in (tmp_path / "outbox" / "_mail").glob("*.eml"))
    assert "13722523897" not in mails
