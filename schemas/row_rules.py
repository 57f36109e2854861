"""The row rules of each form, declared once: what `schemas.models` turns into a pandera schema,
and what `failing_checks` evaluates in one polars pass.

Most county tables break no row rule at all. `failing_checks` answers "which checks would
pandera report failure cases for on this frame?" in one pass, with exactly the expressions
pandera runs (its built-in ge/le/isin and nullable checks, and our pair checks). So the rule
path calls pandera only for a frame that has something to report, and then with a schema of
only the failing checks (a whole form schema costs several times more to run); a clerk's
`check` of a clean file does not pay for importing pandera at all.
`tests/test_row_rules_gate.py` holds the gate to pandera's verdict and failure cases on
generated frames.

This module must not import pandera.
"""

from __future__ import annotations

import math
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


# A check, as pandera names its place: ("column", field, "nullable" | "ge" | "le" | "isin") or
# ("frame", pair rule name). `schemas.models.schema_for(form, only=...)` builds a schema of
# just the checks named, in the full schema's order.
Check = tuple[str, str, str] | tuple[str, str]


@cache
def _gate(form: str) -> tuple[dict[str, Any], tuple[Check, ...], tuple[pl.Expr, ...]]:
    rules = form_rules(form)
    checks: list[Check] = []
    exprs = []
    for c in rules.columns:
        col = pl.col(c.name)
        if not c.nullable:  # pandera: a float NaN counts as null
            checks.append(("column", c.name, "nullable"))
            exprs.append((col.is_not_null() & col.is_not_nan()) if c.dtype == pl.Float64
                         else col.is_not_null())
        if c.min_value is not None:
            checks.append(("column", c.name, "ge"))
            exprs.append(col.ge(c.min_value))
        if c.max_value is not None:
            checks.append(("column", c.name, "le"))
            exprs.append(col.le(c.max_value))
        if c.allowed is not None:
            checks.append(("column", c.name, "isin"))
            exprs.append(col.is_in(list(c.allowed)))
    for p in rules.pairs:
        checks.append(("frame", p.name))
        exprs.append(p.expr())
    return ({c.name: c.dtype for c in rules.columns}, tuple(checks),
            tuple(_passing(e).alias(str(i)) for i, e in enumerate(exprs)))


ALL = None  # failing_checks: pandera must run the whole schema


def failing_checks(form: str, frame: pl.DataFrame) -> frozenset[Check] | None:
    """The checks of `form` some row of `frame` fails, i.e. the checks for which validating it
    with `schemas.models.schema_for(form)` reports failure cases: empty when it would report
    none; ALL (None) when the frame itself does not fit the schema (a stray column, another
    dtype), which only pandera's whole schema reports."""
    dtypes, checks, exprs = _gate(form)
    if any(dtypes.get(name) != dtype for name, dtype in frame.schema.items()):
        return ALL  # a stray column (strict schema) or another dtype (pandera coerces): ask it
    if frame.height == 0 or not exprs:
        return frozenset()
    # a NaN makes a float column's sum NaN (so may ±inf together: those frames go the long
    # way too); the sum costs ~1/80 of an is_nan() pass
    if not any(dtype == pl.Float64 and math.isnan(frame.get_column(name).sum())
               for name, dtype in frame.schema.items()):
        return _failing_by_aggregates(form, frame)
    passed = frame.select(exprs).row(0)
    return frozenset(check for check, ok in zip(checks, passed) if not ok)


def _failing_by_aggregates(form: str, frame: pl.DataFrame) -> frozenset[Check]:
    """What the gate's expressions decide, from one aggregate per check on the frame's series
    (a lazy select costs ~6× as much for a table of a few hundred rows). Without NaNs only:
    every value then orders with the limits and the other values as the expressions compare
    them, and min/max/`>` skip empty cells as the expressions let them pass."""
    rules = form_rules(form)
    failing: list[Check] = []
    for c in rules.columns:
        s = frame.get_column(c.name)
        if not c.nullable and s.null_count():
            failing.append(("column", c.name, "nullable"))
        if c.min_value is not None and (low := s.min()) is not None and not low >= c.min_value:
            failing.append(("column", c.name, "ge"))
        if c.max_value is not None and (high := s.max()) is not None and not high <= c.max_value:
            failing.append(("column", c.name, "le"))
        if c.allowed is not None and not set(s.drop_nulls().unique().to_list()) <= set(c.allowed):
            failing.append(("column", c.name, "isin"))
    for p in rules.pairs:
        a, b = frame.get_column(p.a), frame.get_column(p.b)
        if p.kind == "not_greater":
            broken = (a > b).any()
        else:  # one_of
            broken = (a.is_null() & b.is_null()).any()
        if broken:
            failing.append(("frame", p.name))
    return frozenset(failing)
