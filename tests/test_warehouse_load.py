"""Loading checked files into the warehouse: versions, duplicates, atomicity."""

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from pipelines.model import Issue, Quarantined, TotalRow
from warehouse import db
from warehouse.load import RowConservationError, load_submission
from warehouse.testing import make_result, rejected_result, snapshot

AUG = datetime(2018, 9, 3, 10, 0)


@pytest.fixture
def con(tmp_path):
    con = db.connect(tmp_path / "wh.duckdb")
    db.migrate(con)
    db.load_reference(con)
    yield con
    con.close()


def _fund(*rows):
    return [{"project_name": p, "village": v, "fund_source": "财政", "amount_yuan": a,
             "amount_qualifier": q} for p, v, a, q in rows]


TEAM = [
    {"township": "城厢镇", "work_team_members": 12, "township_professionals": 3,
     "professional_team_total": 15, "village_cadres": 40, "assistance_cadres": 120,
     "poor_households": 900, "villages": 10, "e_bikes": 8, "meal_allowance_yuan_per_day": 30.0},
    {"township": "百合乡", "work_team_members": 8, "township_professionals": None,
     "professional_team_total": None, "poor_households": 400},  # fields absent → NULL
]


def _first_file():
    return make_result(
        "451026", "2018-08",
        {"team": TEAM,
         "fund": _fund(("金桔基地", "那坡村", 14920000.0, None), ("茶叶加工", "百合村", 3274813.0, None),
                       ("道路硬化", None, 7000000.0, "approx"))},
        issues=[Issue("error", "unparseable_value", "C9「1.2.3万」不是有效金额，请填写数字，如 1492万元",
                      "fund", "资金投入", "C9", 9, "1.2.3万"),
                Issue("warning", "total_mismatch", "专业队合计不等于队员加专职", "team", "驻村工作队", "E5", 5, "15")],
        quarantined=[Quarantined("fund", "资金投入", 9, {"项目名称": "坏账", "投入资金（万元）": "1.2.3万"},
                                 ["unparseable_value"])],
        totals=[TotalRow("fund", "资金投入", 10, "合计"), TotalRow("team", "驻村工作队", 6, "合计")],
    )


def test_load_writes_clean_rows_issues_quarantine_and_totals(con):
    out = load_submission(con, _first_file(), AUG, "archive/ab/abcd.xlsx")
    assert out.outcome == "loaded" and out.status == "accepted_with_warnings"
    assert out.versions == {"team": 1, "fund": 1} and out.rows_loaded == {"team": 2, "fund": 3}

    fund = con.execute(
        "SELECT count(*), sum(amount_yuan), count(*) FILTER (WHERE amount_qualifier = 'approx'),"
        " count(*) FILTER (WHERE village IS NULL) FROM core.fund_input WHERE county_code = '451026'"
    ).fetchone()
    assert fund == (3, Decimal("25194813.00"), 1, 1)
    rows = con.execute(
        "SELECT source_sheet, source_row, amount_yuan FROM core.fund_input ORDER BY source_row"
    ).fetchall()
    assert rows[1] == ("资金投入", 5, Decimal("3274813.00"))

    team = con.execute(
        "SELECT count(*), sum(work_team_members), sum(poor_households), count(e_bikes),"
        " sum(meal_allowance_yuan_per_day) FROM core.team_staffing"
    ).fetchone()
    assert team == (2, 20, 1300, 1, Decimal("30.00"))

    sub = con.execute(
        "SELECT submission_id, county_code, period, status, version, superseded_by, forms,"
        " archive_path, input_rows, rows_loaded, rows_quarantined, total_rows FROM ops.submission"
    ).fetchall()
    assert sub == [(out.submission_id, "451026", "2018-08", "accepted_with_warnings", 1, None,
                    ["team", "fund"], "archive/ab/abcd.xlsx", 8, 5, 1, 2)]
    issues = con.execute(
        "SELECT severity, rule, form, sheet, cell, \"row\", raw_value, explained, period"
        " FROM quality.issue ORDER BY rule"
    ).fetchall()
    assert issues == [("warning", "total_mismatch", "team", "驻村工作队", "E5", 5, "15", False, "2018-08"),
                      ("error", "unparseable_value", "fund", "资金投入", "C9", 9, "1.2.3万", False, "2018-08")]
    quarantine = con.execute(
        "SELECT form, \"row\", raw->>'投入资金（万元）', rules FROM quality.quarantine"
    ).fetchall()
    assert quarantine == [("fund", 9, "1.2.3万", ["unparseable_value"])]
    assert con.execute("SELECT count(*) FROM quality.total_row").fetchone()[0] == 2


def test_received_at_is_stored_in_china_time(con):
    utc = datetime(2018, 9, 4, 17, 30, tzinfo=timezone.utc)  # 01:30 on 5 Sep in Guangxi
    load_submission(con, _first_file(), utc, None)
    assert con.execute("SELECT received_at FROM ops.submission").fetchone()[0] == datetime(2018, 9, 5, 1, 30)


def test_identical_file_twice_changes_nothing(con):
    first = load_submission(con, _first_file(), AUG, None)
    before = snapshot(con)
    again = load_submission(con, _first_file(), datetime(2018, 9, 9), None)
    assert again.outcome == "duplicate" and again.submission_id == first.submission_id
    assert snapshot(con) == before


