"""The official blank workbook of every form, filled in by a clerk, is read back as that form."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from pipelines.flow import check_file
from pipelines.templates import write_template
from schemas.spec import all_forms

SAMPLE = {"text": "甲村", "count": 12, "money": 3.5, "number": 1.5, "area_mu": 20, "percent": 12.5,
          "bool": "是", "year": 2018, "quantity": "10万斤", "unit": None}


@pytest.mark.parametrize("form", sorted(all_forms()))
def test_filled_template_is_read_back(tmp_path, form):
    spec = all_forms()[form]
    path = tmp_path / "450224" / f"{spec.title}2018年8月.xlsx"
    write_template(spec, path)
    wb = load_workbook(path)
    ws = wb.active
    ws["A2"] = "填报单位：融安县扶贫办"
    header = [c.value for c in ws[3]]
    fields = [f for f in spec.fields if f.name in spec.synonyms]
    assert len(header) == len(fields)
    for col, f in enumerate(fields, start=1):
        value = SAMPLE[f.kind]
        if f.name == "poor_households_driven":
            value = 5
        ws.cell(4, col, value)
    wb.save(path)

    result = check_file(path)
    assert result.status in ("accepted", "accepted_with_warnings"), result.issues
    (record,) = result.records
    assert record.form == form and record.row == 4
    for f in fields:
        if f.name == "meal_allowance_yuan_per_day":
            assert record.values[f.name] == 3.5  # under （元/人/天）
        elif f.kind == "money":
            assert record.values[f.name] == 35000.0  # 3.5 under （万元）
        elif f.kind == "count" and f.name != "poor_households_driven":
            assert record.values[f.name] == 12
