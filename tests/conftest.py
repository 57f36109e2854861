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


def write_fund_sheet(ws, amounts) -> None:
    """A 资金投入 sheet of 融安县 (450224) for 2018年8月: title, 填报单位/报告期 line, header, and
    one project per amount (万元), as a county writes it."""
    ws.title = "资金投入"
    ws.append(["融安县扶贫资金投入情况表"])
    ws.append(["填报单位：融安县扶贫办", None, "报告期：2018年8月"])
    ws.append(["项目名称", "实施村", "资金来源", "投入资金（万元）"])
    for i, amount in enumerate(amounts):
        ws.append([f"项目{i}", f"村{i}", "县级财政资金", amount])
