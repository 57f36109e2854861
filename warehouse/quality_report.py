"""The offline data-quality report: one self-contained HTML file (inline CSS, no scripts,
no CDN), because GE's Data Docs need the network to render (TOOLCHAIN G8)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from html import escape
from pathlib import Path

import duckdb

from warehouse.models import TestResult
from warehouse.quality_suites import SuiteResult
from pipelines.fileio import atomic_path

SEVERITY_ORDER = {"reject": 0, "error": 1, "warning": 2}

_CSS = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: .5em 0; font-size: .9em; }
th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; } td.n { text-align: right; }
.pass { color: #1a7f37; font-weight: bold; } .fail { color: #cf222e; font-weight: bold; }
code, pre { font-size: .85em; white-space: pre-wrap; margin: 0; }
"""

# Issues still in force: of submissions (and forms) not replaced by a later version.
_ISSUE_COUNTS = """
SELECT coalesce(i.county_code, '') AS county_code, coalesce(c.name, '') AS county_name,
       i.severity, i.rule, count(*) AS n
FROM quality.issue AS i
JOIN ops.submission AS s USING (submission_id)
LEFT JOIN ops.submission_form AS sf ON sf.submission_id = i.submission_id AND sf.form = i.form
LEFT JOIN ref.county AS c ON c.code = i.county_code AND c.valid_to IS NULL
WHERE s.superseded_by IS NULL AND sf.superseded_by IS NULL
GROUP BY ALL
ORDER BY county_code
"""


def _status(ok: bool) -> str:
    return '<span class="pass">通过 pass</span>' if ok else '<span class="fail">失败 fail</span>'


def _json(value) -> str:
    return escape(json.dumps(value, ensure_ascii=False, default=str, indent=None))


def _suites_html(suites: Sequence[SuiteResult]) -> str:
    rows = []
    for s in suites:
        details = "".join(
            f"<div><code>{escape(f['expectation'])}({escape(str(f['column']))})</code>: "
            f"{f['unexpected_count'] if f['unexpected_count'] is not None else ''} "
            f"{escape(f['exception'] or '')}<pre>{_json(f['ids'])}</pre></div>"
            for f in s.failing
        )
        rows.append(f"<tr><td>{escape(s.name)}</td><td class=n>{s.rows}</td>"
                    f"<td>{_status(s.success)}</td><td>{details}</td></tr>")
    return ("<table><tr><th>suite</th><th>rows</th><th>result</th><th>failing expectations (ids)</th></tr>"
            + "".join(rows) + "</table>")


def _tests_html(tests: Sequence[TestResult]) -> str:
    rows = [
        f"<tr><td>{escape(t.test_name)}</td><td>{escape(t.model)}</td>"
        f"<td class=n>{t.failing_row_count}</td><td>{_status(t.failing_row_count == 0)}</td>"
        f"<td><pre>{_json(t.sample_rows) if t.sample_rows else ''}</pre></td></tr>"
        for t in tests
    ]
    return ("<table><tr><th>test</th><th>model</th><th>failing rows</th><th>result</th><th>sample</th></tr>"
            + "".join(rows) + "</table>")


def _issues_html(con: duckdb.DuckDBPyConnection) -> str:
    counts = con.execute(_ISSUE_COUNTS).fetchall()
    if not counts:
        return "<p>无问题 — no open issues.</p>"
    rules = sorted({(sev, rule) for _, _, sev, rule, _ in counts},
                   key=lambda sr: (SEVERITY_ORDER.get(sr[0], 9), sr[1]))
    by_county: dict[tuple[str, str], dict[tuple[str, str], int]] = {}
    for code, name, sev, rule, n in counts:
        by_county.setdefault((code, name), {})[(sev, rule)] = n
    head = "".join(f"<th>{escape(rule)}<br><small>{escape(sev)}</small></th>" for sev, rule in rules)
    body = "".join(
        f"<tr><td>{escape(code or '(unknown)')}</td><td>{escape(name)}</td>"
        + "".join(f"<td class=n>{cells.get(r, '')}</td>" for r in rules)
        + f"<td class=n>{sum(cells.values())}</td></tr>"
        for (code, name), cells in sorted(by_county.items())
    )
    return f"<table><tr><th>county</th><th>name</th>{head}<th>total</th></tr>{body}</table>"


def write_quality_report(
    con: duckdb.DuckDBPyConnection,
    suite_results: Sequence[SuiteResult],
    test_results: Sequence[TestResult],
    path: str | Path,
) -> Path:
    path = Path(path)
    suites_ok = sum(s.success for s in suite_results)
    tests_ok = sum(t.failing_row_count == 0 for t in test_results)
    html = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>数据质量报告 — county returns</title><style>{_CSS}</style></head>
<body>
<h1>数据质量报告 Data quality report</h1>
<p>Generated {escape(datetime.now().isoformat(timespec="seconds"))}.
GE suites: {suites_ok}/{len(suite_results)} pass. SQL tests: {tests_ok}/{len(test_results)} pass.</p>
<h2>Great Expectations suites</h2>
{_suites_html(suite_results)}
<h2>SQL tests (dbt_like_sql)</h2>
{_tests_html(test_results)}
<h2>各县问题 Open issues per county by rule</h2>
{_issues_html(con)}
</body></html>
"""
    # Written to a temp file and renamed, so a reader never sees half a report.
    with atomic_path(path) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return path
