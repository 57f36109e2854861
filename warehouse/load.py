"""Load one checked file (a `CheckResult`) into the warehouse: the single writer.

One transaction per submission. Versions are kept per county × period × form: a file that
carries a form already loaded for its county and period replaces that form's rows in core
(the old rows move to `history` with their version) and records a per-field diff in
`quality.version_diff`. Forms of the old file that the new file does not carry stay
current. `ops.submission_form.superseded_by` records each replacement; the old
`ops.submission.superseded_by` is set once all its forms have been replaced.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Literal

import duckdb
import polars as pl

from pipelines.model import CheckResult
from warehouse.db import FORM_TABLES, NATURAL_KEYS, form_fields

# Counties work in China time; received_at is stored naive in UTC+8 so that comparing it
# with a due date means what a county clerk thinks it means. China has no DST.
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

_POLARS_TYPES = {"VARCHAR": pl.Utf8, "BIGINT": pl.Int64, "DOUBLE": pl.Float64, "BOOLEAN": pl.Boolean}


class RowConservationError(AssertionError):
    """input_rows != records + quarantined + totals: some row went nowhere (or twice)."""


@dataclass
class LoadOutcome:
    outcome: Literal["loaded", "duplicate", "rejected"]
    submission_id: int  # for a duplicate: the submission that already holds this file
    status: str
    versions: dict[str, int] = field(default_factory=dict)  # form → version loaded
    rows_loaded: dict[str, int] = field(default_factory=dict)  # form → clean rows in core
    superseded: dict[str, int] = field(default_factory=dict)  # form → submission replaced
    issues: int = 0
    quarantined: int = 0


def china_local(ts: datetime) -> datetime:
    return ts.astimezone(CHINA_TZ).replace(tzinfo=None) if ts.tzinfo else ts


def check_row_conservation(result: CheckResult) -> None:
    accounted = len(result.records) + len(result.quarantined) + len(result.totals)
    if result.input_rows != accounted:
        raise RowConservationError(
            f"{result.file}: input_rows={result.input_rows} but records={len(result.records)}"
            f" + quarantined={len(result.quarantined)} + totals={len(result.totals)} = {accounted}"
        )


def load_submission(
    con: duckdb.DuckDBPyConnection,
    result: CheckResult,
    received_at: datetime,
    archive_path: str | None,
    _fail_after_first_table: Callable[[], None] | None = None,
) -> LoadOutcome:
    """Load `result` atomically. `_fail_after_first_table` is a test hook, called right
    after the first core table is written, to prove a failure leaves nothing behind."""
    if not result.rejected:
        # A rejected file is refused whole and loads nothing, so only loads are checked.
        check_row_conservation(result)
    con.begin()
    try:
        outcome = _load(con, result, china_local(received_at), archive_path, _fail_after_first_table)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return outcome


def _load(con, result, received_at, archive_path, fail_hook) -> LoadOutcome:
    existing = con.execute(
        "SELECT submission_id, status FROM ops.submission WHERE sha256 = ?", [result.sha256]
    ).fetchone()
    if existing:
        return LoadOutcome("duplicate", existing[0], existing[1])

    submission_id = con.execute("SELECT nextval('ops.submission_id_seq')").fetchone()[0]
    forms = [] if result.rejected else _forms_of(result)
    con.execute(
        "INSERT INTO ops.submission (submission_id, county_code, period, file_name, sha256,"
        " received_at, status, forms, file_type, size_bytes, archive_path, input_rows,"
        " rows_loaded, rows_quarantined, total_rows)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [submission_id, result.county_code, result.period, result.file, result.sha256,
         received_at, result.status, forms, result.file_type, result.size, archive_path,
         result.input_rows, 0 if result.rejected else len(result.records),
         0 if result.rejected else len(result.quarantined),
         0 if result.rejected else len(result.totals)],
    )
    _insert_issues(con, result, submission_id)
    if result.rejected:
        return LoadOutcome("rejected", submission_id, "rejected", issues=len(result.issues))

    if not result.county_code or not result.period:
        raise ValueError(f"{result.file}: an accepted result needs county_code and period")
    outcome = LoadOutcome("loaded", submission_id, result.status,
                          issues=len(result.issues), quarantined=len(result.quarantined))
    hook = fail_hook
    for form in forms:
        version, previous = _replace_form(con, result, submission_id, form)
        outcome.versions[form] = version
        outcome.rows_loaded[form] = sum(r.form == form for r in result.records)
        if previous is not None:
            outcome.superseded[form] = previous
        if hook is not None:
            hook()
            hook = None
    con.execute(
        "UPDATE ops.submission SET version = ? WHERE submission_id = ?",
        [max(outcome.versions.values(), default=None), submission_id],
    )
    _insert_quarantine(con, result, submission_id)
    _insert_totals(con, result, submission_id)
    return outcome


def _forms_of(result: CheckResult) -> list[str]:
    """Forms the file carries, in sheet order, including forms whose rows were all
    quarantined: that still replaces the previous version (with no clean rows)."""
    forms = list(dict.fromkeys(
        [*result.forms, *(r.form for r in result.records), *(q.form for q in result.quarantined),
         *(t.form for t in result.totals)]
    ))
    unknown = [f for f in forms if f not in FORM_TABLES]
    if unknown:
        raise ValueError(f"{result.file}: forms without a warehouse table: {unknown}")
    return forms


def _replace_form(con, result: CheckResult, submission_id: int, form: str) -> tuple[int, int | None]:
    """Insert this form's rows as the new current version; move the old one to history."""
    table = FORM_TABLES[form]
    previous = con.execute(
        "SELECT sf.submission_id, sf.version FROM ops.submission_form sf"
        " WHERE sf.county_code = ? AND sf.period = ? AND sf.form = ? AND sf.superseded_by IS NULL",
        [result.county_code, result.period, form],
    ).fetchall()
    if len(previous) > 1:
        raise RuntimeError(f"{result.county_code} {result.period} {form}: several current versions")
    last_version = con.execute(
        "SELECT max(version) FROM ops.submission_form WHERE county_code = ? AND period = ? AND form = ?",
        [result.county_code, result.period, form],
    ).fetchone()[0]
    version = (last_version or 0) + 1

    rows = _form_frame(con, result, submission_id, form)
    con.register("new_rows", rows)
    try:
        con.execute(f"INSERT INTO core.{table} BY NAME SELECT * FROM new_rows")
    finally:
        con.unregister("new_rows")
    con.execute(
        "INSERT INTO ops.submission_form (submission_id, county_code, period, form, version, rows_loaded)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [submission_id, result.county_code, result.period, form, version, rows.height],
    )
    if not previous:
        return version, None

    old_id, old_version = previous[0]
    _record_diff(con, form, old_id, old_version, submission_id, version)
    con.execute(
        f"INSERT INTO history.{table} BY NAME"
        f" SELECT *, ? AS version, ? AS superseded_by FROM core.{table} WHERE submission_id = ?",
        [old_version, submission_id, old_id],
    )
    con.execute(f"DELETE FROM core.{table} WHERE submission_id = ?", [old_id])
    con.execute(
        "UPDATE ops.submission_form SET superseded_by = ? WHERE submission_id = ? AND form = ?",
        [submission_id, old_id, form],
    )
    still_current = con.execute(
        "SELECT count(*) FROM ops.submission_form WHERE submission_id = ? AND superseded_by IS NULL",
        [old_id],
    ).fetchone()[0]
    if still_current == 0:
        con.execute(
            "UPDATE ops.submission SET superseded_by = ? WHERE submission_id = ?",
            [submission_id, old_id],
        )
    return version, old_id


