"""The row rules of each form, declared once: what `schemas.models` turns into a pandera schema,
and what `passes_all` evaluates as one fused polars expression.

Most county tables break no row rule at all. `passes_all` answers "would pandera report any
failure case on this frame?" in one pass, with exactly the expressions pandera runs (its
built-in ge/le/isin and nullable checks, and our pair checks), so the rule path calls pandera
only for a frame that has something to report, and a clerk's `check` of a clean file does
not pay for importing pandera (and pandas) at all. `tests/test_row_rules_gate.py` holds the
gate to pandera's verdict on generated frames.

This module must not import pandera.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import polars as pl

from schemas.spec import FormSpec, all_forms

DTYPES = {
    "text": pl.Utf8, "unit": pl.Utf8, "count": pl.Int64, "money": pl.Float64,
    "number": pl.Float64, "area_mu": pl.Float64, "percent": pl.Float64,
    "bool": pl.Boolean, "year": pl.Int64, "quantity": pl.Float64,
}
QUALIFIERS = ("approx", "at_least", "at_most", "range")


@dataclass(frozen=True)
class ColumnRules:
    """One canonical column: its dtype, whether it may be empty, its range or allowed values."""

    name: str
    dtype: Any  # a polars dtype
    nullable: bool
    min_value: float | None = None
    max_value: float | None = None
    allowed: tuple[str, ...] | None = None


@dataclass(frozen=True)
class PairRule:
    """A rule over two fields of one row, named by its CONTRACT code.

    not_greater: a <= b where both are filled (subset_exceeds_total, inconsistent_band);
    one_of: a or b is filled (a band required as a whole, open at either end)."""

    code: str
    kind: str  # "not_greater" | "one_of"
    a: str
    b: str

    @property
    def name(self) -> str:
        """The pandera check name; `pipelines.validate.rules` reads the code and fields back."""
        return f"{self.code}:{self.a}:{self.b}"

    def expr(self) -> pl.Expr:
        a, b = pl.col(self.a), pl.col(self.b)
        if self.kind == "not_greater":
            return (a.is_null() | b.is_null() | (a <= b)).alias(self.code)
        if self.kind == "one_of":
            return (a.is_not_null() | b.is_not_null()).alias(self.code)
        raise ValueError(f"unknown pair rule kind {self.kind!r}")


@dataclass(frozen=True)
class FormRules:
    columns: tuple[ColumnRules, ...]
    pairs: tuple[PairRule, ...]


@cache
def form_rules(form: str) -> FormRules:
    spec: FormSpec = all_forms()[form]
    # a band may be open at one end (5万元以上): it is required as a whole, not per end
    band_ends = {end for band in spec.bands for end in band}
    columns = [ColumnRules(f.name, DTYPES[f.kind], not f.required or f.name in band_ends,
                           f.min_value, f.max_value) for f in spec.fields]
    if "amount_qualifier" in spec.columns:
        columns.append(ColumnRules("amount_qualifier", pl.Utf8, True, allowed=QUALIFIERS))
    pairs = [PairRule("subset_exceeds_total", "not_greater", s, t) for s, t in spec.subsets]
    pairs += [PairRule("inconsistent_band", "not_greater", lo, hi) for lo, hi in spec.bands]
    pairs += [PairRule("required_missing", "one_of", lo, hi) for lo, hi in spec.bands
              if spec.field(lo).required or spec.field(hi).required]
    return FormRules(tuple(columns), tuple(pairs))


def _passing(expr: pl.Expr) -> pl.Expr:
    # pandera's checks ignore a null outcome (ignore_na): a null cell passes a range check
    return (expr | expr.is_null()).all()


@cache
def _gate(form: str) -> tuple[dict[str, Any], tuple[pl.Expr, ...]]:
    rules = form_rules(form)
    exprs = []
    for c in rules.columns:
        col = pl.col(c.name)
        if not c.nullable:  # pandera: a float NaN counts as null
            exprs.append((col.is_not_null() & col.is_not_nan()) if c.dtype == pl.Float64
                         else col.is_not_null())
        if c.min_value is not None:
            exprs.append(col.ge(c.min_value))
        if c.max_value is not None:
            exprs.append(col.le(c.max_value))
        if c.allowed is not None:
            exprs.append(col.is_in(list(c.allowed)))
    exprs += [p.expr() for p in rules.pairs]
    return {c.name: c.dtype for c in rules.columns}, tuple(_passing(e) for e in exprs)


def passes_all(form: str, frame: pl.DataFrame) -> bool:
    """True when every row of `frame` passes every row rule of `form`, i.e. validating it with
    `schemas.models.schema_for(form)` would report no failure case. False means: ask pandera."""
    dtypes, exprs = _gate(form)
    if any(dtypes.get(name) != dtype for name, dtype in frame.schema.items()):
        return False  # a stray column (strict schema) or another dtype (pandera coerces): ask it
    if frame.height == 0 or not exprs:
        return True
    return bool(frame.select(pl.all_horizontal(exprs)).item())