def test_new_version_replaces_old_moves_it_to_history_and_records_the_diff(con):
    v1 = load_submission(con, _first_file(), AUG, None)
    second = make_result("451026", "2018-08", {"fund": _fund(
        ("金桔基地", "那坡村", 15000000.0, None),       # changed amount
        ("道路硬化", None, 7000000.0, "approx"),         # unchanged
        ("百香果", "那坡村", 500000.5, None),            # added; 茶叶加工 removed
    )}, file="return_v2.xlsx")
    v2 = load_submission(con, second, datetime(2018, 9, 10), None)
    assert v2.versions == {"fund": 2} and v2.superseded == {"fund": v1.submission_id}

    core = con.execute(
        "SELECT submission_id, count(*), sum(amount_yuan) FROM core.fund_input GROUP BY ALL"
    ).fetchall()
    assert core == [(v2.submission_id, 3, Decimal("22500000.50"))]
    history = con.execute(
        "SELECT submission_id, version, superseded_by, count(*), sum(amount_yuan)"
        " FROM history.fund_input GROUP BY ALL"
    ).fetchall()
    assert history == [(v1.submission_id, 1, v2.submission_id, 3, Decimal("25194813.00"))]

    diff = con.execute(
        "SELECT \"key\", change, field, old_value, new_value FROM quality.version_diff"
        " WHERE old_version = 1 AND new_version = 2 AND form = 'fund' ORDER BY ALL"
    ).fetchall()
    assert ("金桔基地 | 那坡村", "changed", "amount_yuan", "14920000.00", "15000000.00") in diff
    assert ("百香果 | 那坡村", "added", "amount_yuan", None, "500000.50") in diff
    assert ("茶叶加工 | 百合村", "removed", "amount_yuan", "3274813.00", None) in diff
    assert not [d for d in diff if d[0].startswith("道路硬化")]

    # Versions are per form: the first file's team rows are still current.
    assert con.execute("SELECT count(DISTINCT submission_id) FROM core.team_staffing").fetchone() == (1,)
    forms = con.execute(
        "SELECT submission_id, form, version, superseded_by FROM ops.submission_form ORDER BY ALL"
    ).fetchall()
    assert forms == [(v1.submission_id, "fund", 1, v2.submission_id), (v1.submission_id, "team", 1, None),
                     (v2.submission_id, "fund", 2, None)]
    assert con.execute(
        "SELECT superseded_by FROM ops.submission WHERE submission_id = ?", [v1.submission_id]
    ).fetchone() == (None,)

    # Once its last form is replaced, the whole first file is superseded.
    third = make_result("451026", "2018-08", {"team": TEAM[:1]}, file="team_v2.xlsx")
    v3 = load_submission(con, third, datetime(2018, 9, 11), None)
    assert v3.versions == {"team": 2}
    assert con.execute(
        "SELECT superseded_by FROM ops.submission WHERE submission_id = ?", [v1.submission_id]
    ).fetchone() == (v3.submission_id,)
    assert con.execute("SELECT count(*) FROM history.team_staffing WHERE version = 1").fetchone() == (2,)
    removed = con.execute(
        "SELECT \"key\" FROM quality.version_diff WHERE form = 'team' AND change = 'removed' GROUP BY ALL"
    ).fetchall()
    assert removed == [("百合乡",)]


def test_failure_mid_load_leaves_the_warehouse_unchanged(con):
    load_submission(con, _first_file(), AUG, None)
    before = snapshot(con)
    second = make_result("451026", "2018-08", {
        "team": TEAM[:1], "fund": _fund(("金桔基地", "那坡村", 1.0, None))}, file="v2.xlsx")

    def boom():
        # The first table really was written inside the transaction...
        assert con.execute("SELECT count(*) FROM core.team_staffing").fetchone() == (1,)
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        load_submission(con, second, datetime(2018, 9, 10), None, _fail_after_first_table=boom)
    assert snapshot(con) == before  # ...and rolled back with everything else
    # The same file loads cleanly afterwards.
    assert load_submission(con, second, datetime(2018, 9, 10), None).versions == {"team": 2, "fund": 2}


def test_rejected_file_is_recorded_but_loads_nothing(con):
    out = load_submission(con, rejected_result("999999"), AUG, "archive/x.xlsx")
    assert out.outcome == "rejected"
    assert con.execute("SELECT county_code, status, version FROM ops.submission").fetchall() == [
        ("999999", "rejected", None)]
    assert con.execute("SELECT severity, rule FROM quality.issue").fetchall() == [("reject", "county_unknown")]
    for table in db.FORM_TABLES.values():
        assert con.execute(f"SELECT count(*) FROM core.{table}").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM ops.submission_form").fetchone() == (0,)
    # Without a county at all, the file is still recorded.
    assert load_submission(con, rejected_result(None, "unsupported_type", "x.pdf"), AUG, None).outcome == "rejected"


def test_row_conservation_is_enforced_loudly(con):
    result = _first_file()
    result.input_rows += 1
    before = snapshot(con)
    with pytest.raises(RowConservationError, match="input_rows=9"):
        load_submission(con, result, AUG, None)
    assert snapshot(con) == before


def test_unknown_field_fails_the_whole_load(con):
    result = make_result("451026", "2018-08", {"fund": [{"project_name": "x", "amount_yuan": 1.0,
                                                          "amount_wan": 0.0001}]})
    before = snapshot(con)
    with pytest.raises(ValueError, match="amount_wan"):
        load_submission(con, result, AUG, None)
    assert snapshot(con) == before
