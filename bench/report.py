"""Benchmark results → BENCHMARKS.md (and a few lines for the terminal)."""

from __future__ import annotations

from typing import Any

# step key → (what it measures, how many files it read)
STEP_LABELS = {
    "ingest": "Full ingest (`run_ingest`, alerts off)",
    "ingest_alerts": "Full ingest with alerts (feedback workbooks, mail to files)",
    "naive": "Naive baseline: `pandas.read_excel(openpyxl)` every sheet + DuckDB insert",
    "calamine": "Raw calamine read of every sheet to Python lists",
    "largest": "Full ingest of the largest workbook alone",
    "profile": "Single-process ingest under cProfile (profile subset)",
    "archive_full": "Cold full run over the archive of small files",
    "incremental": "Nightly run: 1 new file, the rest already archived",
    "check": "Cold `county-returns check FILE --json` (new process, best run)",
    "check_errors": "… the same for a workbook with rows to quarantine (pandera loads)",
}


def _mb(kb: int) -> str:
    return f"{kb / 1024:,.0f} MB"


def _value(t: dict[str, Any]) -> str:
    v = t["value"]
    return {"×": f"{v:.2f}×", "%": f"{v:.2f} %", "s": f"{v:.2f} s"}[t["unit"]]


def _limit(t: dict[str, Any]) -> str:
    return {"×": f"≤ {t['limit']:g}×", "%": f"≤ {t['limit']:g} %", "s": f"< {t['limit']:g} s"}[t["unit"]]


def ingest_phases(step: dict[str, Any]) -> list[tuple[str, float]]:
    """Phases of a full run, from its progress messages: hashing ends at '新文件', checking and
    loading overlap (the serial loader takes each result as the pool yields it) until '入库完成'."""
    stamps = step.get("stamps") or []
    total = step["seconds"]
    received = next((t for t, s in stamps if s.startswith("新文件")), None)
    loaded = next((t for t, s in stamps if s.startswith("入库完成")), None)
    if received is None or loaded is None:
        return []
    return [("discover + hash", received), ("check (parallel) overlapped with load (serial)", loaded - received),
            ("models + SQL tests + snapshot + exports", total - loaded)]


