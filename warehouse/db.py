"""The DuckDB warehouse: connection, versioned migrations, reference data.

Schema and table names are part of the CONTRACT. Migrations in `warehouse/sql/NNN_name.sql`
are applied once each, in order, and recorded in `ops.schema_migration`; a migration that
was edited after it was applied is an error (write a new one instead).
"""

from __future__ import annotations

import csv
import hashlib
import re
import weakref
from pathlib import Path

import duckdb
import polars as pl

PACKAGE_DIR = Path(__file__).resolve().parent
SQL_DIR = PACKAGE_DIR / "sql"
REF_DIR = PACKAGE_DIR / "ref"
DEFAULT_PATH = PACKAGE_DIR / "county_returns.duckdb"
PROVINCE = "广西壮族自治区"

# form → table name in core/history (the CONTRACT's names).
FORM_TABLES: dict[str, str] = {
    "team": "team_staffing",
    "fund": "fund_input",
    "collective": "collective_economy",
    "industry": "industry_driving",
    "poverty": "poverty_incidence",
    "sales": "consumption_sales",
}

# The natural key of a row within one county × period × form: what a version diff joins on.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "team": ("township",),
    "fund": ("project_name", "village"),
    "collective": ("village", "year"),
    "industry": ("org_name",),
    "poverty": ("township", "year"),
    "sales": ("product", "channel"),
}

# Columns every core table carries besides the form's canonical fields.
PROVENANCE_COLUMNS = ("submission_id", "county_code", "period", "source_sheet", "source_row")

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    pass


def connect(path: str | Path = DEFAULT_PATH, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), read_only=read_only)


