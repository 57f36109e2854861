"""One ingestion run: inbox → archive → check → load → models → alerts.

The same function backs `county-returns ingest` and the Dagster job. Parsing runs in a process
pool (per file, no shared state); loading is serial through one connection (DuckDB has one
writer), and the whole run holds a lock so two runs never interleave.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

from pipelines.config import Config
from pipelines.flow import Receipt, check_receipt, county_folder_of, receive_stamped
from pipelines.model import CheckResult, Records
from pipelines.fileio import atomic_path
from pipelines.runtime import process_map, relaxed_gc

log = logging.getLogger(__name__)
Progress = Callable[[str], None]
IGNORED_PREFIXES = (".", "~$")


class IngestBusy(RuntimeError):
    """Another ingest holds the warehouse lock and did not finish in time."""


@dataclass
class FileOutcome:
    path: Path
    county_code: str | None
    status: str  # accepted / accepted_with_warnings / rejected / unchanged
    records: int = 0
    quarantined: int = 0
    issues: int = 0
    feedback: Path | None = None
    result: CheckResult | None = None


@dataclass
class IngestReport:
    files: list[FileOutcome] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    failed_tests: list[str] = field(default_factory=list)
    mail: list = field(default_factory=list)
    seconds: float = 0.0

    def by_county(self) -> dict[str, list[FileOutcome]]:
        out: dict[str, list[FileOutcome]] = {}
        for f in self.files:
            out.setdefault(f.county_code or f.path.parent.name, []).append(f)
        return dict(sorted(out.items()))


def discover(inbox: Path) -> list[Path]:
    """Every file under inbox/<county>/ (and inbox/<county>/<period>/), in a stable order.
    (Directory entries say what they are: a nightly run lists thousands of archived files
    without a stat or a glob match for each.)"""
    if not inbox.is_dir():
        return []
    found: list[Path] = []
    _walk(str(inbox), True, found)
    return sorted(found)


def _walk(folder: str, top: bool, found: list[Path]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir():  # (following a link, as Path.rglob does)
                _walk(entry.path, False, found)
            elif not top and entry.is_file() and not entry.name.startswith(IGNORED_PREFIXES):
                found.append(Path(entry.path))  # (a file directly in the inbox belongs to no county)


@contextmanager
def warehouse_lock(warehouse: Path, wait_seconds: float = 600.0) -> Iterator[None]:
    """One ingest at a time per warehouse: a second one waits, then gives up clearly."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    lock_path = warehouse.with_name(warehouse.name + ".lock")
    with lock_path.open("w") as fh:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise IngestBusy(f"另一个入库任务正在运行（{lock_path}），{wait_seconds:.0f} 秒内未结束，本次未执行") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def archive_file(receipt: Receipt, archive: Path) -> Path:
    """Content-addressed copy, written once: archive/<sha[:2]>/<sha><suffix>. The inbox file is untouched."""
    target = archive / receipt.sha256[:2] / f"{receipt.sha256}{receipt.path.suffix.lower()}"
    if not target.exists():
        with atomic_path(target) as tmp:
            shutil.copyfile(receipt.path, tmp)
    return target


def _check(args: tuple[Receipt, Config]) -> CheckResult:
    receipt, config = args
    return check_receipt(receipt, None, config.limits)


def iter_checked(receipts: list[Receipt], config: Config) -> Iterator[CheckResult]:
    """Check files in a process pool, yielding results in order as they come, so the serial
    loader works while the pool parses and memory holds only the files in flight."""
    return process_map(_check, [(r, config) for r in receipts], config.workers)


def check_all(receipts: list[Receipt], config: Config) -> list[CheckResult]:
    return list(iter_checked(receipts, config))


def run_ingest(config: Config, progress: Progress = print, alerts: bool = True) -> IngestReport:
    with relaxed_gc():
        return _run_ingest(config, progress, alerts)


