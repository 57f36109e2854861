"""Guangxi county codes and names, current and historical, from the repo's reference CSVs."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REF_DIR = Path(__file__).resolve().parents[2] / "warehouse" / "ref"

# 三江侗族自治县 → 三江, 隆林各族自治县 → 隆林, 罗城仫佬族自治县 → 罗城, 西乡塘区 → 西乡塘
_AUTONOMOUS = re.compile(r"^(.{2,}?)(?:(?:各|[\u4e00-\u9fff]{1,2})族)+自治县$")
_SUFFIX = re.compile(r"[县区市]$")


@dataclass(frozen=True)
class County:
    code: str  # current code
    name: str  # current name


@dataclass(frozen=True)
class CountyIndex:
    current: dict[str, County]  # code → county (current codes)
    by_code: dict[str, County]  # any code, historical included → current county
    names: list[tuple[str, County, bool]]  # (name or short name, county, is_short), longest first
    prefectures: list[str]  # prefecture names, full and short (百色市, 百色), longest first

    def resolve(self, code: str) -> County | None:
        return self.by_code.get(code)

    def named_in(self, text: str) -> set[str]:
        """Current codes of every county whose name (full or short) appears in text. A prefecture
        (百色市, 防城港) names no county, even where an old county carried the same name."""
        found: set[str] = set()
        remaining = text
        for prefecture in self.prefectures:
            remaining = remaining.replace(prefecture, "|")
        for name, county, is_short in self.names:
            # a short name (三江) counts only as 三江县/三江区/… or at the very start
            hit = (remaining.startswith(name) or any(name + s in remaining for s in "县区市")
                   if is_short else name in remaining)
            if hit:
                found.add(county.code)
                remaining = remaining.replace(name, "|")
        return found


def short_name(name: str) -> str:
    short = _SUFFIX.sub("", _AUTONOMOUS.sub(r"\1", name))
    return short if len(short) >= 2 else name


@cache
def county_index() -> CountyIndex:
    current: dict[str, County] = {}
    prefectures: set[str] = set()
    with (REF_DIR / "guangxi_county_divisions_2023.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            current[row["code"]] = County(row["code"], row["name"])
            prefectures.update({row["prefecture_name"], _SUFFIX.sub("", row["prefecture_name"])})
    by_code = dict(current)
    names: dict[str, set[str]] = {}
    for c in current.values():
        names.setdefault(c.name, set()).add(c.code)
    with (REF_DIR / "guangxi_county_code_history.csv").open(encoding="utf-8") as fh:
        history = list(csv.DictReader(fh))
    # a code may have several rows (retired, then redefined as itself): keep real successors
    successors: dict[str, str] = {}
    for r in history:
        if r["successor_codes"] and r["successor_codes"] != r["code"]:
            successors.setdefault(r["code"], r["successor_codes"])
    for row in history:
        target = _current_successor(row["code"], successors, current)
        if target and row["name"] not in prefectures:
            by_code.setdefault(row["code"], current[target])
            names.setdefault(row["name"], set()).add(target)
    pairs: list[tuple[str, County, bool]] = []
    for name, codes in names.items():
        if len(codes) != 1:
            continue  # a name used by two current counties says nothing
        county = current[next(iter(codes))]
        pairs.append((name, county, False))
        if short_name(name) != name:
            pairs.append((short_name(name), county, True))
    pairs.sort(key=lambda p: -len(p[0]))
    return CountyIndex(current, by_code, pairs, sorted((p for p in prefectures if len(p) >= 2), key=len, reverse=True))


def _current_successor(code: str, successors: dict[str, str], current: dict[str, County]) -> str | None:
    seen = set()
    while code not in current and code not in seen:
        seen.add(code)
        nxt = successors.get(code, "")
        # 'CODE' or 'CODE[YEAR];…' — only a single whole successor is an identity
        parts = [p for p in nxt.split(";") if p and "[" not in p]
        if len(parts) != 1:
            return None
        code = parts[0]
    return code if code in current else None
