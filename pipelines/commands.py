"""The heavier CLI commands (ingest, demo, template); imported only when used."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.config import ConfigError, load_config, with_paths

SAMPLE_SQL = """\
-- villages with collective income, by county (share of villages with income ≥ 5万元)
SELECT county_name, period, villages_reporting, villages_with_income,
       round(share_income_ge_50k, 3) AS share_ge_50k, median_income_yuan
FROM marts.county_comparison
ORDER BY share_ge_50k;"""


def _config(args: argparse.Namespace):
    try:
        config = load_config(getattr(args, "config", None))
    except ConfigError as exc:
        print(f"配置错误：{exc}", file=sys.stderr)
        raise SystemExit(2)
    return with_paths(config, inbox=getattr(args, "inbox", None), warehouse=getattr(args, "warehouse", None),
                      archive=getattr(args, "archive", None), outbox=getattr(args, "outbox", None),
                      exports=getattr(args, "exports", None))


def _run(config) -> int:
    from pipelines.ingest import IngestBusy, run_ingest

    try:
        report = run_ingest(config, progress=lambda s: print(s, flush=True))
    except IngestBusy as exc:
        print(str(exc), file=sys.stderr)
        return 3
    print_summary(report)
    return 0


def print_summary(report) -> None:
    from pipelines.intake.counties import county_index

    names = county_index().current
    print("\n各县报送情况：")
    for county, files in report.by_county().items():
        name = names[county].name if county in names else "（未知县）"
        statuses = {}
        for f in files:
            statuses[f.status] = statuses.get(f.status, 0) + 1
        st = "，".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        rows = sum(f.records for f in files)
        quarantined = sum(f.quarantined for f in files)
        issues = sum(f.issues for f in files)
        print(f"  {county} {name}：{len(files)} 个文件（{st}）；入库 {rows} 行，隔离 {quarantined} 行，问题 {issues} 个")
    if report.failed_tests:
        print(f"SQL 测试未通过：{', '.join(report.failed_tests)}")
    print(f"用时 {report.seconds:.1f} 秒")


def ingest(args: argparse.Namespace) -> int:
    config = _config(args)
    if not config.paths.inbox.is_dir():
        print(f"收件箱不存在：{config.paths.inbox}", file=sys.stderr)
        return 2
    return _run(config)


def demo(args: argparse.Namespace) -> int:
    from pipelines.demo import build_demo_inbox

    config = _config(args)
    inbox = config.paths.inbox
    files = build_demo_inbox(inbox)
    print(f"示例收件箱：{inbox}（{len(files)} 个县级报表文件）")
    code = _run(config)
    from pipelines.ingest import analyst_snapshot_path

    print(f"""
Where to look:
  warehouse      {config.paths.warehouse}
  analyst copy   {analyst_snapshot_path(config.paths.warehouse)}   (open read-only; never blocks a run)
  county outbox  {config.paths.outbox}   (feedback workbooks; mail in {config.paths.outbox / '_mail'})
  exports        {config.paths.exports}   (marts as Parquet)
  Dagster UI     make serve   → http://127.0.0.1:3000

Try:
  .venv/bin/python -c "import duckdb; print(duckdb.connect('{analyst_snapshot_path(config.paths.warehouse)}', read_only=True).sql('''{SAMPLE_SQL}'''))"
""")
    return code


def template(args: argparse.Namespace) -> int:
    from pipelines.templates import write_template
    from schemas.spec import all_forms

    forms = all_forms()
    if args.form not in forms:
        print(f"未知报表：{args.form}（可选：{'、'.join(forms)}）", file=sys.stderr)
        return 2
    out = Path(args.output or f"{forms[args.form].title}_模板.xlsx")
    write_template(forms[args.form], out)
    print(out)
    return 0
