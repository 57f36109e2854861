"""`check` over the visible acceptance corpus, compared field by field with expected/*.json."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from pipelines.flow import check_file
from tests.conftest import REPO, corpus_cases

CASES = corpus_cases()


def _same(expected, actual) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return math.isclose(expected, actual, rel_tol=1e-9, abs_tol=0.005)
    if isinstance(expected, str) and isinstance(actual, str):
        return expected.strip() == actual.strip()
    return expected == actual


def test_corpus_is_present():
    assert len(CASES) >= 40


@pytest.mark.parametrize("src,exp,expected", CASES, ids=[str(c[1].name) for c in CASES])
def test_check_matches_expected(src, exp, expected):
    result = check_file(src, county=expected["county"]).to_json()
    assert result["status"] == expected["status"]
    assert result["county_code"] == expected["county_code"]
    assert result["period"] == expected["period"]

    got = {(r["form"], r["row"]): r for r in result["records"]}
    want = {(r["form"], r["row"]): r for r in expected["records"]}
    assert set(got) == set(want)
    for key, rec in want.items():
        assert got[key]["sheet"] == rec["sheet"]
        for name, value in rec["values"].items():
            assert _same(value, got[key]["values"].get(name)), (key, name, value, got[key]["values"].get(name))

    assert {(q["form"], q["row"]) for q in result["quarantined"]} == {(q["form"], q["row"]) for q in expected["quarantined"]}
    assert sorted((i["rule"], i["form"], i["row"], i["cell"]) for i in result["issues"]) == \
        sorted((i["rule"], i["form"], i["row"], i["cell"]) for i in expected["issues"])
    assert {(t["form"], t["row"]) for t in result["totals_rows"]} == \
        {(t["form"], t["row"]) for t in expected.get("totals_rows", [])}


def test_every_issue_names_a_cell_and_speaks_chinese():
    for src, _, expected in CASES:
        for issue in check_file(src, county=expected["county"]).issues:
            assert issue.message and any("\u4e00" <= ch <= "\u9fff" for ch in issue.message)
            if issue.severity != "reject":
                assert issue.cell and issue.row and issue.cell.endswith(str(issue.row))


def test_cli_check_json_and_exit_codes(corpus):
    cli = [sys.executable, "-m", "pipelines.cli", "check", "--json"]
    fund = corpus / "inbox" / "450125" / "上林县2018年8月资金投入.xlsx"
    out = subprocess.run(cli + [str(fund), "--county", "450125"], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 1
    doc = json.loads(out.stdout)
    assert doc["status"] == "accepted_with_warnings" and len(doc["quarantined"]) == 6
    bad = next(i for i in doc["issues"] if i["cell"] == "C8")
    assert bad["rule"] == "unparseable_value" and "1.2.3" in bad["message"]

    pdf = corpus / "inbox" / "451424" / "大新县2018年8月脱贫攻坚工作总结.pdf"
    out = subprocess.run(cli + [str(pdf), "--county", "451424"], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert json.loads(out.stdout)["issues"][0]["rule"] == "unsupported_type"


def test_check_path_imports_neither_dagster_nor_great_expectations(corpus):
    """What a county clerk runs before sending stays light."""
    probe = ("import sys; from pipelines.cli import main; "
             f"code = main(['check', {str(corpus / 'inbox' / '450224' / '融安县2018年8月村集体经济.xlsx')!r}, '--json']); "
             "heavy = [m for m in ('dagster', 'great_expectations', 'duckdb', 'pandera', 'pandas')"
             " if m in sys.modules]; print('HEAVY', heavy); sys.exit(code)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    # a clean file passes every row rule in the fused gate: pandera is not even imported
    assert out.stdout.strip().splitlines()[-1] == "HEAVY []"


def test_row_rule_failures_are_reported_by_pandera(corpus):
    """A file breaking a row rule goes to pandera, whose failure cases become the issues."""
    path = corpus / "inbox" / "450226" / "三江县2018年8月贫困发生率.xlsx"
    probe = ("import sys, json; from pipelines.flow import check_file; from pathlib import Path; "
             f"r = check_file(Path({str(path)!r})); "
             "print(json.dumps([sorted({i.rule for i in r.issues}), 'pandera' in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    rules, loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert "out_of_range" in rules and loaded


def test_check_of_a_failing_file_keeps_the_test_tools_out(corpus):
    """pandera reports the failing rows, and the clerk's process does not load hypothesis (a
    dev-group test tool pandera would import for data synthesis): as a production install.
    Nor pandas, which pandera would import only for its pandas API."""
    path = corpus / "inbox" / "450226" / "三江县2018年8月贫困发生率.xlsx"
    probe = ("import sys, json; from pipelines.cli import main; "
             f"code = main(['check', {str(path)!r}, '--json']); "
             "print(json.dumps(['pandera' in sys.modules, sys.modules.get('hypothesis') is not None,"
             " 'pandas' in sys.modules])); sys.exit(code)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 1, out.stderr
    assert '"rule": "out_of_range"' in out.stdout
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [True, False, False]
