"""Emails to counties and the province office, and sending them over SMTP.

Every compose_* function returns a plain `EmailMessage` tagged with who it is for
(`RECIPIENT_HEADER`: a county code, or `PROVINCE` for the digest); `send_messages` looks the
addresses up in `SmtpSettings.county_addresses`, so composing needs no configuration.
Text echoed from returns goes through `redact_personal` (CONTRACT: no personal data out).
"""

from __future__ import annotations

import copy
import os
import smtplib
import ssl
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Any, Literal

from pipelines.alerts.catalogue import (
    RULES,
    SEVERITY_LABELS,
    STATUS_LABELS,
    form_label,
    rule_fix,
    rule_label,
)
from pipelines.alerts.redact import redact_personal
from pipelines.model import CheckResult, Issue

SUBJECT_PREFIX = "【county-returns】"
RECIPIENT_HEADER = "X-County-Returns-Recipient"
PROVINCE = "province"  # county_addresses key of the province office (digest)
XLSX_SUBTYPE = "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SIGNATURE = "（本邮件由 county-returns 报表系统自动发送。如有疑问，请与自治区扶贫办联系。）"

# Cap on issues listed per file in an email; the rest are in the attached 问题清单.
MAX_ISSUES_PER_FILE = 30
MAX_DIGEST_ROWS = 50

_REPORTING_STATUS_LABELS = {
    "received": "按时报送",
    "late": "逾期报送",
    "resubmitted": "重新报送",
    "missing": "未报送",
}


@dataclass
class SmtpSettings:
    host: str
    port: int
    starttls: bool
    username: str | None
    password: str | None
    sender: str  # "自治区扶贫办 <fpb@example.gov.cn>" or a bare address
    dry_run_dir: Path | None
    county_addresses: dict[str, list[str]]  # county code (or "province") -> addresses
    use_ssl: bool = False  # implicit TLS (port 465) instead of STARTTLS
    timeout: float = 30.0


@dataclass(frozen=True)
class SendOutcome:
    county: str  # county code, or "province"
    status: Literal["sent", "dry_run", "no_address", "failed"]
    subject: str
    recipients: tuple[str, ...] = ()
    path: Path | None = None  # the .eml written in a dry run
    error: str | None = None
    refused: tuple[str, ...] = field(default_factory=tuple)  # addresses the server refused


# --- composing -------------------------------------------------------------------------


def compose_county_email(
    county_code: str,
    county_name: str,
    period: str | None,
    results: list[CheckResult],
    attachments: list[Path],
) -> EmailMessage:
    """One county's review summary for a period: per file its status and issues, what to do."""
    counts = _severity_counts(i for r in results for i in r.issues)
    rejected_files = sum(1 for r in results if r.rejected)
    if rejected_files or counts["error"] or counts["warning"]:
        parts = [f"{rejected_files} 个文件被退回"] if rejected_files else []
        parts.append(f"{counts['error']} 个错误，{counts['warning']} 个警告")
        outcome = "，".join(parts)
    else:
        outcome = "全部通过"
    subject = f"{SUBJECT_PREFIX}{county_name} {_period(period)} 报表审核结果：{outcome}"

    folder = _drop_folder(county_code)
    lines = [f"{county_name}扶贫办：", "", f"    您单位报送的 {_period(period)} 报表已审核，结果如下。", ""]
    for n, result in enumerate(results, start=1):
        lines += _file_section(n, result)
    has_errors = counts["error"] > 0
    has_warnings = counts["warning"] > 0
    if rejected_files or has_errors or has_warnings:
        lines += ["怎么处理："]
        todo = []
        if rejected_files:
            todo.append(f"被退回的文件没有入库：请按退回原因修改后，把文件重新放入报送目录 {folder}。")
        if has_errors:
            todo.append(
                f"标红的单元格是错误，所在行暂未入库：请在附件（或原表）中改正后，把文件重新放入报送目录 {folder}。"
            )
        if has_warnings:
            todo.append(
                "标黄的单元格是警告，数据已入库，请核实：填写有误的，改正后重新报送；数据无误的，"
                "请在附件“问题清单”工作表最后一列“说明”中写明原因，保存后把该附件放入报送目录 "
                f"{folder}。"
            )
        lines += [f"    {i}. {t}" for i, t in enumerate(todo, start=1)]
        lines.append("")
    if attachments:
        lines.append("附件（问题反馈表，问题单元格已标出，并附“问题清单”）：")
        lines += [f"    {Path(p).name}" for p in attachments]
        lines.append("")
    lines.append(SIGNATURE)

    msg = _message(county_code, subject, lines)
    for path in attachments:
        path = Path(path)
        maintype, subtype = ("application", XLSX_SUBTYPE)
        if path.suffix.lower() != ".xlsx":
            maintype, subtype = ("application", "octet-stream")
        msg.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
    return msg


