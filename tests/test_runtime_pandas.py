"""The processes that only check files (the pool's workers, a clerk's `check`) keep pandas out
(`runtime.without_pandas`): pandera then takes its path for an install without pandas, and must
report exactly what it reports with it. Great Expectations gets it back (`runtime.allow_pandas`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pipelines.flow import check_file
from pipelines.runtime import process_map
from tests.conftest import REPO, corpus_cases


def _run(code: str, *args: str) -> list:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_pandas_is_absent_until_allowed():
    code = """
import json, sys
from pipelines.runtime import allow_pandas, without_pandas
without_pandas(); without_pandas()  # idempotent: one guard
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
from pipelines.runtime import without_pandas
without_pandas()
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
from pipelines.runtime import without_pandas
without_pandas()
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


def _worker_probe(path: str) -> tuple[bool, bool, str]:
    result = check_file(Path(path))
    return "pandas" in sys.modules, "pandera" in sys.modules, result.status


def test_pool_workers_check_without_pandas():
    """The ingest pool's workers are set up without pandas, and still report row-rule failures."""
    failing = [str(src) for src, _, expected in corpus_cases()
               if {"out_of_range", "required_missing"} & {i["rule"] for i in expected.get("issues", [])}]
    assert len(failing) >= 2
    results = list(process_map(_worker_probe, failing * 2, workers=2))
    assert all(not pandas for pandas, _, _ in results)
    assert any(pandera for _, pandera, _ in results)
    assert {status for _, _, status in results} <= {"accepted_with_warnings", "accepted"}


def test_ingest_then_great_expectations_in_one_process(tmp_path, corpus):
    """The `demo` command's order in one process of our own: ingest (its workers without
    pandas), then the GE suites on pandas frames."""
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
from warehouse.quality_suites import run_suites
con = duckdb.connect(str(out / 'w.duckdb'), read_only=True)
suites = run_suites(con)
rows = con.execute('SELECT count(*) FROM core.poverty_incidence').fetchone()[0]
print(json.dumps([len(report.files), rows, sorted(s.name for s in suites), sum(s.rows for s in suites)]))
"""
    files, rows, names, suite_rows = _run(code, str(corpus), str(tmp_path))
    assert files >= 40 and rows > 0
    assert "core.poverty_incidence" in names and "marts.county_comparison" in names
    assert suite_rows > 0


def test_own_process_loads_openblas_with_one_thread():
    """numpy (pandera imports it) starts one OpenBLAS thread per core unless told otherwise;
    our own processes tell it one, and an operator's setting wins."""
    code = """
import json, os, sys
from pipelines.runtime import own_process
own_process()
import numpy
print(json.dumps([len(os.listdir('/proc/self/task')), os.environ['OPENBLAS_NUM_THREADS']]))
"""
    threads, setting = _run(code)
    assert setting == "1" and threads == 1
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                         env={**__import__("os").environ, "OPENBLAS_NUM_THREADS": "2"})
    assert json.loads(out.stdout.strip().splitlines()[-1])[1] == "2"
