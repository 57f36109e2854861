"""After a run: feedback workbooks into the outbox, one email per county, reminders, digest.

Reads the run's CheckResults (nothing re-parsed) and the analyst snapshot of the warehouse.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from pipelines.alerts.email import (SmtpSettings, compose_confirm_request, compose_county_email,
                                    compose_province_digest, compose_reminder, send_messages)
from pipelines.alerts.feedback import feedback_path, write_feedback_workbook
from pipelines.alerts.reminders import reminders_from_status
from pipelines.intake.counties import county_index
from pipelines.runtime import process_map

if TYPE_CHECKING:
    from pipelines.config import Config
    from pipelines.ingest import IngestReport


def smtp_settings(config: "Config") -> SmtpSettings:
    s = config.smtp
    return SmtpSettings(host=s.host, port=s.port, starttls=s.starttls, username=s.username,
                        password=s.password, sender=s.sender,
                        dry_run_dir=config.paths.outbox / "_mail" if s.dry_run else None,
                        county_addresses=dict(s.county_addresses))


def _feedback_job(job: tuple) -> Path:
    result, source, out, limits = job
    grids = None
    if not result.rejected and result.file_type not in ("xlsx", "xlsm"):
        # CSV and .xls cannot be re-opened by openpyxl: give the writer their cells
        from pipelines.intake.read import read_grids

        grids = [(g.name, g.rows) for g in read_grids(source, result.file_type or "csv", limits)]
    return write_feedback_workbook(result, source, out, grids)


def write_feedback(report: "IngestReport", config: "Config", progress: Callable[[str], None]) -> None:
    """One feedback workbook per file with issues; on a pool of workers when there are several
    (each is the county's own workbook opened and saved by openpyxl, a few tenths of a second)."""
    todo = [o for o in report.files if o.result is not None and o.result.issues]
    jobs = [(o.result, o.path, feedback_path(config.paths.outbox, o.result.county_code or o.path.parent.name,
                                             o.result.period, o.result.file), config.limits) for o in todo]
    written = list(process_map(_feedback_job, jobs, config.workers))
    for outcome, path in zip(todo, written):
        outcome.feedback = path
    if written:
        progress(f"问题反馈表 {len(written)} 份，写入 {config.paths.outbox}")


def send_alerts(report: "IngestReport", config: "Config", progress: Callable[[str], None]) -> list:
    """Both halves, as one nightly batch run does them."""
    return (send_county_alerts(report, config, progress)
            + send_province_alerts(report, config, progress))


def send_county_alerts(report: "IngestReport", config: "Config", progress: Callable[[str], None]) -> list:
    """Feedback workbooks and one email per county × period for the files of this run."""
    write_feedback(report, config, progress)
    names = county_index().current
    groups: dict[tuple[str, str | None], list] = {}
    for outcome in report.files:
        if outcome.result is not None:
            key = (outcome.county_code or outcome.path.parent.name, outcome.result.period)
            groups.setdefault(key, []).append(outcome)
    messages = []
    for (county, period), outcomes in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        name = names[county].name if county in names else county
        messages.append(compose_county_email(county, name, period, [o.result for o in outcomes],
                                             [o.feedback for o in outcomes if o.feedback]))
    return _send(messages, config, progress)


def send_province_alerts(report: "IngestReport", config: "Config", progress: Callable[[str], None]) -> list:
    """Reminders for missing and late returns, confirm-or-explain requests, the province digest."""
    return _send(_reminders_and_digest(report, config), config, progress)


def _send(messages: list, config: "Config", progress: Callable[[str], None]) -> list:
    outcomes = send_messages(messages, smtp_settings(config)) if messages else []
    if outcomes:
        counts = Counter(o.status for o in outcomes)
        progress("邮件：" + "，".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return outcomes


def _reminders_and_digest(report: "IngestReport", config: "Config") -> list:
    import duckdb

    from pipelines.ingest import analyst_snapshot_path

    snapshot = analyst_snapshot_path(config.paths.warehouse)
    if not snapshot.exists():
        return []
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        status_rows = [dict(zip([d[0] for d in cur.description], row))
                       for cur in [con.execute("SELECT * FROM marts.reporting_status")] for row in cur.fetchall()]
        top = con.execute("SELECT rule, count(*) FROM quality.issue GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10").fetchall()
        cur = con.execute("SELECT * FROM quality.issue WHERE rule IN ('outlier', 'yoy_change') AND NOT explained"
                          " ORDER BY county_code, period")
        cross = [dict(zip([d[0] for d in cur.description], row)) for row in cur.fetchall()]
    finally:
        con.close()
    names = county_index().current
    messages = [compose_reminder(r.county_code, names[r.county_code].name if r.county_code in names else r.county_code,
                                 r.period, r.missing_forms, r.late_forms, r.due_date)
                for r in reminders_from_status(status_rows)]
    by_county: dict[tuple[str, str], list[dict]] = {}
    for issue in cross:
        by_county.setdefault((issue["county_code"], issue["period"]), []).append(issue)
    messages += [compose_confirm_request(code, names[code].name if code in names else code, period, findings)
                 for (code, period), findings in by_county.items()]
    by_status: dict[str, list] = {}
    for row in status_rows:
        by_status.setdefault(row["status"], []).append(row)
    changes = [f"{f.path.parent.name}/{f.path.name}: {f.status}" for f in report.files if f.status != "unchanged"]
    messages.append(compose_province_digest(by_status, [(r, n) for r, n in top], changes))
    return messages
