"""Our own processes keep pandas out until Great Expectations asks for it (`runtime.own_process`,
`runtime.allow_pandas`): pandera and DuckDB then take their paths for an install without pandas,
and must report exactly what they report with it."""

from __future__ import annotations

import json
import subprocess
import sys

from pipelines.flow import check_file
from tests.conftest import REPO, corpus_cases


def _run(code: str, *args: str) -> list:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_pandas_is_absent_until_allowed():
    code = """
import json, sys
from pipelines.runtime import allow_pandas, own_process
own_process(); own_process()  # idempotent: one guard
try:
    import pandas
    before = 'imported'
except ModuleNotFoundError as exc:
    before = str(exc)
allow_pandas()
import pandas
print(json.dumps([before, pandas.__name__, 'pandas' in sys.modules]))
"""
    assert _run(code) == ["No module named 'pandas'", "pandas", True]


def test_a_process_that_has_pandas_keeps_it():
    code = """
import json, sys
import pandas
from pipelines.runtime import own_process
own_process()
import pandas.api.types
print(json.dumps(['pandas.api.types' in sys.modules]))
"""
    assert _run(code) == [True]


def test_check_without_pandas_reports_what_it_reports_with_it():
    """Every corpus file checked in a process of our own (pandera without pandas) gives the
    JSON this test process (pandas loaded) gives, and pandera did report row-rule failures."""
    cases = corpus_cases()
    assert cases
    code = """
import json, sys
from pathlib import Path
from pipelines.runtime import own_process
own_process()
from pipelines.flow import check_file
cases = json.loads(sys.argv[1])
out = [check_file(Path(src), county=county).to_json() for src, county in cases]
print(json.dumps([out, 'pandas' in sys.modules, 'pandera' in sys.modules], ensure_ascii=False))
"""
    args = [[str(src), expected["county"]] for src, _, expected in cases]
    results, pandas_loaded, pandera_loaded = _run(code, json.dumps(args, ensure_ascii=False))
    assert not pandas_loaded and pandera_loaded
    here = [json.loads(json.dumps(check_file(src, county=expected["county"]).to_json(), ensure_ascii=False))
            for src, _, expected in cases]
    assert results == here
    pandera_rules = {i["rule"] for r in results for i in r["issues"]}
    assert {"out_of_range", "required_missing"} <= pandera_rules


def test_ingest_without_pandas_then_great_expectations(tmp_path, corpus):
    """The `demo` command's order in one process of our own: ingest (DuckDB queries with
    parameters, no pandas), then the GE suites, which load pandas."""
    code = """
import json, sys
from pathlib import Path
from pipelines.runtime import own_process
own_process()
from pipelines.config import load_config, with_paths
from pipelines.ingest import run_ingest
import duckdb
corpus, out = Path(sys.argv[1]), Path(sys.argv[2])
config = with_paths(load_config(), inbox=corpus / 'inbox', warehouse=out / 'w.duckdb', archive=out / 'a',
                    outbox=out / 'o', exports=out / 'e')
report = run_ingest(config, progress=lambda s: None, alerts=False)
after_ingest = 'pandas' in sys.modules
from warehouse.quality_suites import run_suites
con = duckdb.connect(str(out / 'w.duckdb'), read_only=True)
suites = run_suites(con)
rows = con.execute('SELECT count(*) FROM core.poverty_incidence').fetchone()[0]
print(json.dumps([after_ingest, 'pandas' in sys.modules, len(report.files), rows,
                  sorted(s.name for s in suites), sum(s.rows for s in suites)]))
"""
    after_ingest, after_suites, files, rows, names, suite_rows = _run(code, str(corpus), str(tmp_path))
    assert not after_ingest and after_suites
    assert files >= 40 and rows > 0
    assert "core.poverty_incidence" in names and "marts.county_comparison" in names
    assert suite_rows > 0
