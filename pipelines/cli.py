"""`county-returns`: check one file, ingest an inbox, print a template, run the demo.

`check` must stay fast and must not import Dagster: a county clerk runs it before sending.
Bad input is a one-line Chinese reason and an exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _cmd_check(args: argparse.Namespace) -> int:
    from pipelines.runtime import without_pandas

    without_pandas()  # a check never queries: pandera then loads without pandas
    from pipelines.flow import check_file

    path = Path(args.file)
    if not path.is_file():
        print(f"找不到文件：{path}", file=sys.stderr)
        return 2
    result = check_file(path, county=args.county, period=args.period)
    if args.json:
        # dumps, not dump: only the one-shot encoder is the C one (3,000 records: ~0.1 s less)
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    else:
        _print_check(result)
    return result.exit_code


def _print_check(result) -> None:
    labels = {"accepted": "已接收", "accepted_with_warnings": "已接收，但有问题需处理", "rejected": "已退回"}
    print(f"{result.file}: {labels[result.status]}（{result.status}）")
    print(f"  县级代码 {result.county_code or '-'}  报告期 {result.period or '-'}  "
          f"有效行 {len(result.records)}  隔离行 {len(result.quarantined)}  合计行 {len(result.totals)}")
    for issue in result.issues:
        where = f"{issue.sheet}!{issue.cell}" if issue.sheet and issue.cell else (issue.cell or "")
        print(f"  [{issue.severity}] {issue.rule} {where} {issue.message}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="county-returns", description="县级扶贫报表的接收、校验与入库")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="校验一个文件（不写入任何内容）")
    p.add_argument("file")
    p.add_argument("--county", help="6 位县级代码（默认取文件所在文件夹名）")
    p.add_argument("--period", help="报告期，如 2018-08（默认从单元格、文件名或文件夹识别）")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    p.set_defaults(run=_cmd_check)

    p = sub.add_parser("ingest", help="接收收件箱中的所有文件并入库")
    p.add_argument("--inbox")
    p.add_argument("--warehouse")
    p.add_argument("--archive")
    p.add_argument("--outbox")
    p.add_argument("--exports")
    p.add_argument("--config")
    p.set_defaults(run=lambda a: _lazy("pipelines.commands", "ingest")(a))

    p = sub.add_parser("models", help="从 core 表重建全部 SQL 模型（staging → marts）并运行 SQL 测试")
    p.add_argument("--warehouse")
    p.add_argument("--config")
    p.set_defaults(run=lambda a: _lazy("pipelines.commands", "models")(a))

    p = sub.add_parser("template", help="输出某张报表的空白模板工作簿")
    p.add_argument("form", help="team | fund | collective | industry | poverty | sales")
    p.add_argument("--output", "-o")
    p.set_defaults(run=lambda a: _lazy("pipelines.commands", "template")(a))

    p = sub.add_parser("demo", help="生成示例收件箱并运行完整流程")
    p.add_argument("--config")
    p.set_defaults(run=lambda a: _lazy("pipelines.commands", "demo")(a))

    args = parser.parse_args(argv)
    from pipelines.runtime import own_process

    own_process()
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130


def _lazy(module: str, name: str):
    import importlib

    return getattr(importlib.import_module(module), name)


if __name__ == "__main__":
    sys.exit(main())
