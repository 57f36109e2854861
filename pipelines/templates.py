"""The official blank workbook of a form: title, 填报单位/报告期 lines, one header row, notes."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from schemas.spec import FormSpec
from pipelines.fileio import atomic_path

# the unit a header shows, per field kind (counties may also write units in cells)
_HEADER_UNIT = {"money": "（万元）", "area_mu": "（亩）", "percent": "（%）", "count": ""}


def header_text(form: FormSpec, field: str) -> str:
    words = form.synonyms.get(field)
    if not words:
        return field
    kind = form.field(field).kind
    if field == "meal_allowance_yuan_per_day":
        return words[0] + "（元/人/天）"
    return words[0] + _HEADER_UNIT.get(kind, "")


def write_template(form: FormSpec, out: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = form.title
    fields = [f.name for f in form.fields if f.name in form.synonyms]
    ws.cell(1, 1, f"XX县{form.title}情况统计表").font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(fields), 2))
    ws.cell(2, 1, "填报单位：XX县扶贫开发领导小组办公室")
    ws.cell(2, max(len(fields) - 1, 2), "报告期：    年  月")
    for col, name in enumerate(fields, start=1):
        cell = ws.cell(3, col, header_text(form, name))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        ws.column_dimensions[cell.column_letter].width = 16
    required = "、".join(header_text(form, f.name) for f in form.required if f.name in form.synonyms)
    ws.cell(5 + 20, 1, f"注：1.{required} 为必填项；2.金额可写“1492万元”，单位以单元格为准；3.合计行可选，系统会核对。")
    ws.cell(6 + 20, 1, "填表人：            联系电话：")
    with atomic_path(out) as tmp:
        wb.save(tmp)
    return out
