"""A tiny dbt-like runner for `dbt_like_sql/`.

- A model is `dbt_like_sql/<layer>/<name>.sql`; layers are staging → core → marts and the
  layer is the schema (`staging.stg_fund_input`, `marts.county_comparison`). Model names
  are unique across layers, and a core model may not take the name of a loaded core table.
- `{{ ref('name') }}` becomes `<schema>.<name>` and makes a dependency;
  `{{ source('schema', 'table') }}` names a table the loader owns (no dependency, but it
  is listed so an asset factory can draw lineage from the loaded tables).
- A file starting with `-- materialized: view` becomes a view, otherwise a table.
- Tests live beside their model in `<name>.test.sql`: one or more queries, each headed by
  `-- test: <test name>`, each returning the failing rows (zero rows = pass).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any, NamedTuple

import duckdb

from warehouse.db import FORM_TABLES

MODELS_DIR = Path(__file__).resolve().parent.parent / "dbt_like_sql"
LAYERS = ("staging", "core", "marts")
SAMPLE_ROWS = 5

_REF = re.compile(r"""\{\{\s*ref\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\)\s*\}\}""")
_SOURCE = re.compile(
    r"""\{\{\s*source\(\s*['"]([A-Za-z_]\w*)['"]\s*,\s*['"]([A-Za-z_]\w*)['"]\s*\)\s*\}\}"""
)
_TEMPLATE = re.compile(r"\{\{.*?\}\}", re.S)
_TEST_HEADER = re.compile(r"^--\s*test:\s*(\S+)\s*$", re.M)
_MATERIALIZED_VIEW = re.compile(r"\A\s*--\s*materialized:\s*view\b")


class ModelError(ValueError):
    pass


@dataclass(frozen=True)
class Model:
    name: str
    layer: str
    path: Path
    sql: str
    deps: tuple[str, ...]  # models this one refs
    sources: tuple[str, ...] = ()  # "schema.table" the loader owns
    materialized: str = "table"
    # (schema, table) of everything it reads, models and sources alike: asset keys.
    upstream: tuple[tuple[str, str], ...] = ()

    @property
    def schema(self) -> str:
        return self.layer

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)

    @property
    def relation(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class SqlTest:
    name: str  # <model>.<test>
    model: str
    sql: str
    deps: tuple[str, ...] = field(default=())


class TestResult(NamedTuple):
    __test__ = False  # not a pytest class

    test_name: str
    model: str
    failing_row_count: int
    sample_rows: list[dict[str, Any]]

    @property
    def passed(self) -> bool:
        return self.failing_row_count == 0


def _discover(root: Path) -> tuple[dict[str, Model], list[tuple[str, Path]]]:
    models: dict[str, Model] = {}
    test_files: list[tuple[str, Path]] = []
    for layer in LAYERS:
        for path in sorted((root / layer).glob("*.sql")):
            if path.name.endswith(".test.sql"):
                test_files.append((path.name.removesuffix(".test.sql"), path))
                continue
            name = path.stem
            if name in models:
                raise ModelError(f"model {name} defined twice: {models[name].path} and {path}")
            if layer == "core" and name in FORM_TABLES.values():
                raise ModelError(f"{path}: core.{name} is a loaded table, not a model")
            sql = path.read_text(encoding="utf-8")
            models[name] = Model(
                name=name,
                layer=layer,
                path=path,
                sql=sql,
                deps=tuple(dict.fromkeys(_REF.findall(sql))),
                sources=tuple(dict.fromkeys(f"{s}.{t}" for s, t in _SOURCE.findall(sql))),
                materialized="view" if _MATERIALIZED_VIEW.match(sql) else "table",
            )
    for name, path in test_files:
        if name not in models:
            raise ModelError(f"{path}: no model named {name} beside it")
    for name, m in models.items():
        unknown = [d for d in m.deps if d not in models]
        if unknown:
            raise ModelError(f"{m.path}: ref to unknown model(s) {unknown}")
        models[name] = replace(m, upstream=(
            *(models[d].key for d in m.deps), *(tuple(s.split(".")) for s in m.sources)))
    return models, test_files


def _ordered(models: dict[str, Model]) -> list[Model]:
    """Dependency order; among models ready at the same time, by layer then name, so the
    order is stable from run to run."""
    sorter = TopologicalSorter({name: m.deps for name, m in models.items()})
    sorter.prepare()
    order: list[Model] = []
    while sorter.is_active():
        ready = sorted((models[n] for n in sorter.get_ready()), key=lambda m: (LAYERS.index(m.layer), m.name))
        order.extend(ready)
        sorter.done(*(m.name for m in ready))
    return order


def list_models(root: Path = MODELS_DIR) -> list[Model]:
    """All models in dependency order (each model after everything it refs)."""
    models, _ = _discover(root)
    return _ordered(models)


def render(sql: str, models: dict[str, Model]) -> str:
    sql = _REF.sub(lambda m: models[m.group(1)].relation, sql)
    sql = _SOURCE.sub(lambda m: f"{m.group(1)}.{m.group(2)}", sql)
    leftover = _TEMPLATE.search(sql)
    if leftover:
        raise ModelError(f"unsupported template expression {leftover.group(0)!r}")
    return sql.strip().rstrip(";")


def _existing_kinds(con: duckdb.DuckDBPyConnection, todo: list[Model]) -> dict[tuple[str, str], str]:
    """(schema, name) → 'view' or 'table' for the relations of `todo` that exist (one query)."""
    schemas = sorted({m.schema for m in todo})
    if not schemas:
        return {}
    rows = con.execute(
        "SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema IN ("
        + ", ".join("?" for _ in schemas) + ")", schemas).fetchall()
    return {(schema, name): "view" if kind == "VIEW" else "table" for schema, name, kind in rows}


def run_models(
    con: duckdb.DuckDBPyConnection, select: list[str] | None = None, root: Path = MODELS_DIR
) -> list[str]:
    """Materialise the models (all, or those named in `select`) in dependency order,
    in one transaction. Returns the relations built."""
    models, _ = _discover(root)
    if select is not None:
        unknown = set(select) - set(models)
        if unknown:
            raise ModelError(f"unknown model(s): {sorted(unknown)}")
    todo = [m for m in _ordered(models) if select is None or m.name in select]
    built = []
    con.begin()
    try:
        for schema in dict.fromkeys(m.schema for m in todo):
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        kinds = _existing_kinds(con, todo)  # (each model is built once: its kind before the run is the one to replace)
        for m in todo:
            kind = kinds.get((m.schema, m.name))
            if kind is not None and kind != m.materialized:
                con.execute(f"DROP {kind.upper()} {m.relation}")
            verb = "VIEW" if m.materialized == "view" else "TABLE"
            try:
                con.execute(f"CREATE OR REPLACE {verb} {m.relation} AS\n{render(m.sql, models)}\n")
            except duckdb.Error as e:
                raise ModelError(f"model {m.name} ({m.path}) failed: {e}") from e
            built.append(m.relation)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return built


def list_tests(root: Path = MODELS_DIR) -> list[SqlTest]:
    models, test_files = _discover(root)
    tests = []
    for model, path in test_files:
        text = path.read_text(encoding="utf-8")
        headers = list(_TEST_HEADER.finditer(text))
        if not headers:
            raise ModelError(f"{path}: no '-- test: <name>' header")
        if text[: headers[0].start()].strip():
            raise ModelError(f"{path}: SQL before the first '-- test:' header")
        for h, nxt in zip(headers, [*headers[1:], None]):
            body = text[h.end(): nxt.start() if nxt else len(text)]
            tests.append(SqlTest(
                name=f"{model}.{h.group(1)}", model=model, sql=render(body, models),
                deps=tuple(dict.fromkeys(_REF.findall(body))),
            ))
    return tests


def run_tests(
    con: duckdb.DuckDBPyConnection, select: list[str] | None = None, root: Path = MODELS_DIR
) -> list[TestResult]:
    """Run the SQL tests (all, or those of the models named in `select`)."""
    results = []
    for t in list_tests(root):
        if select is not None and t.model not in select:
            continue
        # The newline keeps a trailing `-- comment` in the test from eating the parenthesis.
        count = con.execute(f"SELECT count(*) FROM (\n{t.sql}\n)").fetchone()[0]
        sample = []
        if count:
            cur = con.execute(f"SELECT * FROM (\n{t.sql}\n) LIMIT {SAMPLE_ROWS}")
            cols = [d[0] for d in cur.description]
            sample = [dict(zip(cols, row)) for row in cur.fetchall()]
        results.append(TestResult(t.name, t.model, count, sample))
    return results
