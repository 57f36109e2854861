"""The synthetic inbox: every generated row is read back exactly, planted errors are found with
their CONTRACT rule codes, and the same seed writes the same bytes."""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.demo import build_demo_inbox, expected_manifest, generate_inbox, synthesize
from pipelines.demo import spelling
from pipelines.demo.forms import COLUMNS
from pipelines.demo.synth import default_counties
from pipelines.flow import check_file
from pipelines.intake.locate import normalize, strip_unit
from pipelines.parsing import values as pv
from schemas.spec import all_forms

COUNTIES = default_counties(8)
OUTLIER = COUNTIES[2]
ARGS = dict(counties=COUNTIES, periods=["2018-07", "2018-08"], rows_per_form=10, outlier_county=OUTLIER)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("synth") / "inbox"
    return root, synthesize(root, **ARGS)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _money_sum(records, field) -> Decimal:
    return sum((Decimal(repr(r.values[field])) for r in records if r.values.get(field) is not None), Decimal(0))


def test_the_inbox_has_workbooks_csvs_and_every_error_kind(inbox):
    root, manifests = inbox
    assert {m.path.parent.name for m in manifests} == set(COUNTIES)
    assert all(m.path.is_file() and m.path.parent.parent == root for m in manifests)
    assert Counter(m.file_type for m in manifests) == {"xlsx": 16, "csv": 4}
    assert {m.period for m in manifests} == {"2018-07", "2018-08"}
    assert sum(len(m.forms) for m in manifests) == 8 * 2 * 6  # every form of every county × period
    assert Counter(e.rule for m in manifests for e in m.errors) == {
        "unparseable_value": 2, "required_missing": 2, "out_of_range": 2, "duplicate_key": 2}
    # a few counties only: the rest send clean returns
    assert len({m.county_code for m in manifests if m.errors}) == 2
    # CSVs come in both encodings counties use
    heads = {m.path.read_bytes()[:3] == b"\xef\xbb\xbf" for m in manifests if m.file_type == "csv"}
    assert heads == {True, False}


def test_check_reads_every_generated_row_exactly(inbox):
    _, manifests = inbox
    for m in manifests:
        result = check_file(m.path)
        where = m.path.name
        assert result.status != "rejected", (where, result.issues)
        assert (result.county_code, result.period) == (m.county_code, m.period), where
        assert sorted(result.forms) == sorted(f.form for f in m.forms), where
        assert result.input_rows == m.data_rows + m.total_rows, where
        for fm in m.forms:
            records = [r for r in result.records if r.form == fm.form]
            quarantined = [q for q in result.quarantined if q.form == fm.form]
            totals = [t for t in result.totals if t.form == fm.form]
            assert {r.sheet for r in records + quarantined + totals} <= {fm.sheet}, where
            assert (len(records), len(quarantined), len(totals)) == (
                fm.clean_rows, fm.quarantined_rows, fm.total_rows), (where, fm.form)
            assert sorted(q.row for q in quarantined) == sorted({e.row for e in fm.errors}), (where, fm.form)
            for field, expected in fm.money_sums.items():
                assert _money_sum(records, field) == expected, (where, fm.form, field)
            # exactly the planted errors: no warning from a 合计 row, a ratio or a rate
            found = sorted((i.rule, i.sheet, i.cell, i.raw_value) for i in result.issues if i.form == fm.form)
            assert found == sorted((e.rule, e.sheet, e.cell, e.raw) for e in fm.errors), (where, fm.form)


def test_the_same_seed_writes_the_same_bytes(tmp_path):
    args = dict(counties=COUNTIES[:4], periods=["2018-08"], rows_per_form=8, outlier_county=COUNTIES[0])
    first = generate_inbox(tmp_path / "a", **args)
    second = generate_inbox(tmp_path / "b", **args)
    assert [p.relative_to(tmp_path / "a") for p in first] == [p.relative_to(tmp_path / "b") for p in second]
    assert [_sha(p) for p in first] == [_sha(p) for p in second]
    other = generate_inbox(tmp_path / "c", **{**args, "seed": 8})
    assert [_sha(p) for p in other] != [_sha(p) for p in first]
    # the manifest is known without writing anything
    planned = expected_manifest(tmp_path / "a", **args)
    assert [m.path for m in planned] == first


