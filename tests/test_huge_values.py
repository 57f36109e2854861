"""A number too large for the warehouse (BIGINT counts, DECIMAL(18,2) yuan) or for exact
decimal arithmetic is an unparseable cell on its row, never a refused file or a failed load."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from pipelines.flow import check_file
from pipelines.intake import parse as P
from tests.conftest import write_fund_sheet
from warehouse import db
from warehouse.load import load_submission

COUNTY = "450224"


def _workbook(path: Path, fund_cells: list, team_cells: list) -> Path:
    wb = Workbook()
    write_fund_sheet(wb.active, fund_cells)
    team = wb.create_sheet("驻村工作队")
    team.append(["融安县驻村工作队力量统计表"])
    team.append(["填报单位：融安县扶贫办", None, "报告期：2018年8月"])
    team.append(["乡镇", "工作队员人数"])
    for i, cell in enumerate(team_cells):
        team.append([f"镇{i}", cell])
    wb.save(path)
    return path


def test_huge_numbers_are_unparseable_cells_and_the_rest_loads(tmp_path):
    path = _workbook(
        tmp_path / "huge.xlsx",
        fund_cells=[12, "99999999999999999999999999999万元", 1e300, "1e300", 1000000000000.0, 13],
        team_cells=[5, "99999999999999999999999人", 1e30, "9223372036854775807", 6],
    )
    result = check_file(path, county=COUNTY)
    assert result.status == "accepted_with_warnings"
    unparseable = {(i.sheet, i.cell) for i in result.issues if i.rule == "unparseable_value"}
    # 10^12 万元 is 10^16 yuan: beyond DECIMAL(18,2); 2^63 - 1 people (as text) fit a BIGINT
    assert unparseable == {("资金投入", f"D{r}") for r in (5, 6, 7, 8)} | {("驻村工作队", f"B{r}") for r in (5, 6)}
    loaded = {(r.form, r.row): r.values for r in result.records}
    assert loaded[("fund", 4)]["amount_yuan"] == 120000.0 and loaded[("fund", 9)]["amount_yuan"] == 130000.0
    assert loaded[("team", 7)]["work_team_members"] == 2 ** 63 - 1
    assert len(result.quarantined) == 6 and len(result.records) == 5

    con = db.connect(tmp_path / "w.duckdb")
    db.migrate(con)
    db.load_reference(con)
    outcome = load_submission(con, result, datetime(2018, 9, 3), None)
    assert outcome.rows_loaded == {"fund": 2, "team": 3}
    assert con.execute("SELECT max(work_team_members) FROM core.team_staffing").fetchone() == (2 ** 63 - 1,)
    con.close()


_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2 ** 70, max_value=2 ** 70),
    st.tuples(st.integers(min_value=2 ** 63 - 3, max_value=2 ** 63 + 3), st.sampled_from([1, -1])).map(
        lambda t: t[0] * t[1]),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=3),
    st.decimals(allow_nan=False, allow_infinity=True, places=2),  # (the parser makes no Decimal NaN)
    st.decimals(min_value=Decimal(10) ** 16 - 1, max_value=Decimal(10) ** 16 + 1, places=2),
    st.just({"income_min_yuan": Decimal(10) ** 17, "income_max_yuan": None}),
    st.fixed_dictionaries({"amount_yuan": st.one_of(st.none(), st.decimals(allow_nan=False, places=2),
                                                    st.integers(min_value=-2 ** 70, max_value=2 ** 70)),
                           "amount_qualifier": st.sampled_from([None, "approx", "range"])}),
)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(sorted(P._BOUNDED)), st.lists(_VALUES, max_size=12))
def test_unstorable_finds_exactly_the_values_beyond_the_warehouse(kind, values):
    """The shortcut over distinct values and their extremes finds what a test of every value finds."""
    bounded, limit = P._BOUNDED[kind]

    def huge(v):
        if type(v) is dict:
            return any(type(x) is bounded and abs(x) >= limit for x in v.values())
        return type(v) is bounded and (v >= limit or v <= -limit)

    assert P._unstorable(kind, list(values)) == [i for i, v in enumerate(values) if huge(v)]
