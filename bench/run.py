"""The benchmark: one run, the same generated files, every measurement of issue 9.

    python -m bench.run [--scale province|small|national] [--out BENCHMARKS.md] [--workdir DIR]

Measured, each in its own process:
  ingest      our full run (`run_ingest`, alerts off), and once more with alerts on
  naive       pandas.read_excel(engine="openpyxl") of every sheet + DuckDB insert, no validation
  calamine    python-calamine reads every sheet to Python lists (the parse limit)
  largest     our full run on the largest workbook alone (peak memory reference)
  archive     a cold full run over ~1,000 small files; then `incremental`: 1 new file added
  check       `county-returns check FILE --json` as a new process, best of N
  profile     cProfile of a single-process run over a few workbooks (where the time goes)
Results (seconds, ratios, pass/fail against the issue's targets, machine, date) go to --out.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.report import render_markdown, summary_lines
from bench.scales import SCALES, Scale

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Measured:
    wall: float  # seconds, process start to exit
    maxrss_kb: int  # the process and its waited-for children (wait4)
    data: dict[str, Any] = field(default_factory=dict)  # what the step printed


class StepFailed(RuntimeError):
    pass


def run_measured(cmd: list[str], cwd: Path = REPO) -> tuple[float, int, int, str, str]:
    """(wall seconds, exit code, peak RSS KB, stdout, stderr) of one process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (wall, proc.returncode, usage.ru_maxrss, out.read().decode("utf-8", "replace"),
                err.read().decode("utf-8", "replace"))


def run_step(name: str, **args: Any) -> Measured:
    wall, code, rss, stdout, stderr = run_measured([sys.executable, "-m", "bench.steps", name,
                                                   json.dumps(args, ensure_ascii=False)])
    lines = stdout.strip().splitlines()
    if code != 0 or not lines:
        raise StepFailed(f"step {name} exited {code} with no result:\n{stderr[-3000:]}")
    return Measured(wall, rss, json.loads(lines[-1]))


