"""The inbox sensor (one run per new file) and the run-failure alert to the province.

inbox_sensor: each tick lists the inbox, hashes what changed and requests one run of the
county × period partition per file whose content (SHA-256) it has not seen, so the same file
is never run twice, whatever its name. The cursor holds every SHA-256 seen, plus the size and
mtime of each inbox file so that unchanged files are not hashed again.

run_failure_alert: a failed run leaves a JSON record under outbox/_province/run_failures/ and
an email to the province office (an .eml beside it in a dry run).
"""

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg

from pipelines.assets import PARTITIONED_ASSETS
from pipelines.assets.constants import FILE_TAG, INBOX_FILES_OP, SHA256_TAG
from pipelines.assets.intake import InboxFilesConfig
from pipelines.partitions import county_key_of, county_partitions, partition_key, period_key, period_partitions
from pipelines.resources import CountyReturnsResource

# Each new file is read once here to learn its period (0.01–0.2 s for a county return); the
# rest wait for the next tick, so a tick stays well inside the sensor timeout.
MAX_NEW_FILES_PER_TICK = 50
CURSOR_VERSION = 1
RUN_FAILURES_DIR = Path("_province") / "run_failures"

county_month_job = dg.define_asset_job(
    "county_month_job",
    selection=dg.AssetSelection.assets(*PARTITIONED_ASSETS).without_checks(),  # partitioned county × period
    description="One county's returns for one period: receive, check, load, feedback to the county.",
)


@dataclass
class InboxCursor:
    seen: set[str] = field(default_factory=set)  # SHA-256 of every file content requested
    stat: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # inbox path → size, mtime_ns, sha256

    @classmethod
    def parse(cls, text: str | None) -> "InboxCursor":
        if not text:
            return cls()
        data = json.loads(text)
        if data.get("v") != CURSOR_VERSION:
            raise ValueError(f"inbox sensor cursor version {data.get('v')!r}, expected {CURSOR_VERSION}")
        return cls(set(data["seen"]), {p: tuple(s) for p, s in data["stat"].items()})

    def serialize(self) -> str:
        return json.dumps({"v": CURSOR_VERSION, "seen": sorted(self.seen),
                           "stat": {p: list(s) for p, s in sorted(self.stat.items())}},
                          ensure_ascii=False, separators=(",", ":"))

    def unseen(self, files: list[Path], inbox: Path) -> list:
        """Receipts of the files whose content is new, first occurrence only, in inbox order.
        Refreshes the stat cache (and forgets files no longer in the inbox)."""
        from pipelines.flow import receive_stamped

        stat, out, this_tick = {}, [], set()
        for path in files:
            rel = str(path.relative_to(inbox))
            receipt, stat[rel] = receive_stamped(path, self.stat.get(rel))
            if receipt.sha256 not in self.seen and receipt.sha256 not in this_tick:
                this_tick.add(receipt.sha256)
                out.append(receipt)
        self.stat = stat
        return out


@dg.sensor(
    name="inbox_sensor",
    job=county_month_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="One run of its county × period partition per new inbox file (run key = SHA-256).",
)
def inbox_sensor(context: dg.SensorEvaluationContext, county_returns: CountyReturnsResource):
    from pipelines.ingest import discover

    config = county_returns.config()
    inbox = config.paths.inbox
    cursor = InboxCursor.parse(context.cursor)
    pending = cursor.unseen(discover(inbox), inbox)
    requests, counties, periods = [], set(), set()
    for receipt in pending[:MAX_NEW_FILES_PER_TICK]:
        county = county_key_of(receipt.path)
        period = _period_of(context, receipt, config)
        counties.add(county)
        periods.add(period)
        cursor.seen.add(receipt.sha256)
        requests.append(dg.RunRequest(
            run_key=receipt.sha256,
            partition_key=partition_key(county, period),
            run_config=dg.RunConfig(ops={INBOX_FILES_OP: InboxFilesConfig(sha256=[receipt.sha256])}),
            tags={SHA256_TAG: receipt.sha256, FILE_TAG: str(receipt.path.relative_to(inbox))},
        ))
    if len(pending) > MAX_NEW_FILES_PER_TICK:
        context.log.info(f"{len(pending) - MAX_NEW_FILES_PER_TICK} more new files wait for the next tick")
    if not requests:
        return dg.SensorResult(skip_reason="no new files in the inbox", cursor=cursor.serialize())
    return dg.SensorResult(
        run_requests=requests,
        cursor=cursor.serialize(),
        # Adding a key that exists is a no-op, so the tick needs no instance lookup.
        dynamic_partitions_requests=[county_partitions.build_add_request(sorted(counties)),
                                     period_partitions.build_add_request(sorted(periods))],
    )


