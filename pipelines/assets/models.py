"""One asset per SQL model in dbt_like_sql/, and its SQL tests as asset checks beside it.

Built from `warehouse.models.list_models()` / `list_tests()` when the definitions load (never
at import): the asset key is (schema, model name), the deps are the model's `ref()`s and
`source()`s, so lineage comes from the SQL, not from a hand-kept list.
"""

import hashlib
import json
from collections import defaultdict
from typing import Any

import dagster as dg

from pipelines.assets.constants import CORE, MARTS
from pipelines.resources import CountyReturnsResource

_GROUP_OF_LAYER = {"staging": CORE, "core": CORE, "marts": MARTS}


def build_model_assets(models: list | None = None) -> list[dg.AssetsDefinition]:
    from warehouse.models import list_models

    return [_model_asset(m) for m in (list_models() if models is None else models)]


def build_sql_test_checks(models: list | None = None, tests: list | None = None) -> list[dg.AssetChecksDefinition]:
    from warehouse.models import list_models, list_tests

    by_name = {m.name: m for m in (list_models() if models is None else models)}
    grouped: dict[str, list] = defaultdict(list)
    for test in list_tests() if tests is None else tests:
        grouped[test.model].append(test)
    return [_sql_checks(by_name[name], model_tests) for name, model_tests in grouped.items()]


def model_key(model) -> dg.AssetKey:
    return dg.AssetKey(list(model.key))


def check_name(test) -> str:
    """`stg_fund_input.required_not_null` → `required_not_null` (the name in the .test.sql file)."""
    return test.name.split(".", 1)[1]


def _model_asset(model) -> dg.AssetsDefinition:
    @dg.asset(
        key=model_key(model),
        deps=[dg.AssetKey(list(k)) for k in model.upstream],
        group_name=_GROUP_OF_LAYER[model.layer],
        kinds={"duckdb", "sql"},
        description=_description(model),
        code_version=hashlib.sha256(model.sql.encode("utf-8")).hexdigest()[:12],
        metadata={"path": dg.MetadataValue.path(str(model.path)), "materialized": model.materialized},
    )
    def _build(county_returns: CountyReturnsResource) -> dg.MaterializeResult:
        from warehouse.db import table_columns
        from warehouse.models import run_models

        with county_returns.open_warehouse() as con:
            run_models(con, select=[model.name])
            rows = con.execute(f"SELECT count(*) FROM {model.relation}").fetchone()[0]
            columns = table_columns(con, model.schema, model.name)
        return dg.MaterializeResult(metadata={
            "dagster/table_name": model.relation,
            "dagster/row_count": rows,
            "dagster/column_schema": dg.TableSchema(columns=[dg.TableColumn(c, t) for c, t in columns]),
        })

    return _build


def _sql_checks(model, tests: list) -> dg.AssetChecksDefinition:
    key = model_key(model)
    specs = [dg.AssetCheckSpec(check_name(t), asset=key,
                               description=f"{model.path.name.removesuffix('.sql')}.test.sql: "
                                           "returns the failing rows; zero rows = pass")
             for t in tests]

    @dg.multi_asset_check(name=f"{model.schema}__{model.name}__sql_tests", specs=specs, can_subset=True)
    def _run(context: dg.AssetCheckExecutionContext, county_returns: CountyReturnsResource):
        from warehouse.models import run_tests

        with county_returns.open_warehouse() as con:
            results = {r.test_name: r for r in run_tests(con, select=[model.name])}
        for test in tests:
            check_key = dg.AssetCheckKey(key, check_name(test))
            if check_key not in context.selected_asset_check_keys:
                continue
            result = results.get(test.name)
            if result is None:  # the .test.sql file changed since the definitions loaded
                yield dg.AssetCheckResult(asset_key=key, check_name=check_name(test), passed=False,
                                          metadata={"error": "test no longer in the .test.sql file"})
                continue
            yield dg.AssetCheckResult(
                asset_key=key,
                check_name=check_name(test),
                passed=result.passed,
                metadata={"failing_rows": result.failing_row_count,
                          "failing_sample": dg.MetadataValue.json(json_safe(result.sample_rows))},
            )

    return _run


def _description(model) -> str:
    """The model file's leading comment lines, else where it lives."""
    lines = []
    for line in model.sql.splitlines():
        text = line.strip()
        if not text.startswith("--"):
            break
        text = text.lstrip("-").strip()
        if text and not text.startswith("materialized:"):
            lines.append(text)
    layer_path = f"dbt_like_sql/{model.layer}/{model.path.name}"
    return " ".join(lines) or f"{model.materialized} built from {layer_path}"


def json_safe(value: Any) -> Any:
    """Rows or nested lists/dicts as JSON values: DECIMAL, dates and other scalars as text."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))