def compose_reminder(
    county_code: str,
    county_name: str,
    period: str | None,
    missing_forms: Sequence[str],
    late_forms: Sequence[str],
    due_date: date | datetime | str | None,
    *,
    as_of: date | None = None,
) -> EmailMessage:
    """催报: forms not yet received for a period, and forms received after the due date."""
    as_of = as_of or date.today()
    parts = []
    if missing_forms:
        parts.append(f"{len(missing_forms)} 张报表未报送")
    if late_forms:
        parts.append(f"{len(late_forms)} 张报表逾期报送")
    kind = "报表催报" if missing_forms else "逾期提醒"
    subject = f"{SUBJECT_PREFIX}{county_name} {_period(period)} {kind}：{'，'.join(parts) or '无'}"

    due = _date_text(due_date)
    lines = [f"{county_name}扶贫办：", ""]
    if missing_forms:
        lines.append(
            f"    {_period(period)} 报表的报送截止日期为 {due}。截至 {as_of.isoformat()}，"
            "您单位以下报表尚未报送："
        )
        lines += [f"    {i}. {form_label(f)}" for i, f in enumerate(missing_forms, start=1)]
        lines += [
            f"    请尽快按统一模板填写，放入报送目录 {_drop_folder(county_code)}。如本期确无此项内容，"
            "请报送空表并在表中注明“本期无”。",
            "",
        ]
    if late_forms:
        lines.append(f"    以下 {_period(period)} 报表已收到，但晚于截止日期（{due}）：")
        lines += [f"    {i}. {form_label(f)}" for i, f in enumerate(late_forms, start=1)]
        lines += ["    请今后按时报送。", ""]
    lines.append(SIGNATURE)
    return _message(county_code, subject, lines)


def compose_confirm_request(
    county_code: str,
    county_name: str,
    period: str | None,
    findings: Sequence[Issue | Mapping[str, Any]],
) -> EmailMessage:
    """请核实或说明: cross-county `outlier` and `yoy_change` warnings for one county."""
    issues = [_as_issue(f) for f in findings]
    subject = f"{SUBJECT_PREFIX}{county_name} {_period(period)} 数据核实：请核实或说明（{len(issues)} 项）"
    lines = [
        f"{county_name}扶贫办：",
        "",
        f"    经与全区各县（市、区）同期数据、本县（市、区）上期数据比较，您单位 {_period(period)} "
        "报表中以下数据差异较大，请核实或说明：",
    ]
    for n, issue in enumerate(issues, start=1):
        name = RULES[issue.rule].name if issue.rule in RULES else issue.rule
        where = "，".join(x for x in (form_label(issue.form), _location(issue)) if x)
        value = f"，填写值「{redact_personal(issue.raw_value)}」" if issue.raw_value else ""
        head = f"【{name}】{where}{value}" if where or value else f"【{name}】"
        lines.append(f"    {n}. {head}：{redact_personal(issue.message)}")
    lines += [
        "",
        "    请核实：数据有误的，请改正后把报表重新放入报送目录 "
        f"{_drop_folder(county_code)}；数据无误的，请说明原因（可在问题反馈表“问题清单”的“说明”栏填写后发回，"
        "或直接回复本邮件）。",
        "",
        SIGNATURE,
    ]
    return _message(county_code, subject, lines)