def render_markdown(results: dict[str, Any]) -> str:
    m, c, s = results["machine"], results["corpus"], results["steps"]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench.run --scale province`); the CI runs `--scale small` in",
        "`tests/test_bench_small.py` so the benchmark cannot rot. Rerun to refresh; do not edit by hand.",
        "",
        f"## {results['scale'].capitalize()} scale — {m['date']}",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, Python {m['python']}, {m['os']}.  ",
        "Libraries: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ".  ",
        f"Load average (1 min) when the run started / ended: {m.get('load_before', 0):.2f} / "
        f"{m.get('load_after', 0):.2f} (other work on the machine would inflate every timing).",
        "",
        f"Corpus: {c['workbooks']:,} generated county workbooks (`pipelines.demo.synthesize`, seed 7, six forms "
        f"each), {c['sheet_rows']:,} sheet rows ({c['sheet_rows'] / max(c['workbooks'], 1):,.0f} per workbook), "
        f"{c['data_rows']:,} data rows + {c['total_rows']:,} 合计 rows, {c['bytes'] / 1e6:,.1f} MB; largest "
        f"workbook {c['largest_bytes'] / 1e3:,.0f} kB. Generated in {c['generate_seconds']:,.1f} s.",
        "",
        "### Targets (issue 9)",
        "",
        "| target | measured | limit | result |",
        "|---|---:|---:|---|",
    ]
    for t in results["targets"]:
        lines.append(f"| {t['target']} | {_value(t)} | {_limit(t)} | {'pass' if t['pass'] else '**MISSED**'} |")
    lines += [
        "",
        "### Measurements",
        "",
        "Seconds are the work inside the process after its imports (the same for every step); *process* is",
        "the whole process from start to exit. Peak RSS: the step's main process and its largest worker.",
        "",
        "| step | files | seconds | process | peak RSS main | peak RSS worker |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, label in STEP_LABELS.items():
        if key not in s:
            continue
        step = s[key]
        files = step.get("files", 1)
        main = step.get("maxrss_self_kb", step["maxrss_kb"])
        worker = step.get("maxrss_children_kb", 0)
        lines.append(f"| {label} | {files:,} | {step['seconds']:,.2f} | {step['wall']:,.2f} | {_mb(main)} | "
                     f"{_mb(worker) if worker else '-'} |")
    inc = results["incremental_files"]
    ingest = s["ingest"]
    lines += [
        "",
        f"Rows read by the full ingest: {ingest['records']:,} clean + {ingest['quarantined']:,} quarantined "
        f"(generator manifest: {c['clean_rows']:,} + {c['quarantined_rows']:,}"
        + ("" if (ingest["records"], ingest["quarantined"]) == (c["clean_rows"], c["quarantined_rows"])
           else " — **the product disagrees with the generator: a correctness bug to find**")
        + "); statuses "
        + ", ".join(f"{k} {v}" for k, v in sorted(ingest["statuses"].items()))
        + f"; failed SQL tests: {', '.join(ingest['failed_tests']) or 'none'}.  ",
        f"Incremental: {inc['archived']:,} small files archived by the cold run, then {inc['new']} new; "
        "the second run reported " + ", ".join(f"{k} {v}" for k, v in sorted(s['incremental']['statuses'].items()))
        + ".  ",
        f"The nightly run took {100 * s['incremental']['seconds'] / ingest['seconds']:.1f} % of the "
        f"{results['scale']} full ingest above.  ",
        "Cold check runs: " + ", ".join(f"{r:.2f} s" for r in s["check"]["runs"])
        + (f"; of `{c['check_errors_file']}` ({s['check_errors']['quarantined']} rows to quarantine): "
           + ", ".join(f"{r:.2f} s" for r in s["check_errors"]["runs"]) if "check_errors" in s else "")
        + ".  ",
        f"Throughput of the full ingest: {c['sheet_rows'] / ingest['seconds']:,.0f} sheet rows/s "
        f"(naive {c['sheet_rows'] / s['naive']['seconds']:,.0f}, raw calamine "
        f"{c['sheet_rows'] / s['calamine']['seconds']:,.0f}).",
        "",
        "### Where the time goes",
        "",
        "Full ingest, from its progress stamps:",
        "",
        "| phase | seconds | share |",
        "|---|---:|---:|",
    ]
    for phase, seconds in ingest_phases(ingest):
        lines.append(f"| {phase} | {seconds:,.2f} | {100 * seconds / ingest['seconds']:.0f} % |")
    profile = s["profile"].get("profile", {})
    if profile:
        total = profile.get("total") or s["profile"]["seconds"]
        lines += [
            "",
            f"Single-process profile of {s['profile']['files']} workbooks ({total:,.1f} s under cProfile, which "
            "inflates Python-heavy code), by stage:",
            "",
            "| stage | seconds | share |",
            "|---|---:|---:|",
        ]
        for phase, seconds in sorted(profile["phases"].items(), key=lambda kv: -kv[1]):
            lines.append(f"| {phase} | {seconds:,.2f} | {100 * seconds / total:.0f} % |")
        lines += ["", "Top product functions by cumulative time:", "", "| function | calls | cumulative s | own s |",
                  "|---|---:|---:|---:|"]
        for name, own, cumulative, calls in profile["cumulative"]:
            lines.append(f"| `{name}` | {calls:,} | {cumulative:,.2f} | {own:,.2f} |")
        lines += ["", "Top functions by own time:", "", "| function | calls | own s | cumulative s |",
                  "|---|---:|---:|---:|"]
        for name, own, cumulative, calls in profile["own"]:
            lines.append(f"| `{name}` | {calls:,} | {own:,.2f} | {cumulative:,.2f} |")
    lines += ["", "### Observations", ""] + [f"- {o}" for o in observations(results)]
    lines += [
        "",
        "### Method",
        "",
        "- One `python -m bench.run` generates the files once and runs every step on them, each step in a fresh",
        "  process (`python -m bench.steps STEP`), so no step inherits another's warm imports or caches. All",
        "  files are freshly written, hence in the page cache for every step alike.",
        "- Ingest: `run_ingest(with_paths(load_config(), inbox=…, warehouse=…, archive=…, outbox=…, exports=…),"
        " alerts=False)`",
        "  into an empty warehouse, with the configured worker count (`workers = 0`: one per core); the alerts",
        "  run is a second, separate cold run with `alerts=True` (SMTP in dry-run mode: .eml files).",
        "- Naive baseline: `pandas.read_excel(path, sheet_name=None, engine=\"openpyxl\")` per workbook and",
        "  `CREATE TABLE … AS SELECT * FROM frame` per sheet into a DuckDB file; single process, no validation.",
        "- Raw calamine: `CalamineWorkbook.from_path(p).get_sheet_by_name(n).to_python()` for every sheet;",
        "  single process.",
        "- Incremental: the archive is small files (a few rows per form) for many county × month pairs, ingested",
        "  cold (the *full run* the 5 % target compares with); then one new file for a new month is added and",
        "  the same inbox is ingested again into the same warehouse.",
        "- Cold check: `county-returns check <largest workbook> --json` as a new process, wall clock, best run;",
        "  and the same for the largest workbook with rows to quarantine. A table whose rows all pass every row",
        "  rule is settled by one fused polars expression (`schemas/row_rules.py`); only a table with a failure",
        "  asks pandera for its failure cases, which imports pandera (about 0.15 s; without pandas, which the",
        "  checking processes keep out: `pipelines/runtime.py`) into the process.",
        "- Peak memory: `ru_maxrss` of each step's main process (RUSAGE_SELF) and of its largest worker",
        "  (RUSAGE_CHILDREN). \"Bounded by the largest file\" is read as: the peak of any single process of the",
        "  full run is at most 1.5× the peak of the same run on the largest workbook alone.",
        "",
    ]
    return "\n".join(lines)