def machine() -> dict[str, Any]:
    mem_kb = 0
    cpu = platform.processor() or "unknown"
    try:
        meminfo = Path("/proc/meminfo").read_text()
        mem_kb = int(next(line.split()[1] for line in meminfo.splitlines() if line.startswith("MemTotal")))
        cpuinfo = Path("/proc/cpuinfo").read_text()
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                    if line.startswith("model name")), cpu)
    except (OSError, StopIteration):
        pass
    versions = {}
    for package in ("duckdb", "polars", "pandera", "pandas", "openpyxl", "python-calamine", "xlsxwriter"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "-"
    return {
        "cores": os.cpu_count(), "ram_gib": round(mem_kb / 2**20, 1), "cpu": cpu,
        "python": platform.python_version(), "os": platform.platform(),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "versions": versions,
        # anything else running on the machine inflates the timings: recorded, not hidden
        "load_before": os.getloadavg()[0],
    }


def county_codes(n: int | None) -> list[str]:
    from pipelines.demo import default_counties
    from pipelines.intake.counties import county_index

    return sorted(county_index().current) if n is None else default_counties(n)


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("county-returns")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipelines.cli"]


def _copy_into_inbox(paths: list[Path], inbox: Path) -> None:
    for p in paths:
        target = inbox / p.parent.name / p.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(p, target)


def run_benchmark(scale: Scale, workdir: Path, progress=print) -> dict[str, Any]:
    from pipelines.demo import synthesize

    results: dict[str, Any] = {"scale": scale.name, "machine": machine()}
    codes = county_codes(scale.counties)

    # --- the files -----------------------------------------------------------------------------
    progress(f"[{scale.name}] generating {len(codes)} counties × {len(scale.periods)} periods …")
    inbox = workdir / "inbox"
    start = time.perf_counter()
    manifests = synthesize(inbox, counties=codes, periods=list(scale.periods), rows_per_form=scale.rows_per_form,
                           csv=False, outlier_county=codes[len(codes) // 3])
    books = [m.path for m in manifests]
    sizes = {p: p.stat().st_size for p in books}
    largest = max(books, key=lambda p: (sizes[p], str(p)))
    listing = workdir / "workbooks.txt"
    listing.write_text("\n".join(str(p) for p in books), encoding="utf-8")
    results["corpus"] = {
        "generate_seconds": time.perf_counter() - start, "workbooks": len(books),
        "bytes": sum(sizes.values()), "largest_bytes": sizes[largest], "largest": str(largest.relative_to(inbox)),
        "data_rows": sum(m.data_rows for m in manifests), "total_rows": sum(m.total_rows for m in manifests),
        "clean_rows": sum(f.clean_rows for m in manifests for f in m.forms),
        "quarantined_rows": sum(f.quarantined_rows for m in manifests for f in m.forms),
    }

    # --- the measurements, each in a fresh process ---------------------------------------------
    steps: dict[str, Measured] = {}
    progress("  calamine (raw read) …")
    steps["calamine"] = run_step("calamine", list=str(listing))
    results["corpus"]["sheet_rows"] = steps["calamine"].data["rows"]
    progress("  naive baseline (pandas + openpyxl + DuckDB) …")
    steps["naive"] = run_step("naive", list=str(listing), db=str(workdir / "naive.duckdb"))
    progress("  full ingest …")
    steps["ingest"] = run_step("ingest", inbox=str(inbox), out=str(workdir / "run_ingest"))
    progress("  full ingest with alerts …")
    steps["ingest_alerts"] = run_step("ingest", inbox=str(inbox), out=str(workdir / "run_alerts"), alerts=True)
    progress("  largest workbook alone …")
    _copy_into_inbox([largest], workdir / "largest_inbox")
    steps["largest"] = run_step("ingest", inbox=str(workdir / "largest_inbox"), out=str(workdir / "run_largest"))
    progress("  profile (single process) …")
    _copy_into_inbox(sorted(books)[: scale.profile_files], workdir / "profile_inbox")
    steps["profile"] = run_step("ingest", inbox=str(workdir / "profile_inbox"), out=str(workdir / "run_profile"),
                                workers=1, profile=str(workdir / "profile.txt"))

    progress("  incremental: archive of small files …")
    archive_inbox = workdir / "archive_inbox"
    archived = synthesize(archive_inbox, counties=county_codes(scale.archive_counties),
                          periods=list(scale.archive_periods), rows_per_form=scale.archive_rows, csv=False)
    steps["archive_full"] = run_step("ingest", inbox=str(archive_inbox), out=str(workdir / "run_archive"))
    new_period = _next_month(scale.archive_periods[-1])
    new = synthesize(archive_inbox, counties=[codes[0]], periods=[new_period], rows_per_form=scale.archive_rows,
                     csv=False)
    steps["incremental"] = run_step("ingest", inbox=str(archive_inbox), out=str(workdir / "run_archive"))
    results["incremental_files"] = {"archived": len(archived), "new": len(new)}

    progress("  cold check …")
    steps["check"] = _cold_check(largest, scale.check_repeats)
    # a workbook with rows to quarantine: its row rules report through pandera (pandas loads too)
    with_errors = [m.path for m in manifests if any(f.quarantined_rows for f in m.forms)]
    if with_errors:
        worst = max(with_errors, key=lambda p: (sizes[p], str(p)))
        steps["check_errors"] = _cold_check(worst, scale.check_repeats)
        results["corpus"]["check_errors_file"] = str(worst.relative_to(inbox))

    results["steps"] = {k: {"wall": v.wall, "maxrss_kb": v.maxrss_kb, **v.data} for k, v in steps.items()}
    results["targets"] = targets(results)
    results["machine"]["load_after"] = os.getloadavg()[0]
    return results


def _cold_check(path: Path, repeats: int) -> Measured:
    """`county-returns check FILE --json` as a new process, best of `repeats` runs."""
    checks = []
    for _ in range(repeats):
        wall, code, rss, stdout, stderr = run_measured(_cli() + ["check", str(path), "--json"])
        if code not in (0, 1):
            raise StepFailed(f"check exited {code}: {stderr[-2000:]}")
        result = json.loads(stdout)
        checks.append((wall, rss, len(result["records"]), len(result["quarantined"])))
    best = min(checks)
    return Measured(best[0], best[1], {"seconds": best[0], "runs": [c[0] for c in checks],
                                       "records": best[2], "quarantined": best[3]})


def _next_month(period: str) -> str:
    year, month = int(period[:4]), int(period[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def peak_kb(step: dict[str, Any]) -> int:
    """The largest single process of a step: its main process or one of its workers."""
    return max(step["maxrss_self_kb"], step["maxrss_children_kb"])


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    s = results["steps"]
    name = results["scale"].capitalize()
    ingest = s["ingest"]["seconds"]
    rows = [
        (f"{name} ingest ≤ 1.0× naive read-only baseline", ingest / s["naive"]["seconds"], 1.0, "×"),
        (f"{name} ingest ≤ 3× raw calamine read", ingest / s["calamine"]["seconds"], 3.0, "×"),
        ("Incremental run (1 new file among ~1,000 archived) ≤ 5 % of a full run",
         100 * s["incremental"]["seconds"] / s["archive_full"]["seconds"], 5.0, "%"),
        ("Cold `county-returns check` of a county workbook < 1 s", s["check"]["seconds"], 1.0, "s"),
        *([("… of a workbook with rows to quarantine (pandera reports them) < 1 s",
            s["check_errors"]["seconds"], 1.0, "s")] if "check_errors" in s else []),
        ("Peak memory bounded by the largest file: full-run peak ≤ 1.5× peak of the largest file alone",
         peak_kb(s["ingest"]) / peak_kb(s["largest"]), 1.5, "×"),
    ]
    out = []
    for label, value, limit, unit in rows:
        ok = value < limit if unit == "s" else value <= limit
        out.append({"target": label, "value": value, "limit": limit, "unit": unit, "pass": ok})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="province")
    parser.add_argument("--out", default=str(REPO / "BENCHMARKS.md"), help="Markdown report (default BENCHMARKS.md)")
    parser.add_argument("--json", help="also write the raw results as JSON here")
    parser.add_argument("--workdir", help="keep the generated files and warehouses here (default: a temp dir)")
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix=f"bench-{scale.name}-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        results = run_benchmark(scale, workdir)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    write_report(results, Path(args.out))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    for line in summary_lines(results):
        print(line)
    print(f"written: {args.out}")
    return 0


def write_report(results: dict[str, Any], out: Path) -> None:
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(render_markdown(results), encoding="utf-8")
    os.replace(tmp, out)


if __name__ == "__main__":
    sys.exit(main())
