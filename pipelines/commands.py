"""The heavier CLI commands (ingest, demo, template); imported only when used."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.config import ConfigError, load_config, with_paths

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


def _shown(path: Path) -> str:
    """A path as the user would type it from here (relative when inside the working folder)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def quality_report(config) -> Path:
    """Great Expectations suites + SQL tests on the analyst copy → one offline HTML page."""
    import duckdb

    from pipelines.ingest import analyst_snapshot_path
    from warehouse.models import run_tests
    from warehouse.quality_report import write_quality_report
    from warehouse.quality_suites import run_suites

    con = duckdb.connect(str(analyst_snapshot_path(config.paths.warehouse)), read_only=True)
    try:
        return write_quality_report(con, run_suites(con), run_tests(con),
                                    config.paths.exports / "quality_report.html")
    finally:
        con.close()


def demo(args: argparse.Namespace) -> int:
    from pipelines.demo import build_demo_inbox
    from pipelines.ingest import analyst_snapshot_path

    config = _config(args)
    files = build_demo_inbox(config.paths.inbox)
    print(f"示例收件箱：{_shown(config.paths.inbox)}（{len(files)} 个县级报表文件）")
    code = _run(config)
    report = quality_report(config)
    snapshot = _shown(analyst_snapshot_path(config.paths.warehouse))
    print(f"""
Where to look:
  warehouse        {_shown(config.paths.warehouse)}
  analyst copy     {snapshot}   (open read-only; never blocks a run)
  county feedback  {_shown(config.paths.outbox)}/<county>/<period>/*_问题反馈.xlsx   (mail: {_shown(config.paths.outbox / '_mail')})
  quality report   {_shown(report)}
  marts as Parquet {_shown(config.paths.exports)}
  Dagster UI       make serve  →  http://127.0.0.1:3000
  example SQL      README.md, "For analysts"

Try:
  .venv/bin/python -c "import duckdb; duckdb.connect('{snapshot}', read_only=True).sql('SELECT county_name, period, villages_with_income, share_income_ge_50k, median_income_yuan FROM marts.county_comparison ORDER BY 1, 2').show()"
""")
    return code


def models(args: argparse.Namespace) -> int:
    """Rebuild every SQL model from core (idempotent), record cross-county warnings, run SQL tests."""
    from pipelines.ingest import IngestBusy, build_models, publish_snapshot, warehouse_lock
    from warehouse.db import connect, migrate

    config = _config(args)
    if not config.paths.warehouse.exists():
        print(f"数据仓库不存在：{config.paths.warehouse}", file=sys.stderr)
        return 2
    try:
        with warehouse_lock(config.paths.warehouse):
            con = connect(config.paths.warehouse)
            try:
                migrate(con)
                built, failed = build_models(con, config)
            finally:
                con.close()
            publish_snapshot(config.paths.warehouse)
    except IngestBusy as exc:
        print(str(exc), file=sys.stderr)
        return 3
    print(f"重建 {len(built)} 个模型：{', '.join(built)}")
    print("SQL 测试全部通过" if not failed else f"SQL 测试未通过：{', '.join(failed)}")
    return 0 if not failed else 1


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
