"""The dbt-like models: runner, marts with hand-checked values, SQL tests."""

from datetime import date, datetime

import pytest

from warehouse import db, models
from warehouse.load import load_submission
from warehouse.testing import make_result

A, B, C, D = "451026", "451027", "451028", "451029"  # 那坡县 凌云县 乐业县 田林县


def _fund(total, n=2):
    return [{"project_name": f"项目{i}", "amount_yuan": total / n} for i in range(n)]


def _village(name, lo, hi, investment=None):
    return {"village": name, "income_min_yuan": lo, "income_max_yuan": hi, "investment_yuan": investment,
            "year": 2018}


def _load(con, county, period, rows, received, file="r.xlsx"):
    return load_submission(con, make_result(county, period, rows, file=file), received, None)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    con = db.connect(tmp_path_factory.mktemp("wh") / "wh.duckdb")
    db.migrate(con)
    db.load_reference(con)
    con.execute("INSERT INTO ref.reporting_calendar VALUES ('2018-08', 'fund', DATE '2018-09-05'),"
                " ('2018-08', 'team', DATE '2018-09-05')")
    con.execute("INSERT INTO ref.county_form VALUES (?, 'fund'), (?, 'team'), (?, 'fund'), (?, 'fund'),"
                " (?, 'fund'), (?, 'team')", [A, A, B, C, D, D])
    _load(con, A, "2018-08", {
        "fund": _fund(1_000_000.0),
        "team": [{"township": "城厢镇", "work_team_members": 12, "township_professionals": 3,
                  "professional_team_total": 15, "poor_households": 900},
                 {"township": "百合乡", "work_team_members": 8, "poor_households": 400}],
        "collective": [_village("甲村", 20000.0, 100000.0, 100000.0),   # 2万元至10万元不等
                       _village("乙村", 50000.0, None, 200000.0),       # 5万元以上
                       _village("丙村", None, 20000.0),                 # 不足2万元
                       _village("丁村", 0.0, 0.0, 0.0)],
        "industry": [{"org_name": "金桔合作社", "households_driven": 60, "poor_households_driven": 20},
                     {"org_name": "茶叶公司", "households_driven": 30, "poor_households_driven": 10}],
        "sales": [{"product": "金桔", "channel": "电商", "sales_yuan": 100.0}],
    }, datetime(2018, 9, 3, 9))
    _load(con, B, "2018-08", {
        "fund": _fund(1_100_000.0),
        "collective": [_village("一村", 60000.0, 60000.0), _village("二村", 10000.0, 10000.0),
                       {**_village("一村", 1.0, 1.0), "year": 2017}],  # an earlier year: not compared
        "sales": [{"product": "茶叶", "channel": "超市", "sales_yuan": 300.0}],
    }, datetime(2018, 9, 6, 9))  # due 9-05: late
    _load(con, C, "2018-08", {"fund": _fund(800_000.0), "collective": [
        _village("三村", 70000.0, 70000.0), _village("四村", 80000.0, 90000.0)]}, datetime(2018, 9, 1))
    _load(con, C, "2018-08", {"fund": _fund(900_000.0)}, datetime(2018, 9, 2), file="r2.xlsx")
    _load(con, D, "2018-08", {"fund": _fund(50_000_000.0)}, datetime(2018, 9, 4))  # the outlier
    _load(con, A, "2018-09", {"fund": _fund(2_000_000.0)}, datetime(2018, 10, 4))  # alone in its period
    _load(con, A, "2017-08", {"fund": _fund(800_000.0)}, datetime(2017, 9, 4))
    built = models.run_models(con)
    assert "marts.county_comparison" in built
    yield con
    con.close()


def _row(con, table, where, params):
    cur = con.execute(f"SELECT * FROM {table} WHERE {where}", params)
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    assert len(rows) == 1, rows
    return rows[0]


