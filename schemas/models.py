"""pandera schemas for the canonical tables, built from each form's FieldSpecs.

The row rules of the catalogue are pandera checks named by their CONTRACT codes, so a failure
case carries the code the county sees: `required_missing` (nullable=False on a required
field), `out_of_range` (min/max), `subset_exceeds_total` and `inconsistent_band` (frame checks).
"""

from __future__ import annotations

from functools import cache

import pandera.polars as pa
import polars as pl

from schemas.spec import FormSpec, all_forms

DTYPES = {
    "text": pl.Utf8, "unit": pl.Utf8, "count": pl.Int64, "money": pl.Float64,
    "number": pl.Float64, "area_mu": pl.Float64, "percent": pl.Float64,
    "bool": pl.Boolean, "year": pl.Int64, "quantity": pl.Float64,
}


def _range_checks(low, high) -> list[pa.Check]:
    checks = []
    if low is not None:
        checks.append(pa.Check.ge(low))
    if high is not None:
        checks.append(pa.Check.le(high))
    return checks


def _not_greater(a: str, b: str, code: str) -> pa.Check:
    def check(data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col(a).is_null() | pl.col(b).is_null() | (pl.col(a) <= pl.col(b))).alias(code))
    return pa.Check(check, name=f"{code}:{a}:{b}")


def _one_of(a: str, b: str, code: str) -> pa.Check:
    def check(data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col(a).is_not_null() | pl.col(b).is_not_null()).alias(code))
    return pa.Check(check, name=f"{code}:{a}:{b}")


@cache
def schema_for(form: str) -> pa.DataFrameSchema:
    spec: FormSpec = all_forms()[form]
    # a band may be open at one end (5万元以上): it is required as a whole, not per end
    band_ends = {end for band in spec.bands for end in band}
    columns = {}
    for f in spec.fields:
        nullable = not f.required or f.name in band_ends
        columns[f.name] = pa.Column(DTYPES[f.kind], nullable=nullable, required=False,
                                    checks=_range_checks(f.min_value, f.max_value))
    if "amount_qualifier" in spec.columns:
        columns["amount_qualifier"] = pa.Column(pl.Utf8, nullable=True, required=False,
                                                checks=pa.Check.isin(["approx", "at_least", "at_most", "range"]))
    checks = [_not_greater(s, t, "subset_exceeds_total") for s, t in spec.subsets]
    checks += [_not_greater(lo, hi, "inconsistent_band") for lo, hi in spec.bands]
    checks += [_one_of(lo, hi, "required_missing") for lo, hi in spec.bands
               if spec.field(lo).required or spec.field(hi).required]
    return pa.DataFrameSchema(columns, checks=checks, strict=True, coerce=True, name=form)
