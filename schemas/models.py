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

from schemas.row_rules import PairRule, form_rules


def _column_checks(c) -> list[pa.Check]:
    checks = []
    if c.min_value is not None:
        checks.append(pa.Check.ge(c.min_value))
    if c.max_value is not None:
        checks.append(pa.Check.le(c.max_value))
    if c.allowed is not None:
        checks.append(pa.Check.isin(list(c.allowed)))
    return checks


def _pair_check(rule: PairRule) -> pa.Check:
    def check(data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(rule.expr())
    return pa.Check(check, name=rule.name)


@cache
def schema_for(form: str) -> pa.DataFrameSchema:
    rules = form_rules(form)
    columns = {c.name: pa.Column(c.dtype, nullable=c.nullable, required=False, checks=_column_checks(c))
               for c in rules.columns}
    return pa.DataFrameSchema(columns, checks=[_pair_check(p) for p in rules.pairs],
                              strict=True, coerce=True, name=form)