def _period_of(context: dg.SensorEvaluationContext, receipt, config) -> str:
    """The period `check` finds (a cell beats the file name); the run checks the file again."""
    from pipelines.flow import check_receipt

    try:
        return period_key(check_receipt(receipt, None, config.limits).period)
    except Exception as exc:  # noqa: BLE001 — a reader bug must not stall the sensor on one file
        # The run for the unknown period hits the same error, fails, and run_failure_alert reports it.
        context.log.error(f"{receipt.path}: check failed in the sensor ({type(exc).__name__}: {exc})")
        return period_key(None)


@dg.run_failure_sensor(
    name="run_failure_alert",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Record every failed run under outbox/_province/run_failures/ and tell the province office.",
)
def run_failure_alert(context: dg.RunFailureSensorContext, county_returns: CountyReturnsResource):
    steps = [(e.step_key, e.event_specific_data.error.message.strip() if e.event_specific_data.error else "")
             for e in context.get_step_failure_events()]
    path = record_run_failure(context.dagster_run, context.failure_event.message or "", steps, county_returns.config())
    context.log.info(f"run {context.dagster_run.run_id} failure recorded at {path}")


def record_run_failure(run, message: str, steps: list[tuple[str | None, str]], config) -> Path:
    """Write the failure as JSON (atomically) and send the province office an email about it."""
    from pipelines.alerts.dispatch import smtp_settings
    from pipelines.alerts.email import send_messages

    failed_at = datetime.now(timezone.utc)
    folder = config.paths.outbox / RUN_FAILURES_DIR
    record = {
        "run_id": run.run_id,
        "job": run.job_name,
        "partition": run.tags.get("dagster/partition"),
        "file": run.tags.get(FILE_TAG),
        "sha256": run.tags.get(SHA256_TAG),
        "failed_at": failed_at.isoformat(),
        "message": message,
        "steps": [{"step": step, "error": error} for step, error in steps],
    }
    path = folder / f"{failed_at:%Y%m%dT%H%M%SZ}_{run.run_id}.json"
    _write_atomically(path, json.dumps(record, ensure_ascii=False, indent=2))
    settings = smtp_settings(config)
    if settings.dry_run_dir is not None:
        settings.dry_run_dir = folder / run.run_id  # beside the record, never over another run's mail
    send_messages([_failure_message(record)], settings)
    return path


def _failure_message(record: dict):
    from email.message import EmailMessage
    from email.utils import formatdate

    from pipelines.alerts.email import PROVINCE, RECIPIENT_HEADER, SIGNATURE, SUBJECT_PREFIX
    from pipelines.alerts.redact import redact_personal

    where = record["partition"] or "全省"
    lines = ["自治区扶贫办：", "", f"    报表流水线运行失败（{record['job']}，{where}），请数据管理员处理。", "",
             f"    运行编号：{record['run_id']}", f"    失败时间：{record['failed_at']}"]
    if record["file"]:
        lines.append(f"    触发文件：{redact_personal(record['file'])}")
    lines.append(f"    原因：{redact_personal(record['message'])}")
    for step in record["steps"]:
        first_line = (step["error"] or "").splitlines()[0] if step["error"] else ""
        lines.append(f"    - {step['step']}：{redact_personal(first_line)}")
    lines += ["", "    在 Dagster 界面的 Runs 页面按运行编号可查看完整日志；修复后可对该分区重新运行。", "", SIGNATURE]
    msg = EmailMessage()
    msg["Subject"] = f"{SUBJECT_PREFIX}流水线运行失败：{record['job']}（{where}）"
    msg["Date"] = formatdate(localtime=True)
    msg[RECIPIENT_HEADER] = PROVINCE
    msg.set_content("\n".join(lines) + "\n", charset="utf-8", cte="base64")
    return msg


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