def test_county_comparison_measures_are_hand_checked(con):
    a = _row(con, "marts.county_comparison", "county_code = ? AND period = '2018-08'", [A])
    assert a["county_name"] == "那坡县"
    assert a["villages_reporting"] == 4
    assert a["villages_with_income"] == 3          # 5万元以上 counts although its max is open
    assert a["share_income_ge_50k"] == 0.25        # only 乙村: 2万–10万 counts by its lower bound
    assert float(a["median_income_yuan"]) == 35000  # midpoints 60000, 50000, 20000, 0
    assert float(a["collective_investment_yuan"]) == 300000
    assert (a["households_driven"], a["poor_households_driven"]) == (90, 30)
    assert a["households_driven_per_10k_yuan"] == pytest.approx(3.0)  # 90 households / 30 万元
    assert float(a["fund_total_yuan"]) == 1_000_000
    assert a["poor_households_per_member"] == pytest.approx(1300 / 23)  # 15 + (8 + 0)
    b = _row(con, "marts.county_comparison", "county_code = ? AND period = '2018-08'", [B])
    assert (b["villages_reporting"], b["share_income_ge_50k"], float(b["median_income_yuan"])) == (2, 0.5, 35000)
    # Fewer forms → NULL measures, not zeros.
    d = _row(con, "marts.county_comparison", "county_code = ? AND period = '2018-08'", [D])
    assert d["villages_reporting"] is None and d["households_driven"] is None


def test_robust_z_flags_the_planted_outlier(con):
    rows = dict(con.execute(
        "SELECT county_code, fund_total_yuan_z FROM marts.county_comparison WHERE period = '2018-08'"
    ).fetchall())
    # median 1.05M, MAD = median(0.05, 0.05, 0.15, 48.95 M) = 0.1M  (C's current version: 0.9M)
    assert rows[D] == pytest.approx(0.6745 * (50_000_000 - 1_050_000) / 100_000)
    assert rows[D] > 3.5
    assert rows[A] == pytest.approx(-0.33725)
    assert abs(rows[B]) < 3.5 and abs(rows[C]) < 3.5
    sales = dict(con.execute(
        "SELECT county_code, sales_total_yuan_z FROM marts.county_comparison WHERE period = '2018-08'"
    ).fetchall())
    assert sales[A] == pytest.approx(-0.6745) and sales[B] == pytest.approx(0.6745)
    assert sales[C] is None and sales[D] is None  # no sales form, no score


def test_z_is_null_when_mad_is_zero_or_county_is_alone(con):
    # villages_reporting 4, 2, 2 → median 2, MAD 0
    z = con.execute("SELECT villages_reporting_z FROM marts.county_comparison"
                    " WHERE period = '2018-08' AND villages_reporting IS NOT NULL").fetchall()
    assert z == [(None,)] * 3
    alone = _row(con, "marts.county_comparison", "period = '2018-09'", [])
    assert float(alone["fund_total_yuan"]) == 2_000_000 and alone["fund_total_yuan_z"] is None


def test_county_yoy_compares_the_same_period_a_year_earlier(con):
    r = _row(con, "marts.county_yoy", "county_code = ? AND measure = 'fund_total_yuan' AND period = '2018-08'", [A])
    assert (r["form"], r["prior_period"], r["value"], r["prior_value"]) == ("fund", "2017-08", 1_000_000, 800_000)
    assert r["change_ratio"] == pytest.approx(0.25)
    b = _row(con, "marts.county_yoy", "county_code = ? AND measure = 'fund_total_yuan'", [B])
    assert b["prior_value"] is None and b["change_ratio"] is None