def summary_lines(results: dict[str, Any]) -> list[str]:
    s = results["steps"]
    out = [f"{results['scale']} scale, {results['machine']['date']}, {results['machine']['cores']} cores"]
    for key, label in STEP_LABELS.items():
        if key not in s:
            continue
        out.append(f"  {s[key]['seconds']:9.2f} s  {label}")
    for t in results["targets"]:
        out.append(f"  {'pass  ' if t['pass'] else 'MISSED'} {_value(t):>9} ({_limit(t)})  {t['target']}")
    return out


def observations(results: dict[str, Any]) -> list[str]:
    """Facts read off the numbers above (no judgement beyond arithmetic)."""
    s, c = results["steps"], results["corpus"]
    full, largest = s["ingest"], s["largest"]
    grown = (full["maxrss_self_kb"] - largest["maxrss_self_kb"]) / 1024
    out = [
        f"The full run's main process peaked at {_mb(full['maxrss_self_kb'])} for {full['files']:,} workbooks "
        f"against {_mb(largest['maxrss_self_kb'])} for the largest workbook alone (which it checks itself); "
        f"that is {grown / max(full['files'] - 1, 1):,.1f} MB more per additional workbook.",
    ]
    phases = dict(ingest_phases(full))
    check = phases.get("check (parallel workers)")
    if check:
        cores = results["machine"]["cores"] or 1
        out.append(f"Checking took {check:,.1f} s on {cores} workers: about "
                   f"{1000 * check * cores / c['workbooks']:,.0f} ms of worker time per workbook of "
                   f"{c['sheet_rows'] / c['workbooks']:,.0f} rows, against "
                   f"{1000 * s['calamine']['seconds'] / c['workbooks']:,.0f} ms for calamine to read one.")
    profile = s["profile"].get("profile", {})
    phases_p = profile.get("phases", {})
    total = profile.get("total") or 0
    if total and phases_p:
        top = max(phases_p.items(), key=lambda kv: kv[1])
        out.append(f"Under the profiler the largest stage is {top[0]} ({100 * top[1] / total:.0f} % of the run).")
    return out
