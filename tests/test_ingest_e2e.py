"""`ingest` over the visible corpus: real row counts and money sums in core, versions, identity."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from pipelines.config import load_config, with_paths
from pipelines.ingest import run_ingest
from tests.conftest import corpus_cases

TABLES = {"team": "team_staffing", "fund": "fund_input", "collective": "collective_economy",
          "industry": "industry_driving", "poverty": "poverty_incidence", "sales": "consumption_sales"}


def _config(tmp: Path):
    return with_paths(load_config(), inbox=tmp / "inbox", warehouse=tmp / "w.duckdb", archive=tmp / "archive",
                      outbox=tmp / "outbox", exports=tmp / "exports")


def _ingest(tmp: Path, alerts: bool = False):
    return run_ingest(_config(tmp), progress=lambda s: None, alerts=alerts)


def _q(tmp: Path, sql: str, params=()):
    con = duckdb.connect(str(tmp / "w.duckdb"), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, corpus):
    tmp = tmp_path_factory.mktemp("ingest")
    shutil.copytree(corpus / "inbox", tmp / "inbox")
    report = _ingest(tmp, alerts=True)
    return tmp, report


def test_core_row_counts_and_money_match_expected(ingested):
    tmp, report = ingested
    want_rows: Counter = Counter()
    want_fund = 0.0
    for _, _, exp in corpus_cases():
        for rec in exp["records"]:
            want_rows[rec["form"]] += 1
            if rec["form"] == "fund":
                want_fund += rec["values"]["amount_yuan"]
    for form, table in TABLES.items():
        assert _q(tmp, f"SELECT count(*) FROM core.{table}")[0][0] == want_rows[form], form
    assert _q(tmp, "SELECT sum(amount_yuan) FROM core.fund_input")[0][0] == pytest.approx(want_fund, abs=0.01)
    # 融安县: 110 villages, 1492万元 invested (the CONTRACT's example)
    villages, invest = _q(tmp, "SELECT count(*), sum(investment_yuan) FROM core.collective_economy WHERE county_code = '450224'")[0]
    assert villages == 110 and invest == 14_920_000


def test_every_file_is_one_submission_and_rows_are_conserved(ingested, corpus):
    tmp, _ = ingested
    statuses = dict(_q(tmp, "SELECT file_name, status FROM ops.submission"))
    for _, _, exp in corpus_cases():
        assert statuses[exp["file"]] == exp["status"], exp["file"]
    bad = _q(tmp, "SELECT file_name FROM ops.submission WHERE status <> 'rejected'"
                  " AND input_rows <> rows_loaded + rows_quarantined + total_rows")
    assert bad == []
    assert _q(tmp, "SELECT count(*) FROM quality.quarantine")[0][0] == sum(len(e["quarantined"]) for *_, e in corpus_cases())


def test_feedback_workbooks_mark_the_issue_cells(ingested):
    tmp, report = ingested
    fb = tmp / "outbox" / "450125" / "2018-08" / "上林县2018年8月资金投入_问题反馈.xlsx"
    wb = load_workbook(fb)
    assert wb["资金投入"]["C8"].comment is not None and "1.2.3" in wb["资金投入"]["C8"].comment.text
    assert wb["资金投入"]["C8"].fill.fgColor.rgb.endswith("7C80")
    listed = {(r[1], r[3].split()[0]) for r in wb["问题清单"].iter_rows(min_row=2, values_only=True) if r[1]}
    issues = set(_q(tmp, "SELECT cell, rule FROM quality.issue WHERE county_code = '450125'"))
    assert listed == issues
    mails = list((tmp / "outbox" / "_mail").glob("*.eml"))
    assert mails


def test_second_identical_run_changes_nothing(ingested):
    tmp, _ = ingested
    before = _q(tmp, "SELECT (SELECT count(*) FROM ops.submission), (SELECT count(*) FROM core.fund_input),"
                     " (SELECT count(*) FROM quality.issue)")
    report = _ingest(tmp)
    assert {f.status for f in report.files} == {"unchanged"}
    assert _q(tmp, "SELECT (SELECT count(*) FROM ops.submission), (SELECT count(*) FROM core.fund_input),"
                   " (SELECT count(*) FROM quality.issue)") == before


def test_corrected_resubmission_replaces_rows_and_keeps_history(tmp_path, corpus):
    src = corpus / "inbox" / "451027" / "凌云县2018年8月扶贫资金.xlsx"
    (tmp_path / "inbox" / "451027").mkdir(parents=True)
    shutil.copy(src, tmp_path / "inbox" / "451027" / src.name)
    _ingest(tmp_path)
    v1 = _q(tmp_path, "SELECT sum(amount_yuan), count(*) FROM core.fund_input")[0]

    wb = load_workbook(src)
    ws = wb["资金投入"]
    ws["E5"] = 200  # 173.35万 → 200万
    wb.save(tmp_path / "inbox" / "451027" / "凌云县2018年8月扶贫资金_更正.xlsx")
    _ingest(tmp_path)

    total, rows = _q(tmp_path, "SELECT sum(amount_yuan), count(*) FROM core.fund_input")[0]
    assert rows == v1[1] and float(total) == pytest.approx(float(v1[0]) + 266_500)
    assert _q(tmp_path, "SELECT count(*), min(version) FROM history.fund_input")[0] == (v1[1], 1)
    diff = _q(tmp_path, "SELECT field, old_value, new_value FROM quality.version_diff WHERE change = 'changed'")
    assert ("amount_yuan", "1733500.00", "2000000.00") in [(f, str(o), str(n)) for f, o, n in diff]
    assert _q(tmp_path, "SELECT count(*) FROM ops.submission WHERE superseded_by IS NOT NULL")[0][0] == 1


def test_file_of_another_county_is_rejected_and_loads_nothing(tmp_path, corpus):
    src = corpus / "inbox" / "450224" / "融安县2018年8月村集体经济.xlsx"
    (tmp_path / "inbox" / "451425").mkdir(parents=True)
    shutil.copy(src, tmp_path / "inbox" / "451425" / src.name)
    _ingest(tmp_path)
    assert _q(tmp_path, "SELECT status FROM ops.submission") == [("rejected",)]
    assert _q(tmp_path, "SELECT rule FROM quality.issue") == [("county_mismatch",)]
    assert _q(tmp_path, "SELECT count(*) FROM core.collective_economy")[0][0] == 0


def test_a_received_file_is_not_read_again_unless_it_changed(tmp_path, corpus, monkeypatch):
    """The nightly run stats what it already received; a file rewritten in place is hashed anew."""
    import os

    import pipelines.flow as flow

    src = corpus / "inbox" / "451027" / "凌云县2018年8月扶贫资金.xlsx"
    target = tmp_path / "inbox" / "451027" / src.name
    target.parent.mkdir(parents=True)
    shutil.copy(src, target)
    _ingest(tmp_path)
    assert _q(tmp_path, "SELECT count(*) FROM ops.inbox_file")[0][0] == 1

    hashed = []
    real = flow.sha256_of
    monkeypatch.setattr(flow, "sha256_of", lambda p: hashed.append(p.name) or real(p))
    report = _ingest(tmp_path)
    assert hashed == [] and [f.status for f in report.files] == ["unchanged"]

    # rewritten in place with other content (a corrected amount): read, hashed and received
    wb = load_workbook(target)
    wb["资金投入"]["E5"] = 200
    wb.save(target)
    os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 1_000_000))
    report = _ingest(tmp_path)
    assert hashed == [src.name]
    assert [f.status for f in report.files] != ["unchanged"]
    assert _q(tmp_path, "SELECT count(*) FROM ops.submission")[0][0] == 2
    assert _q(tmp_path, "SELECT sha256 FROM ops.inbox_file")[0][0] == real(target)


def test_a_file_gone_before_it_is_read_is_skipped_not_a_crash(tmp_path, corpus, monkeypatch):
    import pipelines.ingest as ingest

    src = corpus / "inbox" / "451027" / "凌云县2018年8月扶贫资金.xlsx"
    target = tmp_path / "inbox" / "451027" / src.name
    target.parent.mkdir(parents=True)
    shutil.copy(src, target)
    gone = tmp_path / "inbox" / "451027" / "凌云县2018年8月扶贫资金_更正.xlsx"
    listed = ingest.discover
    monkeypatch.setattr(ingest, "discover", lambda inbox: listed(inbox) + [gone])  # listed, then moved away
    report = _ingest(tmp_path)
    assert [f.path.name for f in report.files] == [src.name]  # the gone file: not an outcome
    assert report.files[0].status == "accepted_with_warnings"  # as the corpus expects it
    assert _q(tmp_path, "SELECT count(*) FROM ops.submission")[0][0] == 1


def test_discover_lists_county_files_in_order(tmp_path):
    """Files under a county folder and its period folders, sorted; not a file lying in the inbox
    itself, not a hidden or Office lock file, not a folder; a linked county folder is followed."""
    from pipelines.ingest import discover

    inbox = tmp_path / "inbox"
    for rel in ["450102/b.xlsx", "450102/a.csv", "450102/201808/c.xlsx", "450103/.hidden.xlsx",
                "450103/~$lock.xlsx", "stray.xlsx", "450104/sub/deeper/d.xls"]:
        (inbox / rel).parent.mkdir(parents=True, exist_ok=True)
        (inbox / rel).write_bytes(b"x")
    (inbox / "450105").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "e.xlsx").write_bytes(b"x")
    (inbox / "450106").symlink_to(elsewhere, target_is_directory=True)
    got = [p.relative_to(inbox).as_posix() for p in discover(inbox)]
    assert got == ["450102/201808/c.xlsx", "450102/a.csv", "450102/b.xlsx", "450104/sub/deeper/d.xls",
                   "450106/e.xlsx"]
    assert discover(tmp_path / "missing") == []