def migrations(sql_dir: Path = SQL_DIR) -> list[tuple[int, str, str]]:
    """(version, file name, sql) for every migration file, in version order."""
    found = []
    for path in sorted(sql_dir.glob("*.sql")):
        m = _MIGRATION_NAME.match(path.name)
        if not m:
            raise MigrationError(f"migration file name must be NNN_name.sql: {path.name}")
        found.append((int(m.group(1)), path.name, path.read_text(encoding="utf-8")))
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"duplicate migration numbers in {sql_dir}")
    return found


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations, each in its own transaction. Returns the files applied."""
    try:
        return _migrate(con)
    finally:
        # The schema may have changed (even if a migration failed halfway): every connection
        # to every database reads its form columns afresh.
        _FORM_COLUMNS.clear()


def _migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    con.execute(
        "CREATE SCHEMA IF NOT EXISTS ops;"
        "CREATE TABLE IF NOT EXISTS ops.schema_migration ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    applied = dict(con.execute("SELECT version, sha256 FROM ops.schema_migration").fetchall())
    done = []
    for version, name, sql in migrations():
        digest = hashlib.sha256(sql.encode("utf-8")).hexdigest()
        if version in applied:
            if applied[version] != digest:
                raise MigrationError(f"{name} changed after it was applied; add a new migration instead")
            continue
        con.begin()
        try:
            con.execute(sql)
            con.execute(
                "INSERT INTO ops.schema_migration (version, name, sha256) VALUES (?, ?, ?)",
                [version, name, digest],
            )
            con.commit()
        except BaseException:
            con.rollback()
            raise
        done.append(name)
    return done


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(REF_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _main_successors(successor_codes: str) -> list[str]:
    """Codes that took over the whole unit. `450203[2018]` marks a part transferred in
    2018 and a prefecture code (`450200`) only says which city absorbed it."""
    return [
        c for c in successor_codes.split(";")
        if c and "[" not in c and not c.endswith("00")
    ]


def county_rows() -> list[dict]:
    """ref.county rows built from the CSVs in warehouse/ref (see its PROVENANCE.md)."""
    current = {r["code"]: r for r in _read_csv("guangxi_county_divisions_2023.csv")}
    key_poverty = {r["code"]: int(r["exit_year"]) for r in _read_csv("guangxi_poverty_counties_832.csv")}
    history = _read_csv("guangxi_county_code_history.csv")
    # A code can carry several definitions; a successor reference means its latest one.
    latest: dict[str, dict[str, str]] = {}
    for r in history:
        if r["code"] not in latest or int(r["valid_from"]) > int(latest[r["code"]]["valid_from"]):
            latest[r["code"]] = r

    def current_code(row: dict[str, str], seen: frozenset[str] = frozenset()) -> str | None:
        if row["status"] == "in_use":
            return row["code"] if row["code"] in current else None
        successors = _main_successors(row["successor_codes"])
        if len(successors) != 1 or successors[0] in seen or successors[0] not in latest:
            return None  # split between several units, or unknown: no single heir
        nxt = latest[successors[0]]
        if nxt is row:
            return None
        return current_code(nxt, seen | {row["code"]})

    rows = []
    for r in history:
        now = current_code(r)
        in_use = r["status"] == "in_use"
        rows.append({
            "code": r["code"],
            # Current units take their 2023 NBS name; historical ones keep the name they had.
            "name": current[r["code"]]["name"] if in_use and r["code"] in current else r["name"],
            "prefecture_code": r["prefecture_code"],
            "prefecture": r["prefecture_name"],
            "province": PROVINCE,
            # The 832 list names counties by 2023 codes; an old code inherits its heir's flag.
            "is_key_poverty_county": now in key_poverty,
            "poverty_exit_year": key_poverty.get(now),
            "valid_from": int(r["valid_from"]),
            "valid_to": int(r["valid_to"]) if r["valid_to"] else None,
            "status": r["status"],
            "current_code": now,
        })
    missing = set(current) - {r["code"] for r in rows if r["valid_to"] is None}
    if missing:
        raise ValueError(f"2023 counties missing from the code history: {sorted(missing)}")
    return rows


def load_reference(con: duckdb.DuckDBPyConnection) -> int:
    """Replace ref.county with the reference CSVs (idempotent). Returns the row count."""
    county = pl.DataFrame(county_rows(), schema={
        "code": pl.Utf8, "name": pl.Utf8, "prefecture_code": pl.Utf8, "prefecture": pl.Utf8,
        "province": pl.Utf8, "is_key_poverty_county": pl.Boolean, "poverty_exit_year": pl.Int32,
        "valid_from": pl.Int32, "valid_to": pl.Int32, "status": pl.Utf8, "current_code": pl.Utf8,
    })
    existing = con.execute(f"SELECT {', '.join(county.columns)} FROM ref.county").fetchall()
    if sorted(existing, key=repr) == sorted(county.rows(), key=repr):
        return county.height  # unchanged: no write (a nightly run would otherwise rewrite it)
    con.begin()
    try:
        con.execute("DELETE FROM ref.county")
        con.register("county_frame", county.__arrow_c_stream__())
        con.execute("INSERT INTO ref.county BY NAME SELECT * FROM county_frame")
        con.unregister("county_frame")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return county.height


def table_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple[str, str]]:
    """(column, DuckDB type) in table order; the warehouse DDL is the one source of truth."""
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [schema, table],
    ).fetchall()
    if not rows:
        raise LookupError(f"no table {schema}.{table} (migrations or models not run yet?)")
    return rows


# Columns of the core form tables, per connection: the loader needs them for every file.
# Only migrations change these tables, and `migrate` empties this cache; the weak keys drop
# a connection's entry with the connection, so a new connection (to the same or another
# database) always reads information_schema again.
_FORM_COLUMNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def form_columns(con: duckdb.DuckDBPyConnection, form: str) -> list[tuple[str, str]]:
    """Every column of the form's core table (provenance included), with its type, in table
    order. The first call on a connection reads all six tables in one query."""
    try:
        cached = _FORM_COLUMNS.get(con)
    except TypeError:  # not weak-referenceable: no cache
        return table_columns(con, "core", FORM_TABLES[form])
    if cached is None:
        cached = {}
        rows = con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'core' AND table_name IN (SELECT unnest(?::VARCHAR[]))"
            " ORDER BY table_name, ordinal_position",
            [list(FORM_TABLES.values())],
        ).fetchall()
        for table, column, data_type in rows:
            cached.setdefault(table, []).append((column, data_type))
        if len(cached) == len(FORM_TABLES):  # a schema not migrated yet is not remembered
            _FORM_COLUMNS[con] = cached
    columns = cached.get(FORM_TABLES[form])
    if columns is None:
        raise LookupError(f"no table core.{FORM_TABLES[form]} (migrations or models not run yet?)")
    return list(columns)


def form_fields(con: duckdb.DuckDBPyConnection, form: str) -> list[tuple[str, str]]:
    """The canonical fields of a form (core columns minus provenance), with their types."""
    return [(c, t) for c, t in form_columns(con, form) if c not in PROVENANCE_COLUMNS]
