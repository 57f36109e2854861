"""Reminders from marts.reporting_status rows."""

from __future__ import annotations

from datetime import date

from pipelines.alerts.reminders import Reminder, reminders_from_status


def test_reminders_from_reporting_status() -> None:
    columns = ("county_code", "period", "form", "due_date", "received_at", "status")
    due = date(2018, 9, 5)
    rows = [
        dict(zip(columns, values))
        for values in [
            ("450224", "2018-08", "sales", due, None, "missing"),
            ("450224", "2018-08", "fund", due, None, "missing"),
            ("450224", "2018-08", "team", due, "2018-09-07", "late"),
            ("450224", "2018-08", "poverty", due, "2018-09-01", "received"),
            ("450225", "2018-08", "fund", due, "2018-09-02", "resubmitted"),
            ("450123", "2018-08", "collective", "2018-09-05", "2018-09-09", "late"),
        ]
    ]

    assert reminders_from_status(rows) == [
        Reminder("450123", "2018-08", (), ("collective",), date(2018, 9, 5)),
        Reminder("450224", "2018-08", ("fund", "sales"), ("team",), date(2018, 9, 5)),
    ]
