"""What a form is, as data: its canonical fields, their kinds, and how counties label them.

A seventh form is a new `schemas/<form>.py` (fields + pandera model) and `schemas/<form>.toml`
(header synonyms, sheet titles); nothing else changes.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

# How a cell is parsed (pipelines/parsing/values.py) and typed in the warehouse.
Kind = Literal[
    "text",  # free text: names, townships, channels
    "count",  # non-negative integer with measure words (322人, 1,104户, 三百二十二)
    "money",  # yuan, 2 decimals; 万/亿 from cell, header or 单位 line
    "number",  # plain decimal
    "area_mu",  # 亩 (公顷 × 15)
    "percent",  # 0–100
    "bool",  # 是/否/√/×
    "year",  # 2018, 2018年
    "quantity",  # number + measure unit (10万斤), kg derived for weights
    "unit",  # measure unit written in its own column (斤, 瓶)
]

SCHEMA_DIR = Path(__file__).parent


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Kind
    required: bool = False
    min_value: float | None = None  # out_of_range below
    max_value: float | None = None  # out_of_range above
    # Canonical fields this column fills besides `name` (e.g. a money band fills min and max).
    derived: tuple[str, ...] = ()
    additive: bool = False  # summed by 合计 rows (sum_mismatch compares it)


@dataclass(frozen=True)
class FormSpec:
    name: str  # team, fund, ...
    title: str  # Chinese form title, e.g. 资金投入
    table: str  # core.<table>
    fields: tuple[FieldSpec, ...]
    key: tuple[str, ...]  # duplicate_key: a later row with the same key is quarantined
    # (subset, total): subset_exceeds_total when subset > total
    subsets: tuple[tuple[str, str], ...] = ()
    # (min, max): inconsistent_band when min > max
    bands: tuple[tuple[str, str], ...] = ()
    # (total, parts): total_mismatch when total != sum(parts)
    part_sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # (numerator, denominator, fallback parts of the denominator, limit): ratio_over_limit above
    ratio_limits: tuple[tuple[str, str, tuple[str, ...], float], ...] = ()
    # (rate in %, numerator, denominator, tolerance): incidence_mismatch when off by more
    rates: tuple[tuple[str, str, str, float], ...] = ()
    sheet_titles: tuple[str, ...] = ()
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        """Every canonical output column, in order (a field then what it derives)."""
        out: list[str] = []
        for f in self.fields:
            for name in (f.name, *f.derived):
                if name not in out:
                    out.append(name)
        return out

    @cached_property
    def _by_name(self) -> dict[str, FieldSpec]:
        return {f.name: f for f in self.fields}

    def field(self, name: str) -> FieldSpec:
        return self._by_name[name]

    @property
    def required(self) -> list[FieldSpec]:
        return [f for f in self.fields if f.required]

    def uncovered_required(self, mapped: set[str]) -> list[str]:
        """Required fields with no column, neither their own nor one that derives them."""
        filled = set(mapped) | {d for f in self.fields if f.name in mapped for d in f.derived}
        return [f.name for f in self.required if f.name not in filled]

    def covers_required(self, mapped: set[str]) -> bool:
        return not self.uncovered_required(mapped)


def load_synonyms(form: str) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """Sheet titles and header spellings per field, from schemas/<form>.toml."""
    data = tomllib.loads((SCHEMA_DIR / f"{form}.toml").read_text(encoding="utf-8"))
    unknown = set(data) - {"sheet_titles", "headers"}
    if unknown:
        raise ValueError(f"schemas/{form}.toml: unknown keys {sorted(unknown)}")
    titles = tuple(data.get("sheet_titles", ()))
    headers = {k: tuple(v) for k, v in data.get("headers", {}).items()}
    return titles, headers


def make_form(name: str, title: str, table: str, fields: list[FieldSpec], key: tuple[str, ...],
              subsets=(), bands=(), part_sums=(), ratio_limits=(), rates=()) -> FormSpec:
    titles, headers = load_synonyms(name)
    field_names = {f.name for f in fields} | {d for f in fields for d in f.derived}
    stray = set(headers) - field_names
    if stray:
        raise ValueError(f"schemas/{name}.toml: synonyms for unknown fields {sorted(stray)}")
    return FormSpec(name, title, table, tuple(fields), key, tuple(subsets), tuple(bands),
                    tuple(part_sums), tuple(ratio_limits), tuple(rates), titles, headers)


@cache
def all_forms() -> dict[str, FormSpec]:
    """The registry: every schemas/<form>.py that defines FORM."""
    import importlib

    forms: dict[str, FormSpec] = {}
    for toml in sorted(SCHEMA_DIR.glob("*.toml")):
        module = importlib.import_module(f"schemas.{toml.stem}")
        forms[toml.stem] = module.FORM
    return forms