def compose_province_digest(
    rows_by_status: Mapping[str, Sequence[Mapping[str, Any]] | int],
    top_problems: Sequence[tuple[str, int]],
    changes_since_yesterday: Sequence[str],
    *,
    as_of: date | None = None,
) -> EmailMessage:
    """The province office's daily digest.

    rows_by_status: `marts.reporting_status` rows grouped by status (a count is accepted too);
    top_problems: (rule code, count), most frequent first; changes_since_yesterday: lines.
    """
    as_of = as_of or date.today()
    counts = {s: (rows if isinstance(rows, int) else len(rows)) for s, rows in rows_by_status.items()}
    headline = "，".join(
        f"{_status_label(s)} {counts[s]} 张" for s in ("missing", "late") if counts.get(s)
    ) or "无未报、逾期"
    subject = f"{SUBJECT_PREFIX}全区报表日报 {as_of.isoformat()}：{headline}"

    lines = ["自治区扶贫办：", "", f"    截至 {as_of.isoformat()}，各县（市、区）报表情况如下。", "", "一、报送情况"]
    for status, count in counts.items():
        lines.append(f"    {_status_label(status)}：{count} 张")
    for status in ("missing", "late"):
        rows = rows_by_status.get(status)
        if isinstance(rows, int) or not rows:
            continue
        lines.append(f"    {_status_label(status)}明细：")
        for row in list(rows)[:MAX_DIGEST_ROWS]:
            county = " ".join(str(row[k]) for k in ("county_code", "county_name") if row.get(k))
            lines.append(f"      {county} {row.get('period', '')} {form_label(row.get('form'))}".rstrip())
        if len(rows) > MAX_DIGEST_ROWS:
            lines.append(f"      ……其余 {len(rows) - MAX_DIGEST_ROWS} 条略")
    lines += ["", "二、主要问题（按出现次数）"]
    if top_problems:
        lines += [f"    {n}. {rule_label(rule)}：{count} 次" for n, (rule, count) in enumerate(top_problems, start=1)]
    else:
        lines.append("    无")
    lines += ["", "三、与昨日相比的变化"]
    lines += [f"    - {redact_personal(c)}" for c in changes_since_yesterday] or ["    无变化"]
    lines += ["", SIGNATURE]
    return _message(PROVINCE, subject, lines)


# --- sending ---------------------------------------------------------------------------


def send_messages(messages: Sequence[EmailMessage], settings: SmtpSettings) -> list[SendOutcome]:
    """Send each message to its county's addresses; one failure does not stop the others.

    Dry run (`settings.dry_run_dir`): each message is written as `<batch>_<n>_<county>.eml`
    instead (batch = the sending time, so later runs never overwrite earlier mail),
    including messages for counties without an address (outcome `no_address`, `path` set),
    so a preview shows everything a real run would try.
    """
    outcomes: list[SendOutcome] = []
    sender_address = parseaddr(settings.sender)[1] or settings.sender
    smtp: smtplib.SMTP | None = None
    batch = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    try:
        for n, original in enumerate(messages, start=1):
            key = str(original.get(RECIPIENT_HEADER) or "unknown")
            recipients = tuple(a for a in settings.county_addresses.get(key, []) if a)
            msg = _addressed(original, settings.sender, recipients)
            subject = str(msg.get("Subject", ""))
            if settings.dry_run_dir is not None:
                path = _write_eml(msg, Path(settings.dry_run_dir) / f"{batch}_{n:03d}_{key}.eml")
                status = "dry_run" if recipients else "no_address"
                outcomes.append(SendOutcome(key, status, subject, recipients, path))
                continue
            if not recipients:
                outcomes.append(SendOutcome(key, "no_address", subject))
                continue
            try:
                if smtp is None:
                    smtp = _connect(settings)
                refused = smtp.send_message(msg, from_addr=sender_address, to_addrs=list(recipients))
            except (smtplib.SMTPException, OSError) as exc:
                outcomes.append(SendOutcome(key, "failed", subject, recipients, error=f"{type(exc).__name__}: {exc}"))
                smtp = _disconnect(smtp)  # the next county gets a fresh connection
                continue
            outcomes.append(SendOutcome(key, "sent", subject, recipients, refused=tuple(refused)))
    finally:
        _disconnect(smtp)
    return outcomes


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.use_ssl:
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.starttls and not settings.use_ssl:
            smtp.starttls(context=context)
        if settings.username:
            smtp.login(settings.username, settings.password or "")
    except (smtplib.SMTPException, OSError):
        _disconnect(smtp)
        raise
    return smtp


