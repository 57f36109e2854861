"""County emails, reminders and the digest, sent to a local SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import io
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from openpyxl import Workbook, load_workbook

from pipelines.alerts.email import (
    RECIPIENT_HEADER,
    SmtpSettings,
    compose_confirm_request,
    compose_county_email,
    compose_province_digest,
    compose_reminder,
    send_messages,
)
from pipelines.alerts.feedback import ISSUE_SHEET, write_feedback_workbook
from pipelines.model import CheckResult, Issue

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class StoringHandler:
    """Keeps every message; refuses recipients in `refuse` with a 550."""

    messages: list = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server() -> Iterator[tuple[StoringHandler, int]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = StoringHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def _settings(port: int, **overrides) -> SmtpSettings:
    values = dict(
        host="127.0.0.1",
        port=port,
        starttls=False,
        username=None,
        password=None,
        sender="自治区扶贫办 <fpb@example.gov.cn>",
        dry_run_dir=None,
        county_addresses={"450224": ["ra-fpb@example.gov.cn"], "450225": ["rs-fpb@example.gov.cn"]},
        timeout=5.0,
    )
    values.update(overrides)
    return SmtpSettings(**values)


def _result() -> CheckResult:
    return CheckResult(
        file="融安县资金投入2018年8月.xlsx",
        path="inbox/450224/融安县资金投入2018年8月.xlsx",
        sha256="0" * 64,
        size=1000,
        county_code="450224",
        period="2018-08",
        issues=[
            Issue("error", "unparseable_value", "C5「1.2.3万」不是有效金额，请填写数字，如 1492万元", "fund", "资金投入", "C5", 5, "1.2.3万"),
            Issue("error", "out_of_range", "D6「-20」金额不能为负数", "fund", "资金投入", "D6", 6, "-20"),
            Issue("warning", "sum_mismatch", "合计行 C9 与明细之和不符", "fund", "资金投入", "C9", 9, "填表人：张三 13812345678"),
        ],
        file_type="xlsx",
    )


def _rejected() -> CheckResult:
    return CheckResult(
        file="村集体经济.pdf", path="inbox/450224/村集体经济.pdf", sha256="1" * 64, size=10, county_code="450224",
        period="2018-08", issues=[Issue("reject", "unsupported_type", "“村集体经济.pdf”不是 Excel 或 CSV 文件")],
        file_type=None,
    )


@pytest.fixture
def feedback_xlsx(tmp_path: Path) -> Path:
    source = tmp_path / "融安县资金投入2018年8月.xlsx"
    wb = Workbook()
    wb.active.title = "资金投入"
    wb.active["C5"] = "1.2.3万"
    wb.save(source)
    return write_feedback_workbook(_result(), source, tmp_path / "融安县资金投入2018年8月_问题反馈.xlsx")


def _body(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def test_county_email_subject_body_and_attachment(feedback_xlsx: Path) -> None:
    msg = compose_county_email("450224", "融安县", "2018-08", [_result(), _rejected()], [feedback_xlsx])

    assert msg["Subject"] == "【county-returns】融安县 2018-08 报表审核结果：1 个文件被退回，2 个错误，1 个警告"
    assert msg[RECIPIENT_HEADER] == "450224"
    body = _body(msg)
    assert body.startswith("融安县扶贫办：")
    assert "【文件 1】融安县资金投入2018年8月.xlsx" in body
    assert "状态：已接收但有问题（错误 2 个，警告 1 个）" in body
    assert "1. [错误] 资金投入!C5，填写值「1.2.3万」：C5「1.2.3万」不是有效金额" in body
    assert "【文件 2】村集体经济.pdf" in body and "状态：已退回（未入库）" in body
    assert "另存为" in body  # the unsupported_type fix
    assert "inbox/450224/" in body and "“说明”" in body
    assert "张三" not in body and "13812345678" not in body
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_content_type() == XLSX_TYPE
    assert attachment.get_filename() == "融安县资金投入2018年8月_问题反馈.xlsx"


def test_clean_submission_subject() -> None:
    clean = CheckResult(file="a.xlsx", path="a.xlsx", sha256="2" * 64, size=1, county_code="450224", period="2018-08")
    msg = compose_county_email("450224", "融安县", "2018-08", [clean], [])
    assert msg["Subject"] == "【county-returns】融安县 2018-08 报表审核结果：全部通过"
    assert "状态：已接收，未发现问题。" in _body(msg)
    assert list(msg.iter_attachments()) == []


def test_send_delivers_to_local_smtp(smtp_server, feedback_xlsx: Path) -> None:
    handler, port = smtp_server
    msg = compose_county_email("450224", "融安县", "2018-08", [_result()], [feedback_xlsx])

    (outcome,) = send_messages([msg], _settings(port))

    assert (outcome.county, outcome.status, outcome.recipients) == ("450224", "sent", ("ra-fpb@example.gov.cn",))
    (mail_from, rcpt_tos, content) = handler.messages[0]
    assert mail_from == "fpb@example.gov.cn" and rcpt_tos == ["ra-fpb@example.gov.cn"]
    received = email.message_from_bytes(content, policy=email.policy.default)
    assert received["Subject"] == "【county-returns】融安县 2018-08 报表审核结果：2 个错误，1 个警告"
    assert received["To"] == "ra-fpb@example.gov.cn"
    assert "自治区扶贫办" in received["From"]
    body = _body(received)
    assert "状态：已接收但有问题" in body and "资金投入!C5" in body and "13812345678" not in body
    (attachment,) = list(received.iter_attachments())
    wb = load_workbook(io.BytesIO(attachment.get_content()))
    assert wb.sheetnames[0] == ISSUE_SHEET
    assert wb[ISSUE_SHEET]["B2"].value == "C5"


def test_one_county_failing_or_unaddressed_does_not_stop_the_others(smtp_server) -> None:
    handler, port = smtp_server
    handler.refuse = {"rs-fpb@example.gov.cn"}
    messages = [
        compose_reminder("450225", "融水苗族自治县", "2018-08", ["fund"], [], date(2018, 9, 5)),
        compose_reminder("450226", "三江侗族自治县", "2018-08", ["team"], [], date(2018, 9, 5)),
        compose_reminder("450224", "融安县", "2018-08", ["sales"], [], date(2018, 9, 5)),
    ]

    outcomes = send_messages(messages, _settings(port))

    assert [(o.county, o.status) for o in outcomes] == [
        ("450225", "failed"),
        ("450226", "no_address"),
        ("450224", "sent"),
    ]
    assert "SMTPRecipientsRefused" in outcomes[0].error
    assert [m[1] for m in handler.messages] == [["ra-fpb@example.gov.cn"]]


def test_unreachable_server_is_recorded_not_raised() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    msg = compose_reminder("450224", "融安县", "2018-08", ["fund"], [], "2018-09-05")
    (outcome,) = send_messages([msg], _settings(port, timeout=2.0))
    assert outcome.status == "failed" and "ConnectionRefusedError" in outcome.error


def test_dry_run_writes_eml_and_sends_nothing(smtp_server, tmp_path: Path, feedback_xlsx: Path) -> None:
    handler, port = smtp_server
    messages = [
        compose_county_email("450224", "融安县", "2018-08", [_result()], [feedback_xlsx]),
        compose_reminder("450226", "三江侗族自治县", "2018-08", ["team"], [], date(2018, 9, 5)),
    ]

    outcomes = send_messages(messages, _settings(port, dry_run_dir=tmp_path / "eml"))

    assert handler.messages == []
    assert [(o.status, o.path.name.split("_", 1)[1]) for o in outcomes] == [
        ("dry_run", "001_450224.eml"), ("no_address", "002_450226.eml")]
    assert sorted(p.name for p in (tmp_path / "eml").iterdir()) == sorted(o.path.name for o in outcomes)
    # a second batch never overwrites the first
    again = send_messages(messages, _settings(port, dry_run_dir=tmp_path / "eml"))
    assert len(list((tmp_path / "eml").iterdir())) == 4 and not {o.path for o in again} & {o.path for o in outcomes}
    saved = email.message_from_bytes(outcomes[0].path.read_bytes(), policy=email.policy.default)
    assert saved["Subject"] == messages[0]["Subject"] and saved["To"] == "ra-fpb@example.gov.cn"
    assert load_workbook(io.BytesIO(next(saved.iter_attachments()).get_content())).sheetnames[0] == ISSUE_SHEET
    assert "To" not in messages[0]  # the caller's message is not modified


def test_reminder_lists_missing_and_late_forms() -> None:
    msg = compose_reminder(
        "450224", "融安县", "2018-08", ["fund", "sales"], ["collective"], date(2018, 9, 5), as_of=date(2018, 9, 10)
    )
    assert msg["Subject"] == "【county-returns】融安县 2018-08 报表催报：2 张报表未报送，1 张报表逾期报送"
    body = _body(msg)
    assert "截止日期为 2018-09-05。截至 2018-09-10，您单位以下报表尚未报送：" in body
    assert "1. 资金投入" in body and "2. 消费扶贫" in body
    assert "晚于截止日期（2018-09-05）" in body and "1. 村集体经济" in body
    assert "inbox/450224/" in body

    late_only = compose_reminder("450224", "融安县", "2018-08", [], ["team"], "2018-09-05")
    assert late_only["Subject"] == "【county-returns】融安县 2018-08 逾期提醒：1 张报表逾期报送"


def test_confirm_request_asks_to_confirm_or_explain() -> None:
    findings = [
        Issue("warning", "outlier", "村集体经济收入中位数 52 万元，全区中位数 3 万元（z=6.1）", "collective", "村集体经济", "F6", 6, "52万元"),
        {"rule": "yoy_change", "form": "fund", "message": "资金投入合计 1.2 亿元，较上期 3000 万元增长 300%", "severity": "warning"},
    ]
    msg = compose_confirm_request("450224", "融安县", "2018-08", findings)

    assert msg["Subject"] == "【county-returns】融安县 2018-08 数据核实：请核实或说明（2 项）"
    body = _body(msg)
    assert "请核实或说明" in body
    assert "1. 【与全区差异较大】村集体经济，村集体经济!F6，填写值「52万元」：村集体经济收入中位数 52 万元" in body
    assert "2. 【与上期相比变化较大】资金投入：资金投入合计 1.2 亿元" in body


def test_province_digest() -> None:
    rows = {
        "received": [{"county_code": "450224", "period": "2018-08", "form": "fund"}] * 3,
        "late": [{"county_code": "450225", "period": "2018-08", "form": "team"}],
        "missing": [{"county_code": "450226", "county_name": "三江侗族自治县", "period": "2018-08", "form": "sales"}],
        "resubmitted": 2,
    }
    msg = compose_province_digest(
        rows, [("unparseable_value", 23), ("sum_mismatch", 7)], ["融安县重新报送资金投入（第 2 版）"], as_of=date(2018, 9, 10)
    )

    assert msg["Subject"] == "【county-returns】全区报表日报 2018-09-10：未报送 1 张，逾期报送 1 张"
    assert msg[RECIPIENT_HEADER] == "province"
    body = _body(msg)
    assert "按时报送：3 张" in body and "重新报送：2 张" in body
    assert "450226 三江侗族自治县 2018-08 消费扶贫" in body
    assert "1. unparseable_value 数值无法识别：23 次" in body
    assert "- 融安县重新报送资金投入（第 2 版）" in body
