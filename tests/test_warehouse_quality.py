"""Great Expectations suites and the offline quality report."""

import subprocess
import sys
from datetime import datetime

from pipelines.model import Issue
from warehouse import db, models
from warehouse.load import load_submission
from warehouse.quality_report import write_quality_report
from warehouse.quality_suites import run_suites
from warehouse.testing import make_result, rejected_result


def test_warehouse_modules_do_not_import_great_expectations():
    code = ("import sys, warehouse.db, warehouse.load, warehouse.models, warehouse.quality_suites,"
            " warehouse.quality_report; assert 'great_expectations' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_suites_pass_on_good_data_fail_on_a_negative_amount_and_report(tmp_path):
    con = db.connect(tmp_path / "wh.duckdb")
    db.migrate(con)
    db.load_reference(con)
    issue = Issue("warning", "outlier", "投入资金明显高于其他县，请核实或说明", "fund", "资金投入", "D5", 5, "5000")
    for county, amount in [("451026", 1_000_000.0), ("451027", 2_000_000.0), ("451028", 1_500_000.0)]:
        load_submission(con, make_result(county, "2018-08", {
            "fund": [{"project_name": "金桔基地", "village": "那坡村", "amount_yuan": amount},
                     {"project_name": "道路", "amount_yuan": 10.0}],
            "poverty": [{"township": None, "year": 2018, "poor_population": 100,
                         "rural_population": 1000, "incidence_pct": 10.0}],
            "collective": [{"village": "甲村", "income_min_yuan": 50000.0, "income_max_yuan": None}],
        }, issues=[issue] if county == "451027" else []), datetime(2018, 9, 3), None)
    load_submission(con, rejected_result("999999"), datetime(2018, 9, 3), None)
    models.run_models(con)

    good = run_suites(con)
    names = {s.name for s in good}
    assert names == {f"core.{t}" for t in db.FORM_TABLES.values()} | {"marts.county_comparison"}
    assert all(s.success for s in good), [s for s in good if not s.success]
    assert {s.name: s.rows for s in good}["core.fund_input"] == 6

    con.execute("UPDATE core.fund_input SET amount_yuan = -1 WHERE county_code = '451027' AND project_name = '道路'")
    bad = {s.name: s for s in run_suites(con)}
    assert not bad["core.fund_input"].success
    assert [s for s in bad.values() if not s.success] == [bad["core.fund_input"]]
    (failure,) = bad["core.fund_input"].failing
    assert failure["expectation"] == "expect_column_values_to_be_between"
    assert failure["column"] == "amount_yuan" and failure["unexpected_count"] == 1
    sub = con.execute("SELECT submission_id FROM ops.submission WHERE county_code = '451027'").fetchone()[0]
    assert failure["ids"] == [{"submission_id": sub, "source_row": 5, "amount_yuan": -1.0}]

    tests = models.run_tests(con)
    report = write_quality_report(con, list(bad.values()), tests, tmp_path / "out" / "quality.html")
    html = report.read_text(encoding="utf-8")
    assert "core.fund_input" in html and "stg_fund_input.amount_non_negative" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert "凌云县" in html and "outlier" in html and "county_unknown" in html
    assert list((tmp_path / "out").iterdir()) == [report]  # no temp file left behind
    con.close()
