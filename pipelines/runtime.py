"""Process settings for a run of many files.

Reading a workbook allocates hundreds of thousands of small objects (cells, parsed values,
row dicts) that all live until the file is done. CPython's default collector threshold (700
allocations) rescans them thousands of times per file for cycles that are not there; on a
province run that was a fifth of the check time. A run raises the threshold and freezes what
the imports created, so the collector still runs, only less often over objects that live.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

_TUNED = False
_THRESHOLD = (100_000, 50, 100)


def own_process() -> None:
    """Settings for a process of our own: the `county-returns` commands and the pool's workers
    (not a Dagster run or a test, which share their process with others). Idempotent.

    - the relaxed collector threshold, with what the imports made frozen (modules, schemas,
      compiled patterns: never garbage);
    - hypothesis kept out. It is a test tool (the dev dependency group). When it is installed,
      pandera imports it on its first validation, only to offer data synthesis, which the product
      never does; that import is ~0.1 s in every process that reports a failing row (a clerk's
      `check`, each ingest worker, a nightly run). An install without the dev group never has it,
      and our own processes now behave the same. A process that has imported it already (a test
      run) keeps it;
    - one OpenBLAS thread. numpy (which pandera and pandas import) starts OpenBLAS with a thread
      per core, and those threads spin: the import costs twice the CPU it needs (~0.1 s more in
      every process that reports a failing row). Nothing here does linear algebra. Only a
      process that has not imported numpy yet is affected, and an operator's setting wins."""
    global _TUNED
    if not _TUNED:
        gc.freeze()
        gc.set_threshold(*_THRESHOLD)
        _TUNED = True
    if "hypothesis" not in sys.modules:
        sys.modules["hypothesis"] = None  # `import hypothesis` raises ImportError, which pandera expects
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # (read once, when numpy loads OpenBLAS)


def without_pandas() -> None:
    """Keep pandas out of a process that only checks files: the ingest pool's workers and a
    clerk's `check`. Nothing there uses pandas, yet pandera's top-level package imports it (for
    its pandas API; our schemas use its polars API): ~0.3 s in every process that reports a
    failing row. pandera supports an install without pandas and takes that path then.

    Not for a process that runs DuckDB queries: DuckDB looks for pandas on every parameter it
    binds, and where pandas is missing that is two failed imports per parameter, every time
    (there, pandas loads once, on the first query with parameters). Idempotent; `allow_pandas`
    undoes it."""
    if "pandas" not in sys.modules and not any(isinstance(f, _PandasAbsent) for f in sys.meta_path):
        sys.meta_path.insert(0, _PandasAbsent())


def _check_worker() -> None:
    own_process()
    without_pandas()


class _PandasAbsent:
    """`import pandas` fails as it does where pandas is not installed (see `without_pandas`). A
    meta path finder needs only `find_spec` (importlib.abc costs 20 ms to import)."""

    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            # the message pandera looks for to tell 'not installed' from a broken install
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        return None


def allow_pandas() -> None:
    """Undo `without_pandas`: the next `import pandas` loads it (Great Expectations, which works
    on pandas frames, calls this first). Idempotent."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _PandasAbsent)]


@contextmanager
def relaxed_gc():
    """The same threshold for the span of a run inside a process we do not own (a Dagster
    run, a test); restored afterwards, and nothing frozen."""
    before = gc.get_threshold()
    gc.set_threshold(*_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def process_map(fn: Callable[[Any], T], items: Iterable[Any], workers: int = 0) -> Iterator[T]:
    """fn over items, results in order as they come: in this process for fewer than 4 items or
    one worker, otherwise on a pool of `workers` processes (0: one per core), each set up by
    `own_process` and `without_pandas` (a worker checks files or writes workbooks, never queries)."""
    items = list(items)
    workers = min(workers or os.cpu_count() or 1, len(items))
    if workers <= 1 or len(items) < 4:
        yield from map(fn, items)
        return
    import multiprocessing  # (here: a `check` has no pool and need not import it)
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: polars and DuckDB hold threads that a forked child would inherit locked
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_check_worker) as pool:
        yield from pool.map(fn, items, chunksize=1)