def test_reporting_status_against_the_calendar(con):
    rows = {
        (c, p, f): (s, v, due)
        for c, p, f, s, v, due in con.execute(
            "SELECT county_code, period, form, status, versions, due_date FROM marts.reporting_status"
        ).fetchall()
    }
    due = date(2018, 9, 5)
    assert rows[(A, "2018-08", "fund")] == ("received", 1, due)
    assert rows[(A, "2018-08", "team")] == ("received", 1, due)
    assert rows[(B, "2018-08", "fund")] == ("late", 1, due)
    assert rows[(C, "2018-08", "fund")] == ("resubmitted", 2, due)
    assert rows[(D, "2018-08", "fund")] == ("received", 1, due)
    assert rows[(D, "2018-08", "team")] == ("missing", 0, due)
    assert rows[(A, "2018-09", "fund")] == ("received", 1, None)  # not in the calendar: still listed
    received_at = con.execute("SELECT received_at FROM marts.reporting_status WHERE county_code = ?"
                              " AND period = '2018-08' AND form = 'fund'", [C]).fetchone()[0]
    assert received_at == datetime(2018, 9, 1)  # first version


def test_sql_tests_pass_on_good_data_and_fail_on_a_planted_bad_value(con):
    results = models.run_tests(con)
    assert results and all(r.failing_row_count == 0 for r in results), [r for r in results if r.failing_row_count]
    tested = {r.model for r in results}
    assert tested == {m.name for m in models.list_models()}  # every model has a test

    planted = "UPDATE core.fund_input SET amount_yuan = ? WHERE county_code = ? AND period = '2017-08' AND project_name = '项目0'"
    con.execute(planted, [-5, A])  # bypasses the validator, as a hand edit of the warehouse would
    try:
        models.run_models(con)
        failing = {r.test_name: r for r in models.run_tests(con) if r.failing_row_count}
    finally:
        con.execute(planted, [400_000, A])
        models.run_models(con)
    assert set(failing) == {"stg_fund_input.amount_non_negative"}
    bad = failing["stg_fund_input.amount_non_negative"]
    assert bad.failing_row_count == 1 and float(bad.sample_rows[0]["amount_yuan"]) == -5
    assert bad.sample_rows[0]["county_code"] == A and bad.sample_rows[0]["source_row"] == 4


def test_runner_orders_by_ref_and_materialises_views_and_tables(con):
    listed = models.list_models()
    names = [m.name for m in listed]
    by_name = {m.name: m for m in listed}
    for m in listed:
        assert all(names.index(dep) < names.index(m.name) for dep in m.deps)
    assert set(by_name["county_comparison"].deps) == {"county_period_measure", "stg_county"}
    assert by_name["stg_fund_input"].sources == ("core.fund_input",)
    assert by_name["stg_fund_input"].upstream == (("core", "fund_input"),)
    assert by_name["county_comparison"].key == ("marts", "county_comparison")
    assert ("core", "county_period_measure") in by_name["county_comparison"].upstream
    kinds = dict(con.execute(
        "SELECT table_schema || '.' || table_name, table_type FROM information_schema.tables"
        " WHERE table_schema IN ('staging', 'marts') OR table_name = 'county_period_measure'"
    ).fetchall())
    assert kinds["staging.stg_fund_input"] == "VIEW"
    assert kinds["marts.county_comparison"] == "BASE TABLE"
    assert kinds["core.county_period_measure"] == "BASE TABLE"


def test_runner_rejects_unknown_refs(tmp_path):
    (tmp_path / "marts").mkdir()
    (tmp_path / "marts" / "m.sql").write_text("select * from {{ ref('nowhere') }}")
    with pytest.raises(models.ModelError, match="nowhere"):
        models.list_models(tmp_path)


def test_reporting_status_with_an_empty_calendar(tmp_path):
    con = db.connect(tmp_path / "wh.duckdb")
    db.migrate(con)
    db.load_reference(con)
    _load(con, A, "2018-08", {"fund": _fund(10.0)}, datetime(2018, 9, 3))
    models.run_models(con)
    rows = con.execute("SELECT county_code, period, form, due_date, status, versions"
                       " FROM marts.reporting_status").fetchall()
    assert rows == [(A, "2018-08", "fund", None, "received", 1)]
    con.close()