def _form_frame(con, result: CheckResult, submission_id: int, form: str) -> pl.DataFrame:
    """The form's clean records as a frame with exactly the core table's columns.
    Fields absent from the file load as NULL; a field the table does not know is a bug."""
    fields = form_fields(con, form)
    known = {name for name, _ in fields}
    records = [r for r in result.records if r.form == form]
    for r in records:
        extra = set(r.values) - known
        if extra:
            raise ValueError(f"{form} row {r.row}: fields not in core.{FORM_TABLES[form]}: {sorted(extra)}")
    n = len(records)
    data = {
        "submission_id": [submission_id] * n,
        "county_code": [result.county_code] * n,
        "period": [result.period] * n,
        "source_sheet": [r.sheet for r in records],
        "source_row": [r.row for r in records],
    }
    schema = {"submission_id": pl.Int64, "county_code": pl.Utf8, "period": pl.Utf8,
              "source_sheet": pl.Utf8, "source_row": pl.Int64}
    for name, sql_type in fields:
        data[name] = [r.values.get(name) for r in records]
        # Money arrives as floats rounded to 2 decimals; DuckDB casts them to DECIMAL(18,2).
        schema[name] = pl.Float64 if sql_type.startswith("DECIMAL") else _POLARS_TYPES[sql_type]
    return pl.DataFrame(data, schema=schema)


