"""The inbox sensor (one run per new file, never the same content twice) and the failure alert."""

from __future__ import annotations

import json
import os
import shutil
from email import policy
from email.parser import BytesParser
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.assets import PARTITIONED_ASSETS
from pipelines.flow import sha256_of
from pipelines.resources import CountyReturnsResource
from pipelines.sensors import InboxCursor, inbox_sensor, run_failure_alert
from tests.conftest import CORPUS


@pytest.fixture
def root(tmp_path) -> Path:
    for code in ("450224", "450126", "451421"):
        shutil.copytree(CORPUS / "inbox" / code, tmp_path / "inbox" / code)
    return tmp_path


def resources(root: Path) -> dict:
    return {"county_returns": CountyReturnsResource(
        inbox=str(root / "inbox"), archive=str(root / "archive"), outbox=str(root / "outbox"),
        warehouse=str(root / "wh" / "county_returns.duckdb"), exports=str(root / "exports"))}


def tick(root: Path, cursor: str | None) -> dg.SensorResult:
    return inbox_sensor(dg.build_sensor_context(cursor=cursor, resources=resources(root)))


def test_one_run_request_per_new_file_then_none(root):
    inbox = root / "inbox"
    files = sorted(p for p in inbox.rglob("*") if p.is_file())
    first = tick(root, None)

    assert sorted(r.run_key for r in first.run_requests) == sorted(sha256_of(p) for p in files)
    by_file = {r.tags["county_returns/file"]: r for r in first.run_requests}
    assert by_file["450126/宾阳县消费扶贫201807.xlsx"].partition_key == "450126|2018-08"  # the 报告期 cell wins
    assert by_file["451421/扶绥县驻村工作队力量统计表.xlsx"].partition_key == "451421|unknown"  # rejected, no period
    assert {by_file[f"450224/{p.name}"].partition_key for p in (inbox / "450224").iterdir()} == {"450224|2018-08"}
    for request in first.run_requests:  # each run takes just its own file
        assert request.run_config["ops"]["intake__inbox_files"]["config"]["sha256"] == [request.run_key]
    added = {r.partitions_def_name: set(r.partition_keys) for r in first.dynamic_partitions_requests}
    assert added == {"county": {"450224", "450126", "451421"}, "period": {"2018-08", "unknown"}}

    second = tick(root, first.cursor)
    assert not second.run_requests
    assert second.skip_reason is not None

    # the same content under another name, or a touched file, is not new
    shutil.copy(files[0], files[0].with_name("重新报送_" + files[0].name))
    os.utime(files[1])
    third = tick(root, second.cursor)
    assert not third.run_requests

    # new content is, exactly once
    new = inbox / "450224" / "融安县贫困发生率_2018-07.csv"
    new.write_bytes((inbox / "450224" / "融安县贫困发生率_2018-08.csv").read_bytes().replace(b"36852", b"36850"))
    fourth = tick(root, third.cursor)
    assert [(r.run_key, r.partition_key) for r in fourth.run_requests] == [(sha256_of(new), "450224|2018-07")]
    assert not tick(root, fourth.cursor).run_requests


def test_cursor_keeps_every_hash_seen_and_skips_rehashing(root, monkeypatch):
    first = tick(root, None)
    cursor = InboxCursor.parse(first.cursor)
    assert cursor.seen == {r.run_key for r in first.run_requests}
    import pipelines.flow

    def no_hashing(path, county=None):
        raise AssertionError(f"unchanged file hashed again: {path}")

    monkeypatch.setattr(pipelines.flow, "receive", no_hashing)
    assert not tick(root, first.cursor).run_requests


def test_a_sensor_run_loads_only_its_file(root):
    defs_assets = PARTITIONED_ASSETS
    request = next(r for r in tick(root, None).run_requests
                   if r.tags["county_returns/file"].startswith("450224/融安县2018年8月村集体经济"))
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("county", ["450224"])
    instance.add_dynamic_partitions("period", ["2018-08"])
    result = dg.materialize(defs_assets, partition_key=request.partition_key, run_config=request.run_config,
                            tags=request.tags, resources=resources(root), instance=instance)
    assert result.success
    con = duckdb.connect(str(root / "wh" / "county_returns.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT sha256 FROM ops.submission").fetchall() == [(request.run_key,)]
        assert con.execute("SELECT count(*) FROM core.collective_economy").fetchone()[0] > 100
    finally:
        con.close()


def test_a_failed_run_is_recorded_and_the_province_told(root):
    (root / "wh").mkdir()
    (root / "wh" / "county_returns.duckdb").mkdir()  # a directory where the DuckDB file should be
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("county", ["450224"])
    instance.add_dynamic_partitions("period", ["2018-08"])
    result = dg.materialize(PARTITIONED_ASSETS, partition_key="450224|2018-08", resources=resources(root),
                            instance=instance, raise_on_error=False)
    assert not result.success
    run = instance.get_run_by_id(result.run_id)
    failure = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_FAILURE)
    context = dg.build_run_status_sensor_context(
        sensor_name="run_failure_alert", dagster_instance=instance, dagster_run=run,
        dagster_event=failure, resources=resources(root)).for_run_failure()
    run_failure_alert(context)

    folder = root / "outbox" / "_province" / "run_failures"
    [record_path] = folder.glob("*.json")
    record = json.loads(record_path.read_text(encoding="utf-8"))
    assert record["run_id"] == result.run_id
    assert record["partition"] == "450224|2018-08"
    assert record["steps"] and record["steps"][0]["step"] == "intake__inbox_files"
    [eml] = (folder / result.run_id).glob("*_province.eml")
    message = BytesParser(policy=policy.default).parse(eml.open("rb"))
    assert "流水线运行失败" in message["Subject"]
    assert result.run_id in message.get_body().get_content()
