"""The Dagster definitions load, validate, and draw the graph the design describes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from tests.conftest import REPO

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    from pipelines.definitions import defs

    return defs()


@pytest.fixture(scope="module")
def graph(defs):
    return defs.get_repository_def().asset_graph


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "DAGSTER_HOME": str(tmp_path), "DAGSTER_DISABLE_TELEMETRY": "1", **extra}


def test_dagster_definitions_validate(tmp_path):
    proc = subprocess.run([str(BIN / "dagster"), "definitions", "validate", "-m", "pipelines.definitions"],
                          cwd=REPO, env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "All code locations passed validation" in proc.stdout + proc.stderr


def test_import_reads_no_config_and_opens_nothing(tmp_path):
    # A config file that does not exist would raise in load_config: importing must not load it.
    proc = subprocess.run(
        [sys.executable, "-c", "import sys, pipelines.definitions; sys.exit('great_expectations' in sys.modules)"],
        cwd=REPO, env=_env(tmp_path, COUNTY_RETURNS_CONFIG=str(tmp_path / "missing.toml")),
        capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert not any(tmp_path.iterdir()), "importing the definitions wrote files"


def test_asset_keys_mirror_the_warehouse(graph):
    from warehouse.db import FORM_TABLES
    from warehouse.models import list_models

    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    expected = {"intake/inbox_files", "intake/checked_submissions", "ops/submission", "ops/submission_form",
                "quality/issue", "quality/quarantine", "ref/county", "ref/reporting_calendar", "ref/county_form",
                "ops/analyst_snapshot", "quality/cross_county_warnings", "exports", "alerts/county_feedback", "alerts/province_digest",
                *(f"core/{t}" for t in FORM_TABLES.values()),
                *(f"{m.layer}/{m.name}" for m in list_models())}
    assert keys == expected
    for table in FORM_TABLES.values():
        node = graph.get(dg.AssetKey(["core", table]))
        assert node.group_name == "core"
        assert dg.AssetKey(["ops", "submission"]) in node.parent_keys
        assert set(node.kinds) == {"duckdb", "polars"}


def test_each_model_depends_on_what_its_sql_reads(graph):
    from warehouse.models import list_models

    keys = graph.get_all_asset_keys()
    for model in list_models():
        node = graph.get(dg.AssetKey(list(model.key)))
        upstream = {dg.AssetKey(list(k)) for k in model.upstream}
        assert node.parent_keys == upstream, model.name
        assert upstream <= keys, f"{model.name} reads a table no asset produces: {upstream - keys}"
        assert node.group_name == ("marts" if model.layer == "marts" else "core")


def test_sql_tests_and_ge_suites_are_checks_beside_their_assets(graph):
    from warehouse.db import FORM_TABLES
    from warehouse.models import list_models, list_tests

    checks = set(graph.asset_check_keys)
    layer = {m.name: m.layer for m in list_models()}
    for test in list_tests():
        model, name = test.name.split(".", 1)
        assert dg.AssetCheckKey(dg.AssetKey([layer[model], model]), name) in checks
    ge = {c.asset_key.to_user_string() for c in checks if c.name == "great_expectations_suite"}
    assert ge == {*(f"core/{t}" for t in FORM_TABLES.values()), "marts/county_comparison"}


def test_intake_is_partitioned_by_county_and_period(graph):
    from pipelines.partitions import county_period_partitions

    partitioned = {k.to_user_string() for k in graph.get_all_asset_keys() if graph.get(k).partitions_def}
    assert partitioned == {"intake/inbox_files", "intake/checked_submissions", "ops/submission",
                           "ops/submission_form", "quality/issue", "quality/quarantine", "alerts/county_feedback",
                           *(f"core/{t}" for t in ("team_staffing", "fund_input", "collective_economy",
                                                    "industry_driving", "poverty_incidence", "consumption_sales"))}
    for key in graph.get_all_asset_keys():
        if graph.get(key).partitions_def:
            assert graph.get(key).partitions_def == county_period_partitions
    assert county_period_partitions.partition_dimension_names == ["county", "period"]


def test_nightly_schedule_runs_the_warehouse_wide_graph_at_two_china_time(defs):
    schedule = defs.resolve_schedule_def("nightly_refresh")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Asia/Shanghai"
    assert schedule.job_name == "nightly_job"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    nodes = set(defs.resolve_job_def("nightly_job").graph.node_dict)
    assert {"marts__county_comparison", "exports", "alerts__province_digest", "great_expectations_suites",
            "ops__analyst_snapshot", "ref__county"} <= nodes
    assert not nodes & {"intake__inbox_files", "load_submissions", "alerts__county_feedback"}


def test_sensors_are_on_and_target_the_county_month_job(defs):
    inbox = defs.resolve_sensor_def("inbox_sensor")
    assert inbox.job_name == "county_month_job"
    assert inbox.default_status == dg.DefaultSensorStatus.RUNNING
    assert defs.resolve_sensor_def("run_failure_alert").default_status == dg.DefaultSensorStatus.RUNNING
    assert set(defs.resolve_job_def("county_month_job").graph.node_dict) == {
        "intake__inbox_files", "intake__checked_submissions", "load_submissions", "alerts__county_feedback"}
