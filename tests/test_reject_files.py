"""Files that cannot be read are refused with a reason, never a traceback; limits hold before reading."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipelines.flow import check_file
from pipelines.limits import Limits
from tests.conftest import REPO, write_fund_sheet

COUNTY = "450224"


def _fund_workbook(path: Path, rows: int = 3) -> Path:
    wb = Workbook()
    write_fund_sheet(wb.active, [10 + i for i in range(rows)])
    wb.save(path)
    return path


def _reject(path: Path, limits: Limits | None = None) -> tuple[str, str]:
    result = check_file(path, county=COUNTY, limits=limits)
    assert result.status == "rejected" and result.exit_code == 2
    assert not result.records and not result.quarantined
    (issue,) = result.issues
    assert issue.severity == "reject" and issue.cell is None
    return issue.rule, issue.message


def test_well_formed_workbook_is_accepted(tmp_path):
    result = check_file(_fund_workbook(tmp_path / "fund.xlsx"), county=COUNTY)
    assert result.status == "accepted"
    assert [r.values["amount_yuan"] for r in result.records] == [100000.0, 110000.0, 120000.0]


def test_truncated_zip(tmp_path):
    good = _fund_workbook(tmp_path / "good.xlsx").read_bytes()
    bad = tmp_path / "资金投入2018年8月.xlsx"
    bad.write_bytes(good[: len(good) // 2])
    assert _reject(bad)[0] == "unreadable_file"


def test_word_document_renamed(tmp_path):
    path = tmp_path / "报表2018年8月.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    rule, message = _reject(path)
    assert rule == "unreadable_file" and "Word" in message


def test_encrypted_workbook(corpus, tmp_path):
    src = corpus / "inbox" / "450123" / "隆安县2018年8月资金投入表.xlsx"
    assert _reject(shutil.copy(src, tmp_path / src.name))[0] == "encrypted_file"


def test_empty_file(tmp_path):
    path = tmp_path / "2018年8月.xlsx"
    path.write_bytes(b"")
    rule, message = _reject(path)
    assert rule == "unreadable_file" and "空" in message


def test_zero_row_sheet(tmp_path):
    path = _fund_workbook(tmp_path / "资金投入2018年8月.xlsx", rows=0)
    rule, message = _reject(path)
    assert rule == "unknown_form" and "没有任何数据行" in message


def test_unsupported_type(tmp_path):
    path = tmp_path / "说明2018年8月.docx"
    path.write_bytes(b"just some words")
    assert _reject(path)[0] == "unsupported_type"


def test_too_large_file_is_refused_before_reading(tmp_path, monkeypatch):
    path = _fund_workbook(tmp_path / "资金投入2018年8月.xlsx")
    import pipelines.intake.read as read

    monkeypatch.setattr(read, "read_workbook", lambda *a: pytest.fail("read a file over the size limit"))
    rule, message = _reject(path, Limits(max_file_bytes=path.stat().st_size - 1))
    assert rule == "too_large" and "MB" in message


def test_too_many_rows(tmp_path):
    path = _fund_workbook(tmp_path / "资金投入2018年8月.xlsx", rows=30)
    assert _reject(path, Limits(max_rows_per_sheet=20))[0] == "too_large"


def test_zip_bomb_refused_from_central_directory(tmp_path, monkeypatch):
    """A member that inflates past the limit is refused from the zip directory, never inflated."""
    path = _fund_workbook(tmp_path / "资金投入2018年8月.xlsx")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("xl/media/padding.bin", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(64):  # 64 MB of zeros, ~64 KB on disk
                fh.write(chunk)
    assert path.stat().st_size < 1_000_000
    import pipelines.intake.read as read

    monkeypatch.setattr(read, "read_workbook", lambda *a: pytest.fail("inflated a zip bomb"))
    rule, message = _reject(path, Limits(max_uncompressed_bytes=32 * 1024 * 1024))
    assert rule == "too_large" and "解压" in message


@pytest.mark.parametrize("make", ["missing", "directory", "garbage"])
def test_cli_gives_one_line_reason_and_exit_2(tmp_path, make):
    target = tmp_path / "450224" / "x2018年8月.xlsx"
    target.parent.mkdir()
    if make == "directory":
        target.mkdir()
    elif make == "garbage":
        target.write_bytes(b"\x00\x01garbage" * 10)
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "check", str(target)],
                         capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr + out.stdout
    text = (out.stdout + out.stderr).strip()
    assert text and any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_sheet_naming_a_form_without_its_required_column_says_which(tmp_path):
    """Never a silent guess: a 村集体经济 sheet whose village column is unrecognisable is refused,
    naming the column, rather than read as some other form."""
    wb = Workbook()
    ws = wb.active
    ws.title = "村集体经济"
    ws.append(["融安县村集体经济发展情况统计表"])
    ws.append(["村组", "是否贫困村", "发展项目", "投入", "村集体经济收入"])
    ws.append(["甲村", "是", "茶叶", "1万元", "2万元"])
    ws.append(["乙村", "否", "光伏", "1万元", "3万元"])
    path = tmp_path / "村集体经济2018年8月.xlsx"
    wb.save(path)
    rule, message = _reject(path)
    assert rule == "unknown_form" and "村集体经济" in message and "「村名」" in message


def test_an_unexpected_failure_is_a_refusal_not_a_crash(tmp_path, monkeypatch):
    import pipelines.flow as flow

    def broken(grid):
        raise ZeroDivisionError("a bug we have not met yet")

    monkeypatch.setattr(flow, "locate_tables", broken)
    rule, message = _reject(_fund_workbook(tmp_path / "资金投入2018年8月.xlsx"))
    assert rule == "unreadable_file" and "ZeroDivisionError" in message


@pytest.mark.parametrize("header,row", [
    (["序号", "组织名称", "带动农户（户）"], [1, "甲合作社", 30]),          # industry without 其中贫困户
    (["乡镇", "年份", "贫困发生率（%）"], ["甲镇", 2017, 3.5]),             # poverty without populations
])
def test_a_form_with_only_its_required_columns_is_read(tmp_path, header, row):
    wb = Workbook()
    ws = wb.active
    ws.append(["报告期：2018年8月"])
    ws.append(header)
    ws.append(row)
    path = tmp_path / "表2018年8月.xlsx"
    wb.save(path)
    result = check_file(path, county=COUNTY)
    assert result.status == "accepted" and len(result.records) == 1
    assert set(result.records[0].values) == {
        {"组织名称": "org_name", "带动农户（户）": "households_driven", "乡镇": "township", "年份": "year",
         "贫困发生率（%）": "incidence_pct"}[h] for h in header if h != "序号"}
