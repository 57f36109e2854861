"""The asset graph run in-process (`dg.materialize`) into a tmp_path DuckDB on a small inbox."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.assets import PARTITIONED_ASSETS
from pipelines.flow import check_file
from pipelines.resources import CountyReturnsResource
from pipelines.schedules import WAREHOUSE_WIDE
from tests.conftest import CORPUS

FORM_TABLE = {"team": "team_staffing", "fund": "fund_input", "collective": "collective_economy",
              "industry": "industry_driving", "poverty": "poverty_incidence", "sales": "consumption_sales"}
# Six counties: three files of one county-month, an annual return, a file whose name says
# 201807 but whose 报告期 cell says 2018-08, and a rejected file with no period at all.
SMALL_INBOX = ["450224", "450107", "451228", "450126", "451421", "450332"]
INTAKE = dg.AssetSelection.assets(*PARTITIONED_ASSETS).without_checks()


@pytest.fixture(scope="module")
def defs():
    from pipelines.definitions import defs

    return defs()


@pytest.fixture(scope="module")
def everything(defs) -> list:
    return [*defs.assets, *defs.asset_checks]


def make_inbox(root: Path, counties: list[str]) -> Path:
    inbox = root / "inbox"
    for code in counties:
        shutil.copytree(CORPUS / "inbox" / code, inbox / code)
    return inbox


def resource_for(root: Path) -> CountyReturnsResource:
    return CountyReturnsResource(inbox=str(root / "inbox"), archive=str(root / "archive"), outbox=str(root / "outbox"),
                                 warehouse=str(root / "wh" / "county_returns.duckdb"), exports=str(root / "exports"))


def key(county: str, period: str) -> dg.MultiPartitionKey:
    return dg.MultiPartitionKey({"county": county, "period": period})


def add_partitions(instance: dg.DagsterInstance, keys: list[dg.MultiPartitionKey]) -> None:
    instance.add_dynamic_partitions("county", sorted({k.keys_by_dimension["county"] for k in keys}))
    instance.add_dynamic_partitions("period", sorted({k.keys_by_dimension["period"] for k in keys}))


def rows(root: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(root / "wh" / "county_returns.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def metadata(result: dg.ExecuteInProcessResult, asset: str) -> dict:
    [event] = [e for e in result.get_asset_materialization_events()
               if e.asset_key == dg.AssetKey(asset.split("/"))]
    return {k: v.value for k, v in event.materialization.metadata.items()}


def test_whole_graph_loads_real_rows_and_runs_every_check(tmp_path, everything):
    inbox = make_inbox(tmp_path, SMALL_INBOX)
    resources = {"county_returns": resource_for(tmp_path)}
    instance = dg.DagsterInstance.ephemeral()
    partitions = [key("450224", "2018-08"), key("450107", "2018-08"), key("451228", "2018"),
                  key("450126", "2018-08"), key("451421", "unknown"), key("450332", "2018-08")]
    add_partitions(instance, partitions)

    for partition in partitions:
        result = dg.materialize(everything, selection=INTAKE, partition_key=partition,
                                resources=resources, instance=instance)
        assert result.success, partition
    nightly = dg.materialize(everything, selection=WAREHOUSE_WIDE, resources=resources, instance=instance)
    assert nightly.success

    # The same files through the stage function alone: Dagster must load exactly these rows.
    expected = Counter()
    statuses = Counter()
    for path in sorted(inbox.rglob("*.*")):
        result = check_file(path)
        statuses[result.status] += 1
        expected.update(r.form for r in result.records)
    for form, table in FORM_TABLE.items():
        [(n,)] = rows(tmp_path, f"SELECT count(*) FROM core.{table}")
        assert n == expected[form], table
    assert expected["collective"] >= 100 and expected["industry"] >= 200  # real returns, not a toy
    assert Counter(dict(rows(tmp_path, "SELECT status, count(*) FROM ops.submission GROUP BY 1"))) == statuses
    assert rows(tmp_path, "SELECT county_code, period FROM ops.submission WHERE status = 'rejected'") == [("451421", None)]
    # 宾阳县 named its file 201807, its 报告期 cell says 2018-08: the cell wins
    assert rows(tmp_path, "SELECT period FROM ops.submission WHERE county_code = '450126'") == [("2018-08",)]

    assert rows(tmp_path, "SELECT count(*) FROM marts.county_comparison")[0][0] >= 4
    assert sorted(p.name for p in (tmp_path / "exports").glob("*.parquet")) == [
        "county_comparison.parquet", "county_yoy.parquet", "reporting_status.parquet"]
    assert (tmp_path / "wh" / "county_returns_analyst.duckdb").exists()

    checks = nightly.get_asset_check_evaluations()
    failed = [(c.asset_key.to_user_string(), c.check_name, c.metadata) for c in checks if not c.passed]
    assert not failed
    assert len(checks) == len(list(nightly.job_def.asset_layer.asset_graph.asset_check_keys))
    assert {c.asset_key.to_user_string() for c in checks if c.check_name == "great_expectations_suite"} == {
        *(f"core/{t}" for t in FORM_TABLE.values()), "marts/county_comparison"}

    # feedback to counties with issues, the digest to the province (dry run: .eml files)
    assert list((tmp_path / "outbox" / "451421").rglob("*_问题反馈.xlsx"))
    assert any(p.name.endswith("_province.eml") for p in (tmp_path / "outbox" / "_mail").iterdir())


def test_partition_run_touches_only_its_county_month(tmp_path, everything):
    inbox = make_inbox(tmp_path, ["450224", "450107"])
    # the same county, another month: a changed copy of its poverty CSV named 2018-07
    august = inbox / "450224" / "融安县贫困发生率_2018-08.csv"
    july = inbox / "450224" / "融安县贫困发生率_2018-07.csv"
    july.write_bytes(august.read_bytes().replace(b"36852", b"36850"))
    resources = {"county_returns": resource_for(tmp_path)}
    instance = dg.DagsterInstance.ephemeral()
    aug, jul, other = key("450224", "2018-08"), key("450224", "2018-07"), key("450107", "2018-08")
    add_partitions(instance, [aug, jul, other])

    def run(partition):
        result = dg.materialize(everything, selection=INTAKE, partition_key=partition,
                                resources=resources, instance=instance)
        assert result.success
        return result

    first = run(aug)
    loaded = rows(tmp_path, "SELECT county_code, period, file_name FROM ops.submission ORDER BY file_name")
    assert loaded == sorted([("450224", "2018-08", p.name) for p in (inbox / "450224").iterdir() if p != july],
                            key=lambda r: r[2])
    # the July file was read (it was new, its period unknown) but left to its own partition
    assert metadata(first, "intake/checked_submissions")["checked_elsewhere"] == [july.name]
    for table in FORM_TABLE.values():
        assert rows(tmp_path, f"SELECT DISTINCT county_code, period FROM core.{table}") in ([], [("450224", "2018-08")])

    august_rows = {t: rows(tmp_path, f"SELECT * FROM core.{t} WHERE period = '2018-08' ORDER BY ALL")
                   for t in FORM_TABLE.values()}
    second = run(jul)
    # only the July file was checked: August's files are recorded under another period
    assert metadata(second, "intake/checked_submissions")["checked"] == [july.name]
    assert metadata(second, "intake/inbox_files")["other_periods_skipped"] == sorted(
        p.name for p in (inbox / "450224").iterdir() if p != july)
    assert rows(tmp_path, "SELECT count(*) FROM core.poverty_incidence WHERE period = '2018-07'") == [(4,)]
    assert {t: rows(tmp_path, f"SELECT * FROM core.{t} WHERE period = '2018-08' ORDER BY ALL")
            for t in FORM_TABLE.values()} == august_rows
    assert rows(tmp_path, "SELECT count(*) FROM ops.submission WHERE county_code = '450107'") == [(0,)]

    # a rerun re-checks the county-month and changes nothing (same files, same SHA-256)
    before = rows(tmp_path, "SELECT * FROM ops.submission ORDER BY submission_id")
    third = run(aug)
    assert sorted(metadata(third, "intake/checked_submissions")["checked"]) == sorted(
        p.name for p in (inbox / "450224").iterdir() if p != july)
    assert metadata(third, "ops/submission")["this_run"] == {"unchanged": 3}
    assert rows(tmp_path, "SELECT * FROM ops.submission ORDER BY submission_id") == before


def test_county_month_run_with_its_checks_on_a_fresh_warehouse(tmp_path, everything):
    """As the UI launches it: the selected assets with their checks. The GE suites need the
    marts, which only the nightly job builds: reported as not evaluated (WARN), not a failed run."""
    make_inbox(tmp_path, ["450107"])
    instance = dg.DagsterInstance.ephemeral()
    add_partitions(instance, [key("450107", "2018-08")])
    result = dg.materialize(everything, selection=dg.AssetSelection.assets(*PARTITIONED_ASSETS),
                            partition_key=key("450107", "2018-08"),
                            resources={"county_returns": resource_for(tmp_path)}, instance=instance)
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert {e.asset_key.path[0] for e in evaluations} == {"core"}
    assert all(not e.passed and e.severity == dg.AssetCheckSeverity.WARN and "not_evaluated" in e.metadata
               for e in evaluations)


def test_planted_bad_value_fails_the_great_expectations_check(tmp_path, everything):
    """A negative amount slipped into core is a failed, visible asset check with its row ids."""
    make_inbox(tmp_path, ["451027"])
    resources = {"county_returns": resource_for(tmp_path)}
    instance = dg.DagsterInstance.ephemeral()
    add_partitions(instance, [key("451027", "2018-08")])
    assert dg.materialize(everything, selection=INTAKE, partition_key=key("451027", "2018-08"),
                          resources=resources, instance=instance).success
    con = duckdb.connect(str(tmp_path / "wh" / "county_returns.duckdb"))
    con.execute("UPDATE core.fund_input SET amount_yuan = -1 WHERE source_row = 5")
    con.close()

    nightly = dg.materialize(everything, selection=WAREHOUSE_WIDE, resources=resources, instance=instance,
                             raise_on_error=False)
    ge = {c.asset_key.to_user_string(): c for c in nightly.get_asset_check_evaluations()
          if c.check_name == "great_expectations_suite"}
    assert not ge["core/fund_input"].passed
    assert "source_row" in str(ge["core/fund_input"].metadata) and "-1" in str(ge["core/fund_input"].metadata)
    assert ge["core/team_staffing"].passed
