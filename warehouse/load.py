"""Load one checked file (a `CheckResult`) into the warehouse: the single writer.

Each submission is atomic: `load_submission` loads one file in one transaction;
`load_submissions` loads several in one, their rows inserted together (a statement per table
rather than per file and table), and if anything in it fails, rolls back and loads them one
by one, so a failing file still leaves nothing behind. Versions are kept per county × period × form: a file that
carries a form already loaded for its county and period replaces that form's rows in core
(the old rows move to `history` with their version) and records a per-field diff in
`quality.version_diff`. Forms of the old file that the new file does not carry stay
current. `ops.submission_form.superseded_by` records each replacement; the old
`ops.submission.superseded_by` is set once all its forms have been replaced.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from itertools import groupby
from typing import Any, Literal

import duckdb
import polars as pl

from pipelines.model import CheckResult, Record, RecordBlock, Records
from warehouse.db import FORM_TABLES, NATURAL_KEYS, PROVENANCE_COLUMNS, form_columns, form_fields

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


def load_submissions(
    con: duckdb.DuckDBPyConnection,
    items: list[tuple[CheckResult, str | None]],
    received_at: datetime,
) -> list[LoadOutcome]:
    """Load (result, archive path) pairs as `load_submission` would one after the other, in one
    transaction. On any failure the batch is rolled back and loaded file by file: the files
    before the failing one load, the failing one raises, exactly as a per-file loop would."""
    if len(items) <= 1:
        return [load_submission(con, result, received_at, path) for result, path in items]
    local = china_local(received_at)
    con.begin()
    try:
        for result, _ in items:
            if not result.rejected:
                check_row_conservation(result)
        pending = _Pending()
        outcomes = [_load(con, result, local, path, None, pending) for result, path in items]
        pending.flush(con)
        con.commit()
    except Exception:
        con.rollback()
        return [load_submission(con, result, received_at, path) for result, path in items]
    return outcomes


class _Pending:
    """Rows to insert, gathered over the files of a batch: one insert per table at the end.
    Positional frames (core tables, in table order) and by-name frames (quality tables) are
    kept apart."""

    def __init__(self) -> None:
        self.frames: dict[tuple[str, bool], list[pl.DataFrame]] = {}

    def add(self, table: str, frame: pl.DataFrame, by_name: bool) -> None:
        if frame.height:
            self.frames.setdefault((table, by_name), []).append(frame)

    def flush(self, con) -> None:
        for (table, by_name), frames in self.frames.items():
            frame = frames[0] if len(frames) == 1 else pl.concat(frames, how="vertical")
            if by_name:
                _insert_frame(con, table, frame)
            else:
                con.from_arrow(frame.__arrow_c_stream__()).insert_into(table)
        self.frames.clear()


def _load(con, result, received_at, archive_path, fail_hook, pending: _Pending | None = None) -> LoadOutcome:
    existing = con.execute(
        "SELECT submission_id, status FROM ops.submission WHERE sha256 = ?", [result.sha256]
    ).fetchone()
    if existing:
        return LoadOutcome("duplicate", existing[0], existing[1])

    if result.rejected:
        forms, by_form, versions, current = [], {}, {}, {}
    else:
        by_form = _records_by_form(result)
        forms = _forms_of(result, by_form)
        last, current = _form_versions(con, result)
        versions = {form: (last.get(form) or 0) + 1 for form in forms}
    # The id is drawn by the insert itself: one per attempt that gets past the duplicate check.
    submission_id = con.execute(
        "INSERT INTO ops.submission (submission_id, county_code, period, file_name, sha256,"
        " received_at, status, version, forms, file_type, size_bytes, archive_path, input_rows,"
        " rows_loaded, rows_quarantined, total_rows)"
        " VALUES (nextval('ops.submission_id_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING submission_id",
        [result.county_code, result.period, result.file, result.sha256, received_at, result.status,
         max(versions.values(), default=None), forms, result.file_type, result.size, archive_path,
         result.input_rows, 0 if result.rejected else len(result.records),
         0 if result.rejected else len(result.quarantined),
         0 if result.rejected else len(result.totals)],
    ).fetchone()[0]
    unknown = [f for f in forms if f not in FORM_TABLES]
    if unknown:
        raise ValueError(f"{result.file}: forms without a warehouse table: {unknown}")
    _insert_issues(con, result, submission_id, pending)
    if result.rejected:
        return LoadOutcome("rejected", submission_id, "rejected", issues=len(result.issues))

    if not result.county_code or not result.period:
        raise ValueError(f"{result.file}: an accepted result needs county_code and period")
    outcome = LoadOutcome("loaded", submission_id, result.status,
                          issues=len(result.issues), quarantined=len(result.quarantined))
    outcome.versions = versions
    outcome.rows_loaded = {form: _count(by_form.get(form, [])) for form in forms}
    if forms:
        con.execute(
            "INSERT INTO ops.submission_form (submission_id, county_code, period, form, version, rows_loaded)"
            " VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(forms)),
            [v for form in forms for v in (submission_id, result.county_code, result.period, form,
                                           versions[form], outcome.rows_loaded[form])],
        )
    hook = fail_hook
    for form in forms:
        previous = _replace_form(con, result, submission_id, form, by_form.get(form, []),
                                 versions[form], current.get(form, []), pending)
        if previous is not None:
            outcome.superseded[form] = previous
        if hook is not None:
            hook()
            hook = None
    if outcome.superseded:
        _mark_superseded(con, submission_id, outcome.superseded)
    _insert_quarantine(con, result, submission_id, pending)
    _insert_totals(con, result, submission_id, pending)
    return outcome


Rows = list[Record | RecordBlock]  # one form's clean rows: blocks from validation, single Records


def _records_by_form(result: CheckResult) -> dict[str, Rows]:
    """The clean rows of each form, in file order; forms in order of their first row."""
    records = result.records
    parts = records.parts if isinstance(records, Records) else records
    by_form: dict[str, Rows] = {}
    for part in parts:
        rows = by_form.get(part.form)
        if rows is None:
            rows = by_form[part.form] = []
        rows.append(part)
    return by_form


def _count(rows: Rows) -> int:
    return sum(len(p) if isinstance(p, RecordBlock) else 1 for p in rows)


def _forms_of(result: CheckResult, by_form: dict[str, Rows]) -> list[str]:
    """Forms the file carries, in sheet order, including forms whose rows were all
    quarantined: that still replaces the previous version (with no clean rows)."""
    return list(dict.fromkeys(
        [*result.forms, *by_form, *(q.form for q in result.quarantined), *(t.form for t in result.totals)]
    ))


def _form_versions(con, result: CheckResult) -> tuple[dict[str, int], dict[str, list[tuple[int, int]]]]:
    """For every form of the file's county × period: the highest version loaded so far, and
    the (submission_id, version) of its current version(s) — one query for all forms."""
    rows = con.execute(
        "SELECT form, max(version),"
        " list([submission_id, version]) FILTER (WHERE superseded_by IS NULL)"
        " FROM ops.submission_form WHERE county_code = ? AND period = ? GROUP BY form",
        [result.county_code, result.period],
    ).fetchall()
    return ({form: last for form, last, _ in rows},
            {form: [tuple(c) for c in cur] for form, _, cur in rows if cur})


def _replace_form(con, result: CheckResult, submission_id: int, form: str, records: Rows,
                  version: int, previous: list[tuple[int, int]], pending: _Pending | None = None) -> int | None:
    """Insert this form's rows as the new current version; move the old one to history.
    Returns the submission whose version was replaced, if any. With `pending`, a first version
    waits there; a replacement needs both versions in core, so it flushes and inserts now."""
    table = FORM_TABLES[form]
    if len(previous) > 1:
        raise RuntimeError(f"{result.county_code} {result.period} {form}: several current versions")
    rows = _form_frame(con, result, submission_id, form, records)
    if pending is not None and not previous:
        pending.add(f"core.{table}", rows, by_name=False)
        return None
    if pending is not None:
        pending.flush(con)  # the old version may be a file of this batch
    # Polars hands DuckDB its Arrow stream directly: no view to register, no pyarrow copy.
    # The frame has the table's columns in table order, so the insert is positional.
    con.from_arrow(rows.__arrow_c_stream__()).insert_into(f"core.{table}")
    if not previous:
        return None

    old_id, old_version = previous[0]
    _record_diff(con, form, old_id, old_version, submission_id, version)
    con.execute(
        f"INSERT INTO history.{table} BY NAME"
        f" SELECT *, ? AS version, ? AS superseded_by FROM core.{table} WHERE submission_id = ?",
        [old_version, submission_id, old_id],
    )
    con.execute(f"DELETE FROM core.{table} WHERE submission_id = ?", [old_id])
    return old_id


def _mark_superseded(con, submission_id: int, superseded: dict[str, int]) -> None:
    """The replaced forms point to their new version; a file none of whose forms is current
    any more is superseded by this one."""
    pairs = [(old_id, form) for form, old_id in superseded.items()]
    old_ids = sorted(set(superseded.values()))
    con.execute(
        "UPDATE ops.submission_form AS sf SET superseded_by = $1 FROM (VALUES "
        + ", ".join(f"(${2 * i + 2}, ${2 * i + 3})" for i in range(len(pairs)))
        + ") AS old(submission_id, form) WHERE sf.submission_id = old.submission_id AND sf.form = old.form",
        [submission_id, *(v for pair in pairs for v in pair)],
    )
    con.execute(
        "UPDATE ops.submission SET superseded_by = $1"
        " WHERE submission_id IN (SELECT submission_id FROM ops.submission_form"
        "  WHERE submission_id IN (" + ", ".join(f"${i + 2}" for i in range(len(old_ids))) + ")"
        "  GROUP BY submission_id HAVING count(*) FILTER (WHERE superseded_by IS NULL) = 0)",
        [submission_id, *old_ids],
    )


def _form_frame(con, result: CheckResult, submission_id: int, form: str, records: Rows) -> pl.DataFrame:
    """The form's clean rows as a frame with exactly the core table's columns, in table
    order. Fields absent from the file load as NULL; a field the table does not know is a bug."""
    columns = form_columns(con, form)
    known = {name for name, _ in columns if name not in PROVENANCE_COLUMNS}
    # Money arrives as floats rounded to 2 decimals; DuckDB casts them to DECIMAL(18,2).
    schema = {name: pl.Float64 if sql_type.startswith("DECIMAL") else _POLARS_TYPES[sql_type]
              for name, sql_type in columns}
    frames = [_block_frame(result, submission_id, form, block, known, schema)
              for block in _blocks(form, records, known, schema)]
    if not frames:
        return pl.DataFrame(schema=schema)
    return frames[0] if len(frames) == 1 else pl.concat(frames, how="vertical")


def _unknown_fields(form: str, row: int, fields, known: set[str]) -> ValueError:
    extra = set(fields) - known
    return ValueError(f"{form} row {row}: fields not in core.{FORM_TABLES[form]}: {sorted(extra)}")


def _blocks(form: str, records: Rows, known: set[str], schema: dict[str, pl.DataType]) -> Iterator[RecordBlock]:
    """The form's rows as blocks: validated blocks as they are; hand-made Records (tests,
    fixtures) gathered into one block per run of records from one sheet."""
    for (loose, sheet), run in groupby(records, key=lambda p: (isinstance(p, Record), p.sheet)):
        if not loose:
            yield from run
            continue
        rows = list(run)
        values = [r.values for r in rows]
        fields = list(dict.fromkeys(name for v in values for name in v))
        if not known.issuperset(fields):
            r = next(r for r in rows if not r.values.keys() <= known)
            raise _unknown_fields(form, r.row, r.values, known)
        frame = pl.DataFrame({name: [v.get(name) for v in values] for name in fields},
                             schema={name: schema[name] for name in fields})
        yield RecordBlock(form, sheet, [r.row for r in rows], frame)


def _block_frame(result: CheckResult, submission_id: int, form: str, block: RecordBlock,
                 known: set[str], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """A block's frame with its provenance, in the table's columns and types. Built column by
    column (constants repeated from one value): a lazy `select` of literals costs ~4× as much,
    and this runs for every form of every file in the loader's one process."""
    frame = block.frame
    if not known.issuperset(frame.columns):
        raise _unknown_fields(form, block.rows[0], frame.columns, known)
    n = len(block.rows)

    def repeated(name: str, value: Any, dtype: pl.DataType) -> pl.Series:
        return pl.Series(name, [value], dtype=dtype).new_from_index(0, n)

    provenance = {
        "submission_id": lambda: repeated("submission_id", submission_id, pl.Int64),
        "county_code": lambda: repeated("county_code", result.county_code, pl.Utf8),
        "period": lambda: repeated("period", result.period, pl.Utf8),
        "source_sheet": lambda: repeated("source_sheet", block.sheet, pl.Utf8),
        "source_row": lambda: pl.Series("source_row", block.rows, dtype=pl.Int64),
    }
    have = set(frame.columns)
    columns = []
    for name, dtype in schema.items():
        if name in provenance:
            columns.append(provenance[name]())
        elif name in have:
            column = frame.get_column(name)
            columns.append(column if column.dtype == dtype else column.cast(dtype))
        else:
            columns.append(repeated(name, None, dtype))
    return pl.DataFrame(columns)


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
    # By name: columns the frame leaves out take their defaults (quality.issue.explained).
    # Registering the frame's Arrow stream rather than the frame spares a pyarrow conversion.
    con.register("new_rows", frame.__arrow_c_stream__())
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM new_rows")
    finally:
        con.unregister("new_rows")


