"""pandera schemas for the canonical tables, built from each form's row rules.

The row rules of the catalogue (`schemas.row_rules`, declared from each form's FieldSpecs) are
pandera checks named by their CONTRACT codes, so a failure case carries the code the county
sees: `required_missing` (nullable=False on a required field), `out_of_range` (min/max),
`subset_exceeds_total` and `inconsistent_band` (frame checks).
"""

from __future__ import annotations

from functools import cache

import pandera.polars as pa
import polars as pl

from schemas.row_rules import Check, PairRule, form_rules


def _column_checks(c, only: frozenset | None) -> list[pa.Check]:
    checks = []
    if c.min_value is not None and _wanted(only, ("column", c.name, "ge")):
        checks.append(pa.Check.ge(c.min_value))
    if c.max_value is not None and _wanted(only, ("column", c.name, "le")):
        checks.append(pa.Check.le(c.max_value))
    if c.allowed is not None and _wanted(only, ("column", c.name, "isin")):
        checks.append(pa.Check.isin(list(c.allowed)))
    return checks


def _wanted(only: frozenset | None, check: Check) -> bool:
    return only is None or check in only


def _pair_check(rule: PairRule) -> pa.Check:
    def check(data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(rule.expr())
    return pa.Check(check, name=rule.name)


@cache
def schema_for(form: str, only: frozenset[Check] | None = None) -> pa.DataFrameSchema:
    """The form's schema; with `only` (what `failing_checks` found), just those checks, in the
    same order. Its failure cases on a frame whose other checks all pass are the full schema's
    (each check reports on its own), at a fraction of the cost."""
    rules = form_rules(form)
    columns = {}
    for c in rules.columns:
        nullable = c.nullable or not _wanted(only, ("column", c.name, "nullable"))
        checks = _column_checks(c, only)
        if only is None or not nullable or checks:
            columns[c.name] = pa.Column(c.dtype, nullable=nullable, required=False, checks=checks)
    return pa.DataFrameSchema(columns, checks=[_pair_check(p) for p in rules.pairs if _wanted(only, ("frame", p.name))],
                              strict=only is None, coerce=True, name=form)
