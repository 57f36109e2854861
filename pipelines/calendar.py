"""The reporting calendar from the config → ref.reporting_calendar and ref.county_form.

A monthly return for period YYYY-MM is due on `due_day` of the following month. Expected
counties are the configured list, or else every county that has ever sent a file.
"""

from __future__ import annotations

import datetime as dt
import re

from pipelines.config import Calendar

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def due_date(period: str, due_day: int) -> dt.date | None:
    m = _MONTH.match(period)
    if not m:
        return None  # annual and quarterly returns have no monthly due date here
    year, month = int(m.group(1)), int(m.group(2))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dt.date(year, month, min(due_day, 28))


def fill_reporting_calendar(con, calendar: Calendar) -> None:
    periods = [r[0] for r in con.execute(
        "SELECT DISTINCT period FROM ops.submission WHERE period IS NOT NULL ORDER BY 1").fetchall()]
    counties = list(calendar.counties) or [r[0] for r in con.execute(
        "SELECT DISTINCT county_code FROM ops.submission s JOIN ref.county c ON c.code = s.county_code"
        " WHERE c.valid_to IS NULL ORDER BY 1").fetchall()]
    con.begin()
    try:
        con.execute("DELETE FROM ref.reporting_calendar")
        con.execute("DELETE FROM ref.county_form")
        rows = [(p, f, d) for p in periods if (d := due_date(p, calendar.due_day)) for f in calendar.forms]
        if rows:  # one statement for all rows (executemany is one round trip per row)
            con.execute("INSERT INTO ref.reporting_calendar SELECT unnest($1::VARCHAR[]),"
                        " unnest($2::VARCHAR[]), unnest($3::DATE[])", [list(col) for col in zip(*rows)])
        pairs = [(c, f) for c in counties for f in calendar.forms]
        if pairs:
            con.execute("INSERT INTO ref.county_form SELECT unnest($1::VARCHAR[]), unnest($2::VARCHAR[])",
                        [list(col) for col in zip(*pairs)])
        con.commit()
    except BaseException:
        con.rollback()
        raise
