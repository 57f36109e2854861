from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# The acceptance corpus lives beside the repo (../shared/corpus); CI lays it there too.
CORPUS = Path(__import__("os").environ.get("COUNTY_RETURNS_CORPUS", REPO.parent / "shared" / "corpus"))


def corpus_cases() -> list[tuple[Path, Path, dict]]:
    if not (CORPUS / "expected").is_dir():
        return []
    cases = []
    for exp in sorted((CORPUS / "expected").rglob("*.json")):
        rel = exp.relative_to(CORPUS / "expected")
        src = CORPUS / "inbox" / str(rel)[: -len(".json")]
        cases.append((src, exp, json.loads(exp.read_text(encoding="utf-8"))))
    return cases


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "inbox").is_dir():
        pytest.fail(f"acceptance corpus not found at {CORPUS}")
    return CORPUS


@contextlib.contextmanager
def fast_path(on: bool):
    """The value parser's fast paths on or off (off: the full grammar alone, to compare with)."""
    from pipelines.parsing import values as V

    saved = V._FAST_PATH
    V._FAST_PATH = on
    try:
        yield
    finally:
        V._FAST_PATH = saved
