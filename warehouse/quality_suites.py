"""Great Expectations suites over the warehouse: one per core table, one for the
county comparison mart.

GE runs on pandas frames read from DuckDB (`con.sql(q).df()`) through an ephemeral context:
its SQL datasource fails silently on DuckDB (TOOLCHAIN §4, G6). GE is imported inside
`run_suites` only: the import costs ~3 s and must never be on the `check` path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from warehouse.db import FORM_TABLES, NATURAL_KEYS, form_fields, table_columns

# Required canonical fields per form (bold in the CONTRACT's "six forms" table). The
# collective income band may be open on either side, so neither bound is required alone.
REQUIRED: dict[str, tuple[str, ...]] = {
    "team": ("work_team_members",),
    "fund": ("project_name", "amount_yuan"),
    "collective": ("village",),
    "industry": ("org_name", "households_driven"),
    "poverty": ("year",),
    "sales": ("product", "sales_yuan"),
}
PERCENT_FIELDS = ("incidence_pct",)
NOT_A_QUANTITY = ("year",)  # numeric, but not a count or an amount
CORE_IDS = ["submission_id", "source_row"]
MART_IDS = ["county_code", "period"]
MAX_IDS = 20


@dataclass
class SuiteResult:
    name: str
    success: bool
    rows: int
    failing: list[dict[str, Any]] = field(default_factory=list)


def _select_as_double(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> str:
    # DECIMAL arrives in pandas as Python Decimal objects; GE compares floats reliably.
    decimals = [c for c, t in table_columns(con, schema, table) if t.startswith("DECIMAL")]
    replace = ", ".join(f'"{c}"::DOUBLE AS "{c}"' for c in decimals)
    return f"SELECT * {f'REPLACE ({replace})' if replace else ''} FROM {schema}.{table}"


def _core_expectations(gx, con: duckdb.DuckDBPyConnection, form: str) -> list:
    e = gx.expectations
    out = [e.ExpectColumnValuesToNotBeNull(column=c)
           for c in ("submission_id", "county_code", "period", "source_row", *REQUIRED[form])]
    for name, sql_type in form_fields(con, form):
        numeric = sql_type.startswith("DECIMAL") or sql_type in ("BIGINT", "DOUBLE")
        if name in PERCENT_FIELDS:
            out.append(e.ExpectColumnValuesToBeBetween(column=name, min_value=0, max_value=100))
        elif numeric and name not in NOT_A_QUANTITY:
            out.append(e.ExpectColumnValuesToBeBetween(column=name, min_value=0))
    out.append(e.ExpectCompoundColumnsToBeUnique(column_list=["submission_id", *NATURAL_KEYS[form]]))
    return out


def _mart_expectations(gx) -> list:
    e = gx.expectations
    return [
        e.ExpectColumnValuesToNotBeNull(column="county_code"),
        e.ExpectColumnValuesToNotBeNull(column="period"),
        e.ExpectColumnValuesToBeBetween(column="share_income_ge_50k", min_value=0, max_value=1),
        e.ExpectCompoundColumnsToBeUnique(column_list=["county_code", "period"]),
    ]


def _plain(value: Any) -> Any:
    """numpy scalars and NaN → JSON-friendly Python values."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _failures(validation) -> list[dict[str, Any]]:
    failing = []
    for r in validation.results:
        exc = r.exception_info or {}
        raised = exc.get("raised_exception") or any(
            isinstance(v, dict) and v.get("raised_exception") for v in exc.values()
        )
        if r.success and not raised:
            continue
        cfg = r.expectation_config
        kwargs = cfg.kwargs
        ids = [{k: _plain(v) for k, v in d.items()}
               for d in (r.result or {}).get("unexpected_index_list") or []][:MAX_IDS]
        failing.append({
            "expectation": cfg.type,
            "column": kwargs.get("column") or ",".join(kwargs.get("column_list") or []),
            "unexpected_count": (r.result or {}).get("unexpected_count"),
            "ids": ids,
            "exception": str(exc.get("exception_message") or exc) if raised else None,
        })
    return failing


def run_suites(con: duckdb.DuckDBPyConnection) -> list[SuiteResult]:
    from pipelines.runtime import allow_pandas

    allow_pandas()  # GE works on pandas frames; our own processes keep pandas out until now
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = ctx.data_sources.add_pandas("warehouse")

    plans = [
        (f"core.{table}", _select_as_double(con, "core", table), _core_expectations(gx, con, form), CORE_IDS)
        for form, table in FORM_TABLES.items()
    ]
    plans.append(("marts.county_comparison", _select_as_double(con, "marts", "county_comparison"),
                  _mart_expectations(gx), MART_IDS))

    results = []
    for name, query, expectations, ids in plans:
        frame = con.sql(query).df()
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
        suite = ctx.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
        definition = ctx.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
        validation = definition.run(
            batch_parameters={"dataframe": frame},
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ids},
        )
        failing = _failures(validation)
        results.append(SuiteResult(name, bool(validation.success) and not failing, len(frame), failing))
    return results
