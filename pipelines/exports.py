"""Each mart written to Parquet under exports/ after a run, for BI tools (atomic replace)."""

from __future__ import annotations

import os
from pathlib import Path


def export_marts(warehouse, exports: Path) -> list[Path]:
    """The marts of `warehouse` (a database file, opened read-only, or an open connection
    whose marts are committed: an ingest's own, just before it publishes the same data as the
    analyst copy) → exports/<mart>.parquet."""
    import duckdb

    if isinstance(warehouse, duckdb.DuckDBPyConnection):
        return _export(warehouse, exports)
    if not warehouse.exists():
        return []
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return _export(con, exports)
    finally:
        con.close()


def _export(con, exports: Path) -> list[Path]:
    exports.mkdir(parents=True, exist_ok=True)
    written = []
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1").fetchall()]
    for table in tables:
        target = exports / f"{table}.parquet"
        tmp = exports / f".{table}.parquet.tmp"
        # identifiers come from the catalog, not from input; the path is bound as text
        con.execute(f"COPY (SELECT * FROM marts.{table}) TO '{_sql_str(tmp)}' (FORMAT parquet)")
        os.replace(tmp, target)
        written.append(target)
    return written


def _sql_str(path: Path) -> str:
    return str(path).replace("'", "''")
