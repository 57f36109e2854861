"""Cross-county warnings from the marts into quality.issue: `outlier` and `yoy_change`.

They are derived facts, recomputed after every model build (delete, then insert, in one
transaction), so a rerun leaves the same rows. A county is asked to confirm or explain.
"""

from __future__ import annotations

OUTLIER_Z = 3.5
YOY_LIMIT = 0.5

MEASURE_NAMES = {
    "villages_reporting": "报送村数", "villages_with_income": "有集体经济收入的村数",
    "share_income_ge_50k": "收入5万元以上村占比", "median_income_yuan": "村集体经济收入中位数",
    "collective_investment_yuan": "村集体经济投入", "households_driven": "带动农户数",
    "poor_households_driven": "带动贫困户数", "households_driven_per_10k_yuan": "每万元投入带动农户数",
    "fund_total_yuan": "扶贫资金投入合计", "sales_total_yuan": "消费扶贫销售额",
    "poor_households_per_member": "每名专业队员帮扶贫困户数",
}

_LATEST_SUBMISSION = """
    (SELECT max(s.submission_id) FROM ops.submission s
     WHERE s.county_code = m.county_code AND s.period = m.period AND s.status <> 'rejected')"""


def record_cross_county_warnings(con) -> int:
    measures = [m for (m,) in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts'"
        " AND table_name = 'county_comparison' AND column_name LIKE '%\\_z' ESCAPE '\\'").fetchall()]
    # one statement for every measure and the year-on-year changes (a statement each costs a
    # few ms, in the serial tail of every run)
    selects, params = [], []
    for z in measures:
        measure = z[:-2]
        label = MEASURE_NAMES.get(measure, measure)
        # column names come from the catalog; values are bound
        selects.append(f"""
            SELECT {_LATEST_SUBMISSION}, m.county_code, m.period, 'warning', 'outlier', NULL, NULL,
                   NULL, NULL, CAST(m.{measure} AS VARCHAR),
                   printf('%s %s 的%s为 %s，与全区各县相比差异很大（稳健 z 值 %.1f），请核实或说明',
                          m.county_name, m.period, ?, CAST(m.{measure} AS VARCHAR), m.{z})
            FROM marts.county_comparison m
            WHERE abs(m.{z}) > ? AND {_LATEST_SUBMISSION} IS NOT NULL""")
        params += [label, OUTLIER_Z]
    selects.append(f"""
            SELECT {_LATEST_SUBMISSION}, m.county_code, m.period, 'warning', 'yoy_change', m.form, NULL,
                   NULL, NULL, CAST(m.value AS VARCHAR),
                   printf('%s %s 的 %s 为 %s，上年同期（%s）为 %s，变化 %.0f%%，请核实或说明',
                          m.county_name, m.period, m.measure, CAST(m.value AS VARCHAR), m.prior_period,
                          CAST(m.prior_value AS VARCHAR), 100 * m.change_ratio)
            FROM marts.county_yoy m
            WHERE abs(m.change_ratio) > ? AND {_LATEST_SUBMISSION} IS NOT NULL""")
    params.append(YOY_LIMIT)
    con.begin()
    try:
        con.execute("DELETE FROM quality.issue WHERE rule IN ('outlier', 'yoy_change')")
        con.execute("""
            INSERT INTO quality.issue (submission_id, county_code, period, severity, rule, form,
                                       sheet, cell, row, raw_value, message)""" + "\n UNION ALL".join(selects), params)
        n = con.execute("SELECT count(*) FROM quality.issue WHERE rule IN ('outlier', 'yoy_change')").fetchone()[0]
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return n
