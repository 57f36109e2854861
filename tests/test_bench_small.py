"""The benchmark at its small scale, end to end: every measurement is taken and reported.

This keeps `make bench` from rotting; it asserts no timings (CI machines vary), only that each
step ran on the same files, read them completely, and landed in the report.
"""

from __future__ import annotations

from bench.report import STEP_LABELS, render_markdown, summary_lines
from bench.run import run_benchmark, write_report
from bench.scales import SCALES


def test_small_benchmark_measures_everything(tmp_path):
    results = run_benchmark(SCALES["small"], tmp_path / "work", progress=lambda s: None)

    steps = results["steps"]
    assert set(steps) == set(STEP_LABELS)
    for name, step in steps.items():
        assert step["seconds"] > 0 and step["wall"] >= step["seconds"] * 0.5, name
        assert step["maxrss_kb"] > 0, name

    corpus = results["corpus"]
    books = corpus["workbooks"]
    assert books == 4
    # the same files for every reader, read completely
    assert steps["naive"]["files"] == steps["calamine"]["files"] == steps["ingest"]["files"] == books
    assert steps["calamine"]["rows"] == corpus["sheet_rows"] > corpus["data_rows"]
    for run in ("ingest", "ingest_alerts"):
        assert steps[run]["records"] == corpus["clean_rows"]
        assert steps[run]["quarantined"] == corpus["quarantined_rows"]
        assert steps[run]["failed_tests"] == []
    assert steps["largest"]["files"] == 1 and steps["check"]["records"] > 0
    assert steps["check_errors"]["quarantined"] > 0  # the workbook whose row rules go to pandera
    assert steps["incremental"]["statuses"]["unchanged"] == results["incremental_files"]["archived"]
    assert steps["incremental"]["files"] == results["incremental_files"]["archived"] + 1
    assert steps["profile"]["profile"]["phases"]["check (read, locate, parse, validate)"] > 0

    targets = results["targets"]
    assert len(targets) == 6 and all(isinstance(t["pass"], bool) and t["value"] > 0 for t in targets)

    out = tmp_path / "BENCHMARKS.md"
    write_report(results, out)
    text = out.read_text(encoding="utf-8")
    assert text == render_markdown(results)
    for label in STEP_LABELS.values():
        assert label in text
    for t in targets:
        assert t["target"] in text
    assert f"{results['machine']['cores']} cores" in text and results["machine"]["date"] in text
    assert len(summary_lines(results)) == 1 + len(STEP_LABELS) + len(targets)