def _run_ingest(config: Config, progress: Progress, alerts: bool) -> IngestReport:
    from warehouse.db import connect, load_reference, migrate

    started = time.monotonic()
    report = IngestReport()
    paths = config.paths
    files = discover(paths.inbox)
    progress(f"收件箱 {paths.inbox}：{len(files)} 个文件")
    with warehouse_lock(paths.warehouse):
        con = connect(paths.warehouse)
        try:
            migrate(con)
            load_reference(con)
            known = {row[0] for row in con.execute("SELECT sha256 FROM ops.submission").fetchall()}
            receipts, seen = [], set()
            for receipt in receive_all(con, files):
                path = receipt.path
                if receipt.sha256 in known or receipt.sha256 in seen:
                    report.files.append(FileOutcome(path, receipt.folder_code, "unchanged"))
                    continue
                seen.add(receipt.sha256)
                receipts.append(receipt)
            progress(f"新文件 {len(receipts)} 个，已接收过 {len(report.files)} 个")
            # while the pool's workers have the cores, one DuckDB thread loads a file fastest
            # (per-file inserts are small; more threads only contend with the workers)
            con.execute("SET threads = 1")
            # DuckDB checkpoints whenever its WAL passes 16 MB, and each checkpoint rewrites the
            # tables' partly filled row groups: a province run checkpointed three times, each
            # rewriting all it had loaded so far. The load lets the WAL grow to a fixed bound
            # (not to the size of the inbox) and checkpoints once, near its end (load_checked).
            con.execute(f"SET checkpoint_threshold = '{LOAD_WAL_LIMIT}'")
            report.files += load_checked(con, iter_checked(receipts, config), config,
                                         datetime.now(timezone.utc), progress, keep_records=False,
                                         expected=len(receipts))
            con.execute("RESET checkpoint_threshold")
            con.execute("RESET threads")
            progress(f"入库完成：{len(receipts)} 个文件")
            report.models, report.failed_tests = build_models(con, config)
            # the marts as the analyst copy below will hold them, from this connection (opening
            # the copy again costs more than writing them)
            _export_marts(con, config, progress)
        finally:
            con.close()
        publish_snapshot(paths.warehouse)
    if alerts:
        from pipelines.alerts.dispatch import send_alerts

        report.mail = send_alerts(report, config, progress)
    report.seconds = time.monotonic() - started
    return report


def receive_all(con, files: list[Path]) -> list[Receipt]:
    """Receipts for the inbox's files. A file whose size and modification time match what
    `ops.inbox_file` recorded is not read again (its hash is known); the others are hashed and
    recorded. So a nightly run over a large archive stats it rather than reading it."""
    cached = {path: (size, mtime, sha) for path, size, mtime, sha in
              con.execute("SELECT path, size_bytes, mtime_ns, sha256 FROM ops.inbox_file").fetchall()}
    receipts, hashed = [], []
    for path in files:
        key = str(path.absolute())  # no syscalls, unlike resolve(): a run stats 1,000s of files
        try:
            receipt, stamp = receive_stamped(path, cached.get(key))
        except FileNotFoundError:
            # moved away since the inbox was listed (a county re-uploading): the next run sees
            # it wherever it lands; nothing of it was received, so nothing is lost
            log.warning("%s: gone from the inbox before it was read; skipped this run", path)
            continue
        receipts.append(receipt)
        if stamp != cached.get(key):  # hashed now, or its size or mtime changed
            hashed.append((key, *stamp))
    if hashed:
        import polars as pl

        frame = pl.DataFrame(hashed, schema={"path": pl.Utf8, "size_bytes": pl.Int64, "mtime_ns": pl.Int64,
                                             "sha256": pl.Utf8}, orient="row")
        con.register("hashed_files", frame.__arrow_c_stream__())
        try:
            con.execute("INSERT OR REPLACE INTO ops.inbox_file (path, size_bytes, mtime_ns, sha256)"
                        " SELECT path, size_bytes, mtime_ns, sha256 FROM hashed_files")
        finally:
            con.unregister("hashed_files")
    return receipts


# Files loaded per transaction: one insert per table for all of them, rather than one per
# file and table (DuckDB's cost per statement is most of a small file's load).
LOAD_BATCH = 8
# How much a run's load may leave in DuckDB's WAL before a checkpoint (see _run_ingest).
LOAD_WAL_LIMIT = "128MB"


