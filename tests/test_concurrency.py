"""Two ingests never interleave; an analyst's open read-only session never blocks a run."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import duckdb

from tests.conftest import REPO

COUNTIES = ["450224", "450125", "451027", "451223"]
TABLES = ["ops.submission", "core.team_staffing", "core.fund_input", "core.collective_economy",
          "core.industry_driving", "quality.issue", "quality.quarantine"]


def _inbox(root, corpus, counties=COUNTIES):
    for code in counties:
        shutil.copytree(corpus / "inbox" / code, root / "inbox" / code)


def _ingest_cmd(root, db):
    return [sys.executable, "-m", "pipelines.cli", "ingest", "--inbox", str(root / "inbox"), "--warehouse", str(db),
            "--archive", str(root / "archive"), "--outbox", str(root / "outbox"), "--exports", str(root / "exports")]


def _counts(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def test_two_ingests_at_once_equal_one(tmp_path, corpus):
    one, two = tmp_path / "one", tmp_path / "two"
    _inbox(one, corpus)
    _inbox(two, corpus)
    assert subprocess.run(_ingest_cmd(one, one / "w.duckdb"), cwd=REPO, capture_output=True).returncode == 0

    runs = [subprocess.Popen(_ingest_cmd(two, two / "w.duckdb"), cwd=REPO, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [r.communicate(timeout=300) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outs
    assert _counts(two / "w.duckdb") == _counts(one / "w.duckdb")
    assert _counts(two / "w.duckdb")["ops.submission"] == sum(1 for p in (two / "inbox").rglob("*") if p.is_file())


READER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print("open", flush=True)
n = 0
deadline = time.time() + float(sys.argv[2])
while time.time() < deadline:
    n += con.execute("SELECT count(*) FROM core.fund_input").fetchone()[0] >= 0
    time.sleep(0.05)
print("queries", n, flush=True)
"""


def test_analyst_reading_during_an_ingest(tmp_path, corpus):
    _inbox(tmp_path, corpus, COUNTIES[:2])
    db = tmp_path / "w.duckdb"
    assert subprocess.run(_ingest_cmd(tmp_path, db), cwd=REPO, capture_output=True).returncode == 0
    snapshot = tmp_path / "w_analyst.duckdb"
    before = _counts(snapshot)

    reader = subprocess.Popen([sys.executable, "-c", READER, str(snapshot), "8"], stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "open"
    _inbox(tmp_path, corpus, COUNTIES[2:])  # new files arrive while the analyst is connected
    started = time.monotonic()
    run = subprocess.run(_ingest_cmd(tmp_path, db), cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert time.monotonic() - started < 8  # it did not wait for the reader
    out, _ = reader.communicate(timeout=30)
    assert reader.returncode == 0 and int(out.split()[-1]) > 10

    after = _counts(snapshot)  # the new snapshot has the new files; the reader's copy was untouched
    assert after["ops.submission"] > before["ops.submission"]