def _insert_items(con, table: str, result: CheckResult, submission_id: int, items: list,
                  columns: dict[str, tuple[pl.DataType, Callable]], pending: _Pending | None) -> None:
    """items → table, each row prefixed with its submission's id, county and period."""
    n = len(items)
    if not n:
        return
    data: dict[str, list] = {"submission_id": [submission_id] * n, "county_code": [result.county_code] * n,
                             "period": [result.period] * n}
    schema: dict[str, pl.DataType] = {"submission_id": pl.Int64, "county_code": pl.Utf8, "period": pl.Utf8}
    for name, (dtype, get) in columns.items():
        data[name] = [get(item) for item in items]
        schema[name] = dtype
    frame = pl.DataFrame(data, schema=schema)
    if pending is not None:
        pending.add(table, frame, by_name=True)
    else:
        _insert_frame(con, table, frame)


def _insert_issues(con, result: CheckResult, submission_id: int, pending: _Pending | None = None) -> None:
    _insert_items(con, "quality.issue", result, submission_id, result.issues, {
        "severity": (pl.Utf8, lambda i: i.severity), "rule": (pl.Utf8, lambda i: i.rule),
        "form": (pl.Utf8, lambda i: i.form), "sheet": (pl.Utf8, lambda i: i.sheet),
        "cell": (pl.Utf8, lambda i: i.cell), "row": (pl.Int64, lambda i: i.row),
        "raw_value": (pl.Utf8, lambda i: i.raw_value), "message": (pl.Utf8, lambda i: i.message),
    }, pending)


def _insert_quarantine(con, result: CheckResult, submission_id: int, pending: _Pending | None = None) -> None:
    _insert_items(con, "quality.quarantine", result, submission_id, result.quarantined, {
        "form": (pl.Utf8, lambda q: q.form), "sheet": (pl.Utf8, lambda q: q.sheet),
        "row": (pl.Int64, lambda q: q.row),
        "raw": (pl.Utf8, lambda q: json.dumps(q.raw, ensure_ascii=False)),  # cast to JSON by DuckDB
        "rules": (pl.List(pl.Utf8), lambda q: list(q.rules)),
    }, pending)


def _insert_totals(con, result: CheckResult, submission_id: int, pending: _Pending | None = None) -> None:
    _insert_items(con, "quality.total_row", result, submission_id, result.totals, {
        "form": (pl.Utf8, lambda t: t.form), "sheet": (pl.Utf8, lambda t: t.sheet),
        "row": (pl.Int64, lambda t: t.row), "label": (pl.Utf8, lambda t: t.label),
    }, pending)
