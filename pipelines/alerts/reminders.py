"""Reminders for missing and late returns, from `marts.reporting_status` rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pipelines.alerts.catalogue import FORM_NAMES

_FORM_ORDER = {form: i for i, form in enumerate(FORM_NAMES)}


@dataclass(frozen=True)
class Reminder:
    """One county × period: forms not received yet, and forms received after the due date."""

    county_code: str
    period: str
    missing_forms: tuple[str, ...]
    late_forms: tuple[str, ...]
    due_date: date | None  # the earliest due date among the listed forms


def reminders_from_status(rows: Iterable[Mapping[str, Any]]) -> list[Reminder]:
    """One Reminder per county × period with a `missing` or `late` form, sorted by county, period.

    `received` and `resubmitted` rows need no reminder and are skipped.
    """
    missing: dict[tuple[str, str], set[str]] = {}
    late: dict[tuple[str, str], set[str]] = {}
    due: dict[tuple[str, str], date] = {}
    for row in rows:
        status = row["status"]
        if status not in ("missing", "late"):
            continue
        key = (str(row["county_code"]), str(row["period"]))
        (missing if status == "missing" else late).setdefault(key, set()).add(str(row["form"]))
        row_due = _as_date(row.get("due_date"))
        if row_due is not None and (key not in due or row_due < due[key]):
            due[key] = row_due
    return [
        Reminder(
            county_code=county,
            period=period,
            missing_forms=_ordered(missing.get((county, period), ())),
            late_forms=_ordered(late.get((county, period), ())),
            due_date=due.get((county, period)),
        )
        for county, period in sorted(missing.keys() | late.keys())
    ]


def _ordered(forms: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(forms, key=lambda f: (_FORM_ORDER.get(f, len(_FORM_ORDER)), f)))


def _as_date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