def _disconnect(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return None
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()
    return None


def _addressed(original: EmailMessage, sender: str, recipients: tuple[str, ...]) -> EmailMessage:
    msg = copy.deepcopy(original)  # the caller's message stays reusable
    if "From" not in msg:
        msg["From"] = sender
    if "To" not in msg and recipients:
        msg["To"] = ", ".join(recipients)
    if "Message-ID" not in msg:
        domain = parseaddr(sender)[1].rpartition("@")[2] or None
        msg["Message-ID"] = make_msgid(domain=domain)
    return msg


def _write_eml(msg: EmailMessage, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(msg.as_bytes())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# --- text helpers ----------------------------------------------------------------------


def _message(recipient: str, subject: str, lines: list[str]) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg[RECIPIENT_HEADER] = recipient
    # base64 keeps Chinese text intact through relays without 8BITMIME.
    msg.set_content("\n".join(lines) + "\n", charset="utf-8", cte="base64")
    return msg


def _file_section(n: int, result: CheckResult) -> list[str]:
    counts = _severity_counts(result.issues)
    status = STATUS_LABELS.get(result.status, result.status)
    lines = [f"【文件 {n}】{result.file}"]
    if result.rejected:
        lines.append(f"    状态：{status}（未入库）")
        for issue in (i for i in result.issues if i.severity == "reject"):
            lines.append(f"    退回原因：{redact_personal(issue.message)}")
            lines.append(f"    修改办法：{rule_fix(issue.rule)}")
        return lines + [""]
    if not result.issues:
        return lines + [f"    状态：{status}，未发现问题。", ""]
    lines.append(f"    状态：{status}（错误 {counts['error']} 个，警告 {counts['warning']} 个）")
    lines.append("    问题：")
    ranked = sorted(result.issues, key=lambda i: 0 if i.severity == "error" else 1)
    for k, issue in enumerate(ranked[:MAX_ISSUES_PER_FILE], start=1):
        where = _location(issue) or "整个文件"
        value = f"，填写值「{redact_personal(issue.raw_value)}」" if issue.raw_value else ""
        label = SEVERITY_LABELS.get(issue.severity, issue.severity)
        lines.append(f"    {k}. [{label}] {where}{value}：{redact_personal(issue.message)}")
    if len(ranked) > MAX_ISSUES_PER_FILE:
        lines.append(f"    ……其余 {len(ranked) - MAX_ISSUES_PER_FILE} 个问题见附件“问题清单”。")
    return lines + [""]


def _severity_counts(issues) -> dict[str, int]:
    counts = {"reject": 0, "error": 0, "warning": 0}
    for issue in issues:
        counts[issue.severity] = counts.get(issue.severity, 0) + 1
    return counts


def _location(issue: Issue) -> str:
    if issue.cell:
        return f"{issue.sheet}!{issue.cell}" if issue.sheet else issue.cell
    if issue.row is not None:
        return f"{issue.sheet + ' ' if issue.sheet else ''}第{issue.row}行"
    return issue.sheet or ""


def _as_issue(finding: Issue | Mapping[str, Any]) -> Issue:
    if isinstance(finding, Issue):
        return finding
    fields = ("severity", "rule", "message", "form", "sheet", "cell", "row", "raw_value")
    values = {k: finding.get(k) for k in fields}
    values["severity"] = values["severity"] or "warning"
    values["message"] = values["message"] or ""
    return Issue(**values)


def _status_label(status: str) -> str:
    return _REPORTING_STATUS_LABELS.get(status) or STATUS_LABELS.get(status) or status


def _period(period: str | None) -> str:
    return period or "（报告期未识别）"


def _date_text(value: date | datetime | str | None) -> str:
    if value is None:
        return "（未规定）"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _drop_folder(county_code: str | None) -> str:
    return f"inbox/{county_code}/" if county_code else "本单位的报送目录"
