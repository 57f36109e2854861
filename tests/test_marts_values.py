"""The marts computed from real returns: the visible corpus, and a demo inbox with a planted outlier."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys

import duckdb
import pytest

from pipelines.demo import generate_inbox
from tests.conftest import REPO, corpus_cases
from tests.test_ingest_e2e import _ingest, _q


@pytest.fixture(scope="module")
def corpus_warehouse(tmp_path_factory, corpus):
    tmp = tmp_path_factory.mktemp("marts")
    shutil.copytree(corpus / "inbox", tmp / "inbox")
    _ingest(tmp)
    return tmp


def _collective(county: str) -> list[dict]:
    return [r["values"] for *_, exp in corpus_cases() if exp["county"] == county
            for r in exp["records"] if r["form"] == "collective"]


def test_county_comparison_for_rongan(corpus_warehouse):
    villages = _collective("450224")
    row = _q(corpus_warehouse, "SELECT villages_reporting, villages_with_income, share_income_ge_50k,"
                               " collective_investment_yuan, median_income_yuan"
                               " FROM marts.county_comparison WHERE county_code = '450224' AND period = '2018-08'")
    (reporting, with_income, share, investment, median), = row
    assert reporting == len(villages) == 110
    assert investment == 14_920_000
    # a band counts by its lower bound; an open band "不足2万元" has no lower bound
    assert share == pytest.approx(sum((v["income_min_yuan"] or 0) >= 50_000 for v in villages) / 110)
    assert with_income == sum((v["income_max_yuan"] or v["income_min_yuan"] or 0) > 0 for v in villages)

    def midpoint(v):
        lo, hi = v["income_min_yuan"], v["income_max_yuan"]
        return (lo + hi) / 2 if lo is not None and hi is not None else (lo if lo is not None else hi)
    assert float(median) == pytest.approx(statistics.median(midpoint(v) for v in villages))


def test_fund_total_per_county_matches_the_returns(corpus_warehouse):
    want: dict[str, float] = {}
    for *_, exp in corpus_cases():
        for r in exp["records"]:
            if r["form"] == "fund":
                want[exp["county_code"]] = want.get(exp["county_code"], 0) + r["values"]["amount_yuan"]
    got = dict(_q(corpus_warehouse, "SELECT county_code, sum(fund_total_yuan) FROM marts.county_comparison"
                                    " WHERE fund_total_yuan IS NOT NULL GROUP BY 1"))
    assert {k: float(v) for k, v in got.items()} == pytest.approx(want)


def test_planted_outlier_has_a_robust_z_above_3_5(tmp_path):
    counties = ["450102", "450125", "450223", "450321", "450332", "450502", "450721", "450921", "451026"]
    generate_inbox(tmp_path / "inbox", counties=counties, periods=["2018-08"], rows_per_form=8,
                   outlier_county="450502", errors=False)
    _ingest(tmp_path)
    z = dict(_q(tmp_path, "SELECT county_code, collective_investment_yuan_z FROM marts.county_comparison"))
    assert z["450502"] > 3.5
    assert all(abs(v) <= 3.5 for k, v in z.items() if k != "450502")
    # the z-score is 0.6745·(x − median)/MAD over the counties of the period
    values = dict(_q(tmp_path, "SELECT county_code, collective_investment_yuan FROM marts.county_comparison"))
    xs = [float(v) for v in values.values()]
    med = statistics.median(xs)
    mad = statistics.median(abs(x - med) for x in xs)
    assert z["450502"] == pytest.approx(0.6745 * (float(values["450502"]) - med) / mad)
    flagged = _q(tmp_path, "SELECT DISTINCT county_code FROM quality.issue WHERE rule = 'outlier'"
                           " AND message LIKE '%村集体经济投入%'")
    assert flagged == [("450502",)]


def test_models_rebuild_from_core_in_one_command_and_are_idempotent(corpus_warehouse, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(corpus_warehouse / "w.duckdb", db)

    def marts():
        con = duckdb.connect(str(db), read_only=True)
        try:
            return {t: con.execute(f"SELECT * FROM marts.{t} ORDER BY ALL").fetchall()
                    for t in ("county_comparison", "reporting_status", "county_yoy")}
        finally:
            con.close()

    before = marts()
    for _ in range(2):
        out = subprocess.run([sys.executable, "-m", "pipelines.cli", "models", "--warehouse", str(db)],
                             capture_output=True, text=True, cwd=REPO)
        assert out.returncode == 0, out.stderr
        assert "SQL 测试全部通过" in out.stdout
        assert marts() == before
