"""Each mart written to Parquet under exports/ after a run, for BI tools (atomic replace)."""

from __future__ import annotations

import os
from pathlib import Path


def export_marts(warehouse: Path, exports: Path) -> list[Path]:
    import duckdb

    if not warehouse.exists():
        return []
    exports.mkdir(parents=True, exist_ok=True)
    written = []
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1").fetchall()]
        for table in tables:
            target = exports / f"{table}.parquet"
            tmp = exports / f".{table}.parquet.tmp"
            # identifiers come from the catalog, not from input; the path is bound as text
            con.execute(f"COPY (SELECT * FROM marts.{table}) TO '{_sql_str(tmp)}' (FORMAT parquet)")
            os.replace(tmp, target)
            written.append(target)
    finally:
        con.close()
    return written


def _sql_str(path: Path) -> str:
    return str(path).replace("'", "''")
