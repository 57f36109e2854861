"""One measured step, run in a fresh process: `python -m bench.steps STEP ARGS_JSON`.

Each step imports what it needs first, then times only the work, and prints one JSON object
on its last stdout line: seconds, its own peak RSS and its children's (worker processes).
Imports are outside the timed section for every step alike; the cold `check` measures a
whole process on purpose (run.py times it from outside).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any, Callable

STEPS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def step(fn):
    STEPS[fn.__name__] = fn
    return fn


def _workbooks(args: dict[str, Any]) -> list[Path]:
    return [Path(p) for p in Path(args["list"]).read_text(encoding="utf-8").splitlines() if p]


@step
def ingest(args: dict[str, Any]) -> dict[str, Any]:
    """The product's full run: `run_ingest` on an inbox into a fresh (or existing) warehouse."""
    import cProfile
    import dataclasses
    import io
    import pstats
    from collections import Counter

    # what run_ingest imports lazily: a long-running scheduler has these loaded already
    import pipelines.flow  # noqa: F401
    import schemas.models  # noqa: F401 — pandera, loaded on the first table with a failing row
    import warehouse.db  # noqa: F401
    import warehouse.load  # noqa: F401
    import warehouse.models  # noqa: F401
    from pipelines.config import load_config, with_paths
    from pipelines.ingest import run_ingest
    from pipelines.runtime import own_process

    own_process()  # as `county-returns ingest` sets up its process
    out = Path(args["out"])
    config = with_paths(load_config(), inbox=args["inbox"], warehouse=out / "warehouse.duckdb",
                        archive=out / "archive", outbox=out / "outbox", exports=out / "exports")
    if args.get("workers") is not None:
        config = dataclasses.replace(config, workers=args["workers"])
    stamps: list[tuple[float, str]] = []
    profiler = cProfile.Profile() if args.get("profile") else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    report = run_ingest(config, progress=lambda s: stamps.append((time.perf_counter() - start, s)),
                        alerts=bool(args.get("alerts")))
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    result = {
        "seconds": seconds,
        "files": len(report.files),
        "statuses": dict(Counter(f.status for f in report.files)),
        "records": sum(f.records for f in report.files),
        "quarantined": sum(f.quarantined for f in report.files),
        "failed_tests": report.failed_tests,
        "stamps": stamps,
    }
    if profiler:
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)
        Path(args["profile"]).write_text(text.getvalue(), encoding="utf-8")
        result["profile"] = _top(stats)
    return result


def _top(stats, n: int = 15) -> dict[str, Any]:
    """Top functions as (name, own s, cumulative s, calls) by own and by cumulative time, and
    the cumulative seconds of each ingest stage."""
    rows = []
    for (file, line, name), (_, calls, tottime, cumtime, _) in stats.stats.items():
        short = file.split("/site-packages/")[-1].split("/lib/python3.11/")[-1].replace(str(Path.cwd()) + "/", "")
        rows.append((f"{short}:{line}({name})", tottime, cumtime, calls))
    own = sorted(rows, key=lambda r: -r[1])[:n]
    cumulative = [r for r in sorted(rows, key=lambda r: -r[2]) if "pipelines/" in r[0] or "warehouse/" in r[0]]
    phases: dict[str, float] = {}
    for (file, _, name), (_, _, _, cumtime, _) in stats.stats.items():
        for label, (module, functions) in PHASES.items():
            if name in functions and file.endswith(module):
                phases[label] = phases.get(label, 0.0) + cumtime
    total = max((r[2] for r in rows if r[0].endswith("(run_ingest)")), default=0.0)
    return {"own": own, "cumulative": cumulative[:n], "phases": phases, "total": total}


# the stages of run_ingest, by the function doing each (cumulative time in the profile); a
# stage's function may be private or public as the product evolves
PHASES = {
    "receive (hash the inbox files not seen before)": ("pipelines/ingest.py", {"receive_all"}),
    "check (read, locate, parse, validate)": ("pipelines/ingest.py", {"_check", "check_all"}),
    "archive copy": ("pipelines/ingest.py", {"archive_file"}),
    "load (up to eight files per transaction)": ("warehouse/load.py", {"load_submissions"}),
    "returned explanations (opens each new .xlsx)": ("pipelines/ingest.py",
                                                    {"record_explanations", "_record_explanations"}),
    "models, SQL tests, cross-county warnings": ("pipelines/ingest.py", {"_build_models", "build_models"}),
    "analyst snapshot copy": ("pipelines/ingest.py", {"publish_snapshot", "_publish_snapshot"}),
    "Parquet exports": ("pipelines/ingest.py", {"_export_marts", "export_marts"}),
    "alerts": ("pipelines/alerts/dispatch.py", {"send_alerts"}),
}


@step
def naive(args: dict[str, Any]) -> dict[str, Any]:
    """The read-only baseline: pandas.read_excel(openpyxl) of every sheet, each inserted into
    DuckDB as it comes; no validation."""
    import duckdb
    import openpyxl  # noqa: F401
    import pandas as pd

    paths = _workbooks(args)
    con = duckdb.connect(args["db"])
    rows = 0
    start = time.perf_counter()
    for i, path in enumerate(paths):
        for j, frame in enumerate(pd.read_excel(path, sheet_name=None, engine="openpyxl").values()):
            con.register("sheet_frame", frame)
            con.execute(f"CREATE TABLE raw_{i}_{j} AS SELECT * FROM sheet_frame")
            con.unregister("sheet_frame")
            rows += len(frame)
    con.close()
    return {"seconds": time.perf_counter() - start, "files": len(paths), "rows": rows}


@step
def calamine(args: dict[str, Any]) -> dict[str, Any]:
    """The parse limit: python-calamine reads every sheet to Python lists, nothing else."""
    import python_calamine

    paths = _workbooks(args)
    rows = 0
    start = time.perf_counter()
    for path in paths:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            rows += len(book.get_sheet_by_name(name).to_python())
    return {"seconds": time.perf_counter() - start, "files": len(paths), "rows": rows}


def main(argv: list[str]) -> int:
    name, args = argv[0], json.loads(argv[1])
    result = STEPS[name](args)
    result["maxrss_self_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["maxrss_children_kb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stdout.write("\n" + json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