def test_the_outlier_county_is_ten_times_the_others(inbox):
    _, manifests = inbox

    def investment(code):
        return sum(f.money_sums["investment_yuan"] for m in manifests if m.county_code == code
                   for f in m.forms if f.form == "collective" and "investment_yuan" in f.money_sums)

    others = sorted(investment(c) for c in COUNTIES if c != OUTLIER)
    assert investment(OUTLIER) > 5 * others[len(others) // 2]


def test_tidy_files_read_exactly_too(tmp_path):
    manifests = synthesize(tmp_path / "inbox", counties=COUNTIES[:3], rows_per_form=7, messy=False,
                           forms=["fund", "collective", "sales"])
    assert all(m.file_type == "xlsx" and m.total_rows == 0 for m in manifests)
    for m in manifests:
        result = check_file(m.path)
        assert result.period == "2018-08" and len(result.records) == sum(f.clean_rows for f in m.forms)
        for fm in m.forms:
            records = [r for r in result.records if r.form == fm.form]
            for field, expected in fm.money_sums.items():
                assert _money_sum(records, field) == expected


def test_header_spellings_are_schema_synonyms():
    forms = all_forms()
    for form, columns in COLUMNS.items():
        synonyms = forms[form].synonyms
        for col in columns:
            if col.field is None:
                continue
            listed = {normalize(s) for s in synonyms[col.field]}
            for label in col.labels:
                assert strip_unit(normalize(label)) in listed, (form, col.field, label)


def test_spellings_read_back_as_the_value_written():
    rng = random.Random(3)
    for _ in range(2000):
        yuan = Decimal(rng.randint(1, 10**9)) / rng.choice((1, 100))
        for unit in ("万元", "元"):
            cell = spelling.money(rng, yuan, unit)
            assert pv.parse_money(cell, unit).point == yuan, (cell, unit)
        n = rng.randint(0, 5000)
        assert pv.parse_count(spelling.count(rng, n, rng.choice("人户个部"))) == n
        assert pv.parse_chinese_numeral(spelling.chinese_numeral(rng.randint(0, 10**7))) >= 0
    for n in list(range(0, 3000)) + [10005, 12000, 100000, 1010101]:
        assert pv.parse_chinese_numeral(spelling.chinese_numeral(n)) == n
    low, high = Decimal(20000), Decimal(100000)
    band = pv.parse_money(spelling.band_money(rng, low, high))
    assert (band.min_yuan, band.max_yuan) == (low, high)
    assert pv.parse_money(spelling.at_least_money(rng, low)).qualifier == "at_least"
    assert pv.parse_money(spelling.approx_money(rng, high)).point == high


def test_build_demo_inbox_is_a_dozen_counties_over_two_months(tmp_path):
    paths = build_demo_inbox(tmp_path / "inbox")
    counties = {p.parent.name for p in paths}
    assert len(counties) == 12
    assert sum("2018年7月" in p.name or "201807" in p.name for p in paths) == len(paths) / 2


def test_ingest_flags_the_outlier_county(tmp_path):
    """The synthetic inbox through the whole pipeline: marts see the ×10 county."""
    script = f"""
import sys, duckdb
from pathlib import Path
from pipelines.config import load_config, with_paths
from pipelines.demo import generate_inbox
from pipelines.ingest import run_ingest
if __name__ == "__main__":
    root = Path(sys.argv[1])
    generate_inbox(root / "inbox", counties={COUNTIES!r}, rows_per_form=8, outlier_county={OUTLIER!r})
    config = with_paths(load_config(), inbox=root / "inbox", warehouse=root / "wh.duckdb",
                        archive=root / "archive", outbox=root / "outbox", exports=root / "exports")
    run_ingest(config, progress=lambda s: None, alerts=False)
    con = duckdb.connect(str(root / "wh.duckdb"), read_only=True)
    rows = con.execute("SELECT DISTINCT county_code FROM quality.issue WHERE rule = 'outlier'"
                       " AND message LIKE '%村集体经济投入%'").fetchall()
    print(",".join(sorted(r[0] for r in rows)))
"""
    path = tmp_path / "ingest_outlier.py"
    path.write_text(script, encoding="utf-8")
    # a script file, not -c: the ingest's worker pool spawns and re-imports __main__
    out = subprocess.run([sys.executable, str(path), str(tmp_path)], capture_output=True, text=True,
                         timeout=300, cwd=Path(__file__).resolve().parents[1])
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == OUTLIER