def load_checked(con, results: Iterable[CheckResult], config: Config, received_at: datetime,
                 progress: Progress = lambda s: None, keep_records: bool = True,
                 expected: int | None = None) -> list[FileOutcome]:
    """Archive each checked file once by hash and load it, serially, a few files per
    transaction (each file still atomic: see `warehouse.load.load_submissions`). Without
    keep_records a loaded result drops its rows (the warehouse has them now): memory stays
    bounded by the files in flight, not by the size of the inbox.

    Given how many results are `expected`, the last few load as each arrives: when the pool
    hands over its last file, only that one is left to load, not a whole batch. Just before
    those, the load checkpoints, while the pool still checks its last files: closing the
    warehouse then has little left to write."""
    from warehouse.load import load_submissions

    outcomes: list[FileOutcome] = []
    batch: list[tuple[CheckResult, str]] = []

    def load_batch() -> None:
        for (result, _), loaded in zip(batch, load_submissions(con, batch, received_at)):
            path = Path(result.path)
            status = "unchanged" if loaded.outcome == "duplicate" else result.status
            outcomes.append(FileOutcome(path, county_folder_of(path) or result.county_code, status,
                                        len(result.records), len(result.quarantined), len(result.issues),
                                        result=result))
            if not keep_records:
                result.records = Records()
            if len(outcomes) % 50 == 0:
                progress(f"  已入库 {len(outcomes)} 个文件")
        batch.clear()

    checked = iter(results)
    received = 0
    while True:
        try:
            result = next(checked)
        except StopIteration:
            break
        except Exception:
            load_batch()  # what was checked before the failure still loads
            raise
        received += 1
        path = Path(result.path)
        receipt = Receipt(path, result.sha256, result.size, county_folder_of(path))
        batch.append((result, str(archive_file(receipt, config.paths.archive))))
        if len(batch) >= LOAD_BATCH or (expected is not None and expected - received < LOAD_BATCH):
            load_batch()
        if expected is not None and expected - received == LOAD_BATCH:
            _checkpoint(con)
    load_batch()
    record_explanations(con, outcomes)
    return outcomes


def _checkpoint(con) -> None:
    """Write what the WAL holds into the database file now; if DuckDB declines (another
    transaction open), closing the warehouse does it as it always would."""
    import duckdb

    try:
        con.execute("CHECKPOINT")
    except duckdb.Error as exc:
        log.info("checkpoint deferred to the end of the run: %s", exc)


def record_explanations(con, outcomes: list[FileOutcome]) -> None:
    """A returned 问题清单 with 说明 filled: record the explanations, mark those warnings explained."""
    from pipelines.alerts.catalogue import ISSUE_SHEET

    for outcome in outcomes:
        result = outcome.result
        # the sheet names the check read tell which files to open again (few: returned feedback)
        if result is None or result.rejected or ISSUE_SHEET not in result.sheets:
            continue
        # openpyxl is loaded only for them
        from pipelines.alerts.feedback import is_feedback_workbook, read_explanations

        if not is_feedback_workbook(outcome.path):
            continue
        sub = con.execute("SELECT submission_id, received_at FROM ops.submission WHERE sha256 = ?",
                          [result.sha256]).fetchone()
        for ex in read_explanations(outcome.path):
            con.execute(
                "INSERT INTO quality.explanation (county_code, period, sheet, cell, rule, text, received_at, submission_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [result.county_code, result.period, ex.sheet, ex.cell, ex.rule, ex.text, sub[1], sub[0]])
            con.execute(
                "UPDATE quality.issue SET explained = true WHERE county_code = ? AND period = ?"
                " AND rule = ? AND cell = ? AND coalesce(sheet, '') = coalesce(?, '') AND severity = 'warning'",
                [result.county_code, result.period, ex.rule, ex.cell, ex.sheet])


def build_models(con, config: Config) -> tuple[list[str], list[str]]:
    from warehouse.models import run_models, run_tests

    from pipelines.cross_county import record_cross_county_warnings

    _fill_calendar(con, config)
    built = run_models(con)
    record_cross_county_warnings(con)
    failed = [t.name for t in run_tests(con) if not t.passed]
    return built, failed


def _fill_calendar(con, config: Config) -> None:
    from pipelines.calendar import fill_reporting_calendar

    fill_reporting_calendar(con, config.calendar)


def publish_snapshot(warehouse: Path) -> Path:
    """Analysts read a copy, swapped in by atomic rename: a reader never blocks the writer."""
    snapshot = analyst_snapshot_path(warehouse)
    with atomic_path(snapshot) as tmp:
        shutil.copyfile(warehouse, tmp)
    return snapshot


def analyst_snapshot_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.stem + "_analyst" + warehouse.suffix)


def _export_marts(con, config: Config, progress: Progress) -> None:
    from pipelines.exports import export_marts

    written = export_marts(con, config.paths.exports)
    if written:
        progress(f"导出 {len(written)} 个数据集市到 {config.paths.exports}")
