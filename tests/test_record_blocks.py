"""Clean rows travel column by column (RecordBlock) from validation to the warehouse, and read
as the same Records a row-by-row result carried: same values, types, order, JSON and rows."""

from __future__ import annotations

import json
import pickle
from datetime import datetime

import polars as pl
import pytest

from pipelines import flow
from pipelines.demo.synth import synthesize
from pipelines.model import CheckResult, Record, RecordBlock, Records
from warehouse import db
from warehouse.load import load_submission
from warehouse.testing import make_result

AUG = datetime(2018, 9, 3, 10, 0)


def _block(rows=(4, 5, 7)):
    frame = pl.DataFrame({
        "project_name": pl.Series(["茶叶", "道路", "饮水"], dtype=pl.Utf8),
        "amount_yuan": pl.Series([14920000.0, 3.0, 0.5], dtype=pl.Float64),
        "amount_qualifier": pl.Series([None, "approx", None], dtype=pl.Utf8),
    })
    return RecordBlock("fund", "资金投入", list(rows), frame)


def test_a_block_reads_as_records_with_python_values():
    records = list(_block())
    assert records == [
        Record("fund", "资金投入", 4, {"project_name": "茶叶", "amount_yuan": 14920000.0, "amount_qualifier": None}),
        Record("fund", "资金投入", 5, {"project_name": "道路", "amount_yuan": 3.0, "amount_qualifier": "approx"}),
        Record("fund", "资金投入", 7, {"project_name": "饮水", "amount_yuan": 0.5, "amount_qualifier": None}),
    ]
    assert list(records[0].values) == ["project_name", "amount_yuan", "amount_qualifier"]  # column order


def test_records_mix_blocks_and_single_records_in_order():
    single = Record("team", "驻村工作队", 9, {"township": "城厢镇", "work_team_members": 5})
    records = Records([_block(), single])
    records += Records([_block(rows=(20, 21, 22))])
    assert len(records) == 7 and bool(records)
    assert [r.row for r in records] == [4, 5, 7, 9, 20, 21, 22]
    assert records[3] is single and records[-1].row == 22
    assert records == list(records) and not Records()
    with pytest.raises(TypeError):
        Records([{"township": "城厢镇"}])


def test_records_survive_a_process_boundary():
    records = Records([_block(), Record("team", "驻村工作队", 9, {"township": "城厢镇"})])
    back = pickle.loads(pickle.dumps(records))
    assert back == records and len(back) == 4 and isinstance(back.parts[0], RecordBlock)


def test_a_result_wraps_a_list_of_records():
    result = make_result("451026", "2018-08", {"team": [{"township": "城厢镇", "work_team_members": 5}]})
    assert isinstance(result.records, Records) and result.records[0].values["work_team_members"] == 5


def _core_rows(con, table):
    return con.execute(f"SELECT * EXCLUDE (submission_id) FROM core.{table} ORDER BY source_row").fetchall()


def test_a_block_and_the_same_rows_as_records_load_the_same(tmp_path):
    """What the loader makes of a validated block equals what it makes of hand-made Records."""
    tables = {}
    for kind in ("block", "records"):
        con = db.connect(tmp_path / f"{kind}.duckdb")
        db.migrate(con)
        db.load_reference(con)
        block = _block()
        parts = [block] if kind == "block" else list(block)
        result = CheckResult(file="f.xlsx", path="inbox/451026/f.xlsx", sha256=kind * 8, size=1,
                             county_code="451026", period="2018-08", records=Records(parts),
                             forms=["fund"], input_rows=3, file_type="xlsx")
        outcome = load_submission(con, result, AUG, None)
        assert outcome.rows_loaded == {"fund": 3}
        tables[kind] = _core_rows(con, "fund_input")
        con.close()
    assert tables["block"] == tables["records"]
    assert len(tables["block"]) == 3


def test_a_block_with_a_field_the_table_lacks_is_refused(tmp_path):
    con = db.connect(tmp_path / "w.duckdb")
    db.migrate(con)
    block = RecordBlock("fund", "资金投入", [4], pl.DataFrame({"no_such_field": ["x"]}))
    result = CheckResult(file="f.xlsx", path="inbox/451026/f.xlsx", sha256="x" * 64, size=1,
                         county_code="451026", period="2018-08", records=Records([block]),
                         forms=["fund"], input_rows=1, file_type="xlsx")
    with pytest.raises(ValueError, match="no_such_field"):
        load_submission(con, result, AUG, None)
    assert con.execute("SELECT count(*) FROM ops.submission").fetchone() == (0,)  # rolled back
    con.close()


def test_a_checked_workbook_carries_blocks_whose_records_match_its_json(tmp_path):
    """A generated county workbook: every clean row is in a block, and the JSON a clerk sees
    lists them with the types of the CONTRACT (int counts, float yuan, str, bool, None)."""
    inbox = tmp_path / "inbox"
    synthesize(inbox, counties=["451026"], rows_per_form=40, seed=3, csv=False)
    (path,) = sorted(p for p in inbox.rglob("*") if p.is_file())
    result = flow.check_file(path, county=path.parent.name)
    assert result.records.parts and all(isinstance(p, RecordBlock) for p in result.records.parts)
    assert len(result.records) == sum(len(p) for p in result.records.parts) > 100
    shown = json.loads(json.dumps(result.to_json(), ensure_ascii=False))["records"]
    assert shown == [r.to_json() for r in result.records]
    for record in result.records:
        for name, value in record.values.items():
            assert value is None or type(value) in (int, float, str, bool), (name, value)
        if record.form == "team":
            assert all(type(v) is int for k, v in record.values.items()
                       if k in ("work_team_members", "village_cadres") and v is not None)


def test_parse_keeps_each_field_column_wise_as_the_rows_hold_it(tmp_path):
    """ParsedTable.fields (what validation builds its frame and the blocks from) holds exactly
    each row's values, rows with unparseable cells included; clean rows carry exactly its
    fields, in its order; money is whole fen (its float is the float of its cents)."""
    from decimal import Decimal

    from pipelines.intake.locate import locate_tables
    from pipelines.intake.parse import parse_table
    from pipelines.intake.read import read_grids, sniff_type
    from pipelines.limits import Limits

    inbox = tmp_path / "inbox"
    synthesize(inbox, counties=["451026", "450224", "450102"], rows_per_form=60, seed=11, csv=False)
    limits = Limits()
    seen_failed = money = 0
    for path in sorted(p for p in inbox.rglob("*") if p.is_file()):
        for grid in read_grids(path, sniff_type(path, limits), limits):
            for table in locate_tables(grid):
                parsed = parse_table(table)
                kinds = {f.name: f.kind for f in table.form.fields}
                for i, row in enumerate(parsed.rows):
                    assert set(row.values) == set(parsed.fields)
                    assert all(parsed.fields[k][i] == v or (parsed.fields[k][i] is None and v is None)
                               for k, v in row.values.items())
                    if row.unparsed:
                        seen_failed += 1
                    else:
                        assert list(row.values) == list(parsed.fields)
                    for k, v in row.values.items():
                        if kinds.get(k) == "money" and v is not None:
                            assert type(v) is Decimal and v == v.quantize(Decimal("0.01")), (k, v)
                            money += 1
    assert seen_failed and money > 100  # the generated files have both