def _record_diff(con, form: str, old_id: int, old_version: int, new_id: int, new_version: int) -> None:
    """Per-field differences between two versions, joined on the form's natural key.
    Both versions are in core at this point, so values compare with identical types."""
    table = FORM_TABLES[form]
    key = NATURAL_KEYS[form]
    fields = [name for name, _ in form_fields(con, form) if name not in key]
    key_expr = " || ' | ' || ".join(f"coalesce(CAST(\"{k}\" AS VARCHAR), '')" for k in key)
    casts = ", ".join(f"CAST(\"{f}\" AS VARCHAR) AS \"{f}\"" for f in fields)
    names = ", ".join(f'"{f}"' for f in fields)
    con.execute(
        f"""
        INSERT INTO quality.version_diff BY NAME
        WITH o AS (SELECT * FROM (SELECT {key_expr} AS k, {casts} FROM core.{table} WHERE submission_id = $old)
                   UNPIVOT INCLUDE NULLS (value FOR field IN ({names}))),
             n AS (SELECT * FROM (SELECT {key_expr} AS k, {casts} FROM core.{table} WHERE submission_id = $new)
                   UNPIVOT INCLUDE NULLS (value FOR field IN ({names}))),
             j AS (SELECT coalesce(o.k, n.k) AS k, coalesce(o.field, n.field) AS field,
                          o.value AS old_value, n.value AS new_value,
                          o.k IS NULL AS added, n.k IS NULL AS removed
                   FROM o FULL JOIN n ON o.k = n.k AND o.field = n.field)
        SELECT sf.county_code, sf.period, $form AS form,
               $old_version AS old_version, $new_version AS new_version,
               $old AS old_submission_id, $new AS new_submission_id,
               j.k AS "key",
               CASE WHEN added THEN 'added' WHEN removed THEN 'removed' ELSE 'changed' END AS change,
               j.field, j.old_value, j.new_value
        FROM j, (SELECT county_code, period FROM ops.submission_form
                 WHERE submission_id = $new AND form = $form) sf
        WHERE j.old_value IS DISTINCT FROM j.new_value
        ORDER BY j.k, j.field
        """,
        {"old": old_id, "new": new_id, "form": form,
         "old_version": old_version, "new_version": new_version},
    )


def _insert_frame(con, table: str, frame: pl.DataFrame) -> None:
    if frame.height == 0:
        return
    con.register("new_rows", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM new_rows")
    finally:
        con.unregister("new_rows")


def _insert_items(con, table: str, result: CheckResult, submission_id: int, items: list,
                  columns: dict[str, tuple[pl.DataType, Callable]]) -> None:
    """items → table, each row prefixed with its submission's id, county and period."""
    n = len(items)
    data: dict[str, list] = {"submission_id": [submission_id] * n, "county_code": [result.county_code] * n,
                             "period": [result.period] * n}
    schema: dict[str, pl.DataType] = {"submission_id": pl.Int64, "county_code": pl.Utf8, "period": pl.Utf8}
    for name, (dtype, get) in columns.items():
        data[name] = [get(item) for item in items]
        schema[name] = dtype
    _insert_frame(con, table, pl.DataFrame(data, schema=schema))


def _insert_issues(con, result: CheckResult, submission_id: int) -> None:
    _insert_items(con, "quality.issue", result, submission_id, result.issues, {
        "severity": (pl.Utf8, lambda i: i.severity), "rule": (pl.Utf8, lambda i: i.rule),
        "form": (pl.Utf8, lambda i: i.form), "sheet": (pl.Utf8, lambda i: i.sheet),
        "cell": (pl.Utf8, lambda i: i.cell), "row": (pl.Int64, lambda i: i.row),
        "raw_value": (pl.Utf8, lambda i: i.raw_value), "message": (pl.Utf8, lambda i: i.message),
    })


def _insert_quarantine(con, result: CheckResult, submission_id: int) -> None:
    _insert_items(con, "quality.quarantine", result, submission_id, result.quarantined, {
        "form": (pl.Utf8, lambda q: q.form), "sheet": (pl.Utf8, lambda q: q.sheet),
        "row": (pl.Int64, lambda q: q.row),
        "raw": (pl.Utf8, lambda q: json.dumps(q.raw, ensure_ascii=False)),  # cast to JSON by DuckDB
        "rules": (pl.List(pl.Utf8), lambda q: list(q.rules)),
    })


def _insert_totals(con, result: CheckResult, submission_id: int) -> None:
    _insert_items(con, "quality.total_row", result, submission_id, result.totals, {
        "form": (pl.Utf8, lambda t: t.form), "sheet": (pl.Utf8, lambda t: t.sheet),
        "row": (pl.Int64, lambda t: t.row), "label": (pl.Utf8, lambda t: t.label),
    })
