"""Process settings for a run of many files.

Reading a workbook allocates hundreds of thousands of small objects (cells, parsed values,
row dicts) that all live until the file is done. CPython's default collector threshold (700
allocations) rescans them thousands of times per file for cycles that are not there; on a
province run that was a fifth of the check time. A run raises the threshold and freezes what
the imports created, so the collector still runs, only less often over objects that live.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

_TUNED = False


def tune_gc() -> None:
    """For a process of our own (`county-returns check`, an ingest worker); idempotent."""
    global _TUNED
    if _TUNED:
        return
    gc.freeze()  # modules, schemas, compiled patterns: never garbage
    gc.set_threshold(100_000, 50, 100)
    _TUNED = True


@contextmanager
def relaxed_gc():
    """The same threshold for the span of a run inside a process we do not own (a Dagster
    run, a test); restored afterwards, and nothing frozen."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)
