"""Deterministic synthetic county submissions, messy the way real returns are.

    generate_inbox(root) → inbox/<county_code>/<file>: per county and period one multi-form
    workbook (one sheet per form) and, for some counties, one form as a CSV (UTF-8-BOM or GBK).

Messiness (when `messy`): a title row, 填报单位/报告期 lines, sometimes 单位：万元, 1- or 2-row merged
headers spelled with each county's own synonyms, numbers typed as text with units (42人, 1,104户,
327.4813万元, 近700万元, 5万元以上, 2万元至10万元不等, 三百二十二, 10万斤), a 合计 row holding SUM
formulas with cached values, notes and 填表人 lines below. `errors` plants a few row errors
(unparseable amount, empty required cell, negative count, duplicate project) in a few counties.

Every file is planned before it is written, and the plan says what the product must read from it
(`FileManifest`): data rows, 合计 rows, planted errors with their rule and cell, and the money
sums of the clean rows. The same arguments give the same bytes.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipelines.demo import spelling
from pipelines.demo.forms import (COLUMNS, FORMS, GIVEN, GROUP_LABELS, MONEY_FIELDS, SHEET_TITLES, SURNAMES,
                                  TABLE_TITLES, TRUE_ROWS, Column, Places, places_for)
from pipelines.demo.sheet import Formula, SheetPlan, a1, write_csv, write_xlsx
from pipelines.intake.read import column_letters
from pipelines.intake.counties import County, county_index

DEFAULT_COUNTY_COUNT = 12

# A planted error: which form it goes into, the field whose cell carries it, and the rule code
# the product must report (CONTRACT rule catalogue).
ERROR_KINDS = {
    "unparseable_amount": ("fund", "amount_yuan", "unparseable_value"),
    "empty_required": ("industry", "households_driven", "required_missing"),
    "negative_count": ("team", "village_cadres", "out_of_range"),
    "duplicate_project": ("fund", "project_name", "duplicate_key"),
}
MIN_ROWS_FOR_ERRORS = 6


@dataclass(frozen=True)
class PlantedError:
    form: str
    sheet: str | None  # None for a CSV
    row: int  # 1-based sheet row (CSV: line)
    cell: str  # A1 address of the offending cell
    rule: str
    raw: str  # the cell as written


@dataclass
class FormManifest:
    """What the product must read from one form table."""

    form: str
    sheet: str | None
    data_rows: int  # rows written as data: clean + quarantined
    total_rows: int  # 合计 rows
    errors: list[PlantedError] = field(default_factory=list)
    money_sums: dict[str, Decimal] = field(default_factory=dict)  # field → yuan over the clean rows

    @property
    def quarantined_rows(self) -> int:
        return len({e.row for e in self.errors})

    @property
    def clean_rows(self) -> int:
        return self.data_rows - self.quarantined_rows


@dataclass
class FileManifest:
    path: Path
    county_code: str
    county_name: str
    period: str  # YYYY-MM
    file_type: str  # xlsx or csv
    forms: list[FormManifest]
    outlier: bool = False

    @property
    def data_rows(self) -> int:
        return sum(f.data_rows for f in self.forms)

    @property
    def total_rows(self) -> int:
        return sum(f.total_rows for f in self.forms)

    @property
    def errors(self) -> list[PlantedError]:
        return [e for f in self.forms for e in f.errors]


# --- public API ----------------------------------------------------------------------------------


def default_counties(n: int = DEFAULT_COUNTY_COUNT) -> list[str]:
    """n county codes spread evenly over Guangxi's 111 sorted codes (so over its prefectures)."""
    codes = sorted(county_index().current)
    if n >= len(codes):
        return codes
    return [codes[round(i * len(codes) / n)] for i in range(n)]


def synthesize(root: Path, counties: list[str] | None = None, periods: list[str] = ["2018-08"],
               rows_per_form: int = 12, seed: int = 7, messy: bool = True, forms: list[str] | None = None,
               outlier_county: str | None = None, errors: bool = True, csv: bool = True,
               write: bool = True) -> list[FileManifest]:
    """Plan (and, with `write`, write) the inbox; returns one manifest per file."""
    index = county_index()
    codes = list(counties) if counties is not None else default_counties()
    unknown = [c for c in codes if c not in index.current]
    if unknown:
        raise ValueError(f"not current Guangxi county codes: {unknown}")
    if outlier_county is not None and outlier_county not in codes:
        raise ValueError(f"outlier county {outlier_county} is not among the counties generated")
    bad_periods = [p for p in periods if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", p)]
    if bad_periods:
        raise ValueError(f"periods are months written YYYY-MM: {bad_periods}")
    chosen_forms = [f for f in FORMS if forms is None or f in forms]
    if forms is not None and set(forms) - set(FORMS):
        raise ValueError(f"unknown forms: {sorted(set(forms) - set(FORMS))}")
    planted = _error_plan(codes, seed) if errors and rows_per_form >= MIN_ROWS_FOR_ERRORS else {}
    manifests = []
    csv_counties = 0
    for code in codes:
        county = index.current[code]
        county_rng = random.Random(f"{seed}|{code}")
        places = places_for(county_rng, rows_per_form)
        csv_form = county_rng.choice(chosen_forms) if (csv and messy and len(chosen_forms) > 1
                                                       and county_rng.random() < 0.35) else None
        # WPS saves GBK, Excel UTF-8 with a BOM: CSV counties alternate
        encoding = ("gbk", "utf-8-sig")[csv_counties % 2]
        csv_counties += csv_form is not None
        for period in periods:
            job = _FileJob(county, period, seed, rows_per_form, messy, places, code == outlier_county,
                           planted.get(code, ()))
            manifests += _county_period(Path(root), job, chosen_forms, csv_form, encoding, write)
    return manifests


def generate_inbox(root: Path, counties: list[str] | None = None, periods: list[str] = ["2018-08"],
                   rows_per_form: int = 12, seed: int = 7, messy: bool = True, forms: list[str] | None = None,
                   outlier_county: str | None = None, errors: bool = True, csv: bool = True) -> list[Path]:
    """Write inbox/<county_code>/<file> for each county and period; returns the paths written."""
    return [m.path for m in synthesize(root, counties, periods, rows_per_form, seed, messy, forms,
                                       outlier_county, errors, csv)]


def expected_manifest(root: Path, **kwargs: Any) -> list[FileManifest]:
    """The manifest `generate_inbox(root, **kwargs)` writes, without writing anything."""
    return synthesize(root, write=False, **kwargs)


# --- planning ------------------------------------------------------------------------------------


def _error_plan(codes: list[str], seed: int) -> dict[str, tuple[str, ...]]:
    """A few counties get two planted errors each; every kind appears once two counties have them."""
    if not codes:
        return {}
    kinds = list(ERROR_KINDS)
    n = min(len(codes), max(2, round(len(codes) / 4)))
    chosen = random.Random(f"{seed}|errors").sample(sorted(codes), n)
    return {code: (kinds[(2 * j) % 4], kinds[(2 * j + 1) % 4]) for j, code in enumerate(chosen)}


@dataclass(frozen=True)
class _FileJob:
    county: County
    period: str
    seed: int
    rows: int
    messy: bool
    places: Places
    outlier: bool
    errors: tuple[str, ...]

    @property
    def year(self) -> int:
        return int(self.period[:4])

    @property
    def month(self) -> int:
        return int(self.period[5:7])

    def rng(self, *parts: str) -> random.Random:
        return random.Random("|".join([str(self.seed), self.county.code, self.period, *parts]))

    def style_rng(self, form: str) -> random.Random:
        # a county keeps its template from month to month
        return random.Random(f"{self.seed}|{self.county.code}|style|{form}")


def _county_period(root: Path, job: _FileJob, forms: list[str], csv_form: str | None, encoding: str,
                   write: bool) -> list[FileManifest]:
    folder = root / job.county.code
    name, y, m = job.county.name, job.year, job.month
    out = []
    book_forms = [f for f in forms if f != csv_form]
    if book_forms:
        names = (f"{name}{y}年{m}月脱贫攻坚统计报表.xlsx", f"{name}扶贫报表{y}{m:02d}.xlsx",
                 f"{name}{y}年{m}月扶贫数据汇总.xlsx")
        path = folder / job.style_rng("file").choice(names)
        sheets, manifests = [], []
        file_rng = job.rng("file")
        if job.messy and file_rng.random() < 0.3:
            sheets.append(_instructions_sheet())
        for form in book_forms:
            sheet, manifest = _form_sheet(job, form, "xlsx")
            sheets.append(sheet)
            manifests.append(manifest)
        if job.messy and file_rng.random() < 0.5:
            sheets.append(_lookup_sheet())
        if write:
            write_xlsx(path, sheets)
        out.append(FileManifest(path, job.county.code, name, job.period, "xlsx", manifests, job.outlier))
    if csv_form:
        path = folder / f"{name}{y}年{m}月{SHEET_TITLES[csv_form]}.csv"
        sheet, manifest = _form_sheet(job, csv_form, "csv")
        if write:
            write_csv(path, sheet, encoding)
        out.append(FileManifest(path, job.county.code, name, job.period, "csv", [manifest], job.outlier))
    return out


def _instructions_sheet() -> SheetPlan:
    return SheetPlan("填表说明", [["填表说明"], ["1.本表按月填报，每月5日前报县扶贫办；"],
                                  ["2.金额单位为万元的，请勿填写“元”；"], ["3.是否贫困村请选择“是”或“否”；"],
                                  ["4.合计行由公式自动计算，请勿修改。"]])


def _lookup_sheet() -> SheetPlan:
    return SheetPlan("下拉选项", [["是"], ["否"], ["合作社"], ["龙头企业"], ["家庭农场"], ["能人"]], hidden=True)


@dataclass
class _Layout:
    """How one county lays out one form: columns, header spellings, units, header depth."""

    columns: list[Column]
    headers: list[str]  # leaf header text per column (label + （unit）)
    header_units: list[str | None]
    groups: dict[str, str]  # group key → its merged label (2-row headers only)
    index_column: bool  # a 序号 column first
    offset: int  # blank columns before the table
    unit_line: str | None  # 单位：万元 above the table

    @property
    def width(self) -> int:
        return self.offset + int(self.index_column) + len(self.columns)

    def col(self, i: int) -> int:
        """0-based sheet column of columns[i]."""
        return self.offset + int(self.index_column) + i

    def bare_money_unit(self, i: int) -> str:
        """What a bare number in money column i means: its header unit, else the 单位 line, else 元."""
        unit = self.header_units[i]
        return (unit.split("/")[0] if unit else None) or self.unit_line or "元"


def _layout(job: _FileJob, form: str, target: str) -> _Layout:
    rng = job.style_rng(form)
    messy = job.messy
    columns = [c for c in COLUMNS[form] if not (messy and c.optional and rng.random() < 0.25)]
    headers, units = [], []
    for c in columns:
        label = rng.choice(c.labels) if messy else c.labels[0]
        unit = rng.choice(c.header_units) if messy else c.header_units[-1]
        headers.append(f"{label}（{unit}）" if unit else label)
        units.append(unit)
    has_money_without_unit = any(c.kind in ("money", "income") and u is None for c, u in zip(columns, units))
    unit_line = "万元" if messy and has_money_without_unit and rng.random() < 0.4 else None
    two_rows = messy and target == "xlsx" and rng.random() < 0.5
    groups = {}
    if two_rows:
        present = {c.group for c in columns if c.group}
        groups = {k: rng.choice(v) for k, v in GROUP_LABELS[form].items() if k in present}
    return _Layout(columns, headers, units, groups, index_column=messy and rng.random() < 0.6,
                   offset=1 if messy and rng.random() < 0.12 else 0, unit_line=unit_line)


def _form_sheet(job: _FileJob, form: str, target: str) -> tuple[SheetPlan, FormManifest]:
    lay = _layout(job, form, target)
    rng = job.rng(form)
    xlsx = target == "xlsx"
    truth = TRUE_ROWS[form](rng, job.rows, job.places, job.year, 10 if job.outlier and form == "collective" else 1)
    errors = _plant(truth, form, job.errors)
    sheet_name = SHEET_TITLES[form] if xlsx else None
    plan = SheetPlan(sheet_name)
    width = lay.width
    pad = [None] * lay.offset

    if job.messy:
        r = plan.add(pad + [f"{job.county.name}{TABLE_TITLES[form]}"] + [None] * (width - lay.offset - 1))
        if xlsx:
            plan.merges.append((r, lay.offset, r, width - 1))
        org = rng.choice((f"填报单位：{job.county.name}扶贫开发领导小组办公室", f"填报单位（盖章）：{job.county.name}扶贫办"))
        period = rng.choice((f"报告期：{job.year}年{job.month}月", f"统计时间：{job.year}年1-{job.month}月"))
        line = pad + [org] + [None] * (width - lay.offset - 1)
        if rng.random() < 0.7:
            line[max(lay.offset + 1, width - 3)] = period
            plan.add(line)
        else:
            plan.add(line)
            plan.add(pad + [period] + [None] * (width - lay.offset - 1))
        if lay.unit_line:
            plan.add([None] * (width - 1) + [f"单位：{lay.unit_line}"])
        if rng.random() < 0.5:
            plan.add([None] * width)

    _header(plan, lay)
    first_data = len(plan.rows)
    manifest = FormManifest(form, sheet_name, data_rows=len(truth), total_rows=0)
    for i, row in enumerate(truth):
        r = len(plan.rows)
        cells = pad + ([float(i + 1) if xlsx else str(i + 1)] if lay.index_column else [])
        cells += [_cell(rng, lay, k, row, xlsx, r) if job.messy else _plain_cell(lay, k, row, xlsx)
                  for k in range(len(lay.columns))]
        plan.add(cells)
        for kind in errors.get(i, ()):
            _, fld, rule = ERROR_KINDS[kind]
            k = next(k for k, c in enumerate(lay.columns) if c.field == fld)
            raw = cells[lay.col(k)]
            manifest.errors.append(PlantedError(form, sheet_name, r + 1, a1(r, lay.col(k)), rule,
                                                "" if raw is None else spelling.plain(Decimal(repr(raw)))
                                                if isinstance(raw, float) else str(raw)))
    last_data = len(plan.rows) - 1
    clean = [row for i, row in enumerate(truth) if i not in errors]
    manifest.money_sums = {f: sum((row[f] for row in clean if row.get(f) is not None), Decimal(0))
                           for f in MONEY_FIELDS[form] if _has_field(lay, f)}

    if job.messy and any(c.additive for c in lay.columns):
        plan.add(_total_row(lay, truth, errors, first_data, last_data, xlsx))
        if xlsx and lay.index_column and lay.columns[0].kind == "text":
            r = len(plan.rows) - 1
            plan.merges.append((r, lay.offset, r, lay.offset + 1))
        manifest.total_rows = 1
    if job.messy:
        plan.add([None] * width)
        plan.add(pad + ["注：1.本表数据由各乡镇填报，县扶贫办汇总；2.金额保留两位小数。"] + [None] * (width - lay.offset - 1))
        person = rng.choice(SURNAMES) + rng.choice(GIVEN)
        phone = rng.choice((f"0771-{rng.randint(2000000, 8999999)}", f"13{rng.randint(100000000, 999999999)}"))
        tail = pad + [f"填表人：{person}"] + [None] * (width - lay.offset - 1)
        tail[min(width - 1, lay.offset + 3)] = f"联系电话：{phone}"
        plan.add(tail)
        plan.add(pad + [f"填报日期：{job.year}年{job.month % 12 + 1}月{rng.randint(1, 5)}日"]
                 + [None] * (width - lay.offset - 1))
    return plan, manifest


def _has_field(lay: _Layout, name: str) -> bool:
    fields = {c.field for c in lay.columns}
    return name in fields or (name == "income_max_yuan" and "income_min_yuan" in fields)


def _header(plan: SheetPlan, lay: _Layout) -> int:
    """Write the header block (1 row, or 2 with merged group labels); returns its first row."""
    pad = [None] * lay.offset
    index = ["序号"] if lay.index_column else []
    if not lay.groups:
        return plan.add(pad + index + lay.headers)
    top = plan.add(pad + index + [None] * len(lay.columns))
    bottom = plan.add(pad + index + [None] * len(lay.columns))
    if lay.index_column:
        plan.rows[bottom][lay.offset] = None
        plan.merges.append((top, lay.offset, bottom, lay.offset))
    k = 0
    while k < len(lay.columns):
        group = lay.columns[k].group
        if group in lay.groups:
            end = k
            while end + 1 < len(lay.columns) and lay.columns[end + 1].group == group:
                end += 1
            plan.rows[top][lay.col(k)] = lay.groups[group]
            if end > k:
                plan.merges.append((top, lay.col(k), top, lay.col(end)))
            for j in range(k, end + 1):
                plan.rows[bottom][lay.col(j)] = lay.headers[j]
            k = end + 1
        else:
            plan.rows[top][lay.col(k)] = lay.headers[k]
            plan.merges.append((top, lay.col(k), bottom, lay.col(k)))
            k += 1
    return top


# --- cells ---------------------------------------------------------------------------------------


def _plant(truth: list[dict[str, Any]], form: str, kinds: tuple[str, ...]) -> dict[int, tuple[str, ...]]:
    """Change the true rows for this form's planted errors; returns row index → error kinds."""
    n = len(truth)
    if n < MIN_ROWS_FOR_ERRORS:
        return {}
    at = {"unparseable_amount": max(1, n // 4), "empty_required": n // 3, "negative_count": n // 2,
          "duplicate_project": n // 2 + 1}
    planted: dict[int, tuple[str, ...]] = {}
    for kind in kinds:
        if ERROR_KINDS[kind][0] != form:
            continue
        i = at[kind]
        row = truth[i]
        if kind == "unparseable_amount":
            row["amount_yuan"], row["amount_qualifier"], row["_raw"] = None, None, "1.2.3万"
        elif kind == "empty_required":
            row["households_driven"] = None
        elif kind == "negative_count":
            row["village_cadres"] = -(row["village_cadres"] % 7 + 1)  # -1 … -7
        elif kind == "duplicate_project":
            row["project_name"], row["village"] = truth[i - 1]["project_name"], truth[i - 1]["village"]
        planted[i] = planted.get(i, ()) + (kind,)
    return planted


def _cell(rng: random.Random, lay: _Layout, k: int, row: dict[str, Any], xlsx: bool, r: int) -> Any:
    col = lay.columns[k]
    value = row.get(col.field)
    if col.kind == "note":
        return row.get(None) or None
    if col.field == "amount_yuan" and "_raw" in row:
        return row["_raw"]
    if col.kind == "text":
        return value
    if col.kind == "unit":
        return value
    if value is None and col.kind not in ("income",):
        return None
    if col.kind == "count":
        if value < 0:
            return float(value) if xlsx else str(value)
        if col.field == "professional_team_total" and xlsx and rng.random() < 0.5:
            parts = [j for j, c in enumerate(lay.columns)
                     if c.field in ("work_team_members", "township_professionals")]
            refs = "+".join(f"{column_letters(lay.col(j) + 1)}{r + 1}" for j in parts)
            return Formula(f"={refs}", float(value))
        return spelling.count(rng, value, col.unit_word, xlsx)
    if col.kind == "money":
        if col.field == "amount_yuan" and row.get("amount_qualifier") == "approx":
            return spelling.approx_money(rng, value)
        if col.field == "amount_yuan" and row.get("amount_qualifier") == "at_least":
            return spelling.at_least_money(rng, value)
        if col.field == "meal_allowance_yuan_per_day":  # its header always says 元/人/天
            return float(value) if xlsx else spelling.plain(value)
        return spelling.money(rng, value, lay.bare_money_unit(k), xlsx)
    if col.kind == "income":
        low, high = row["income_min_yuan"], row["income_max_yuan"]
        if low is not None and high is not None and low == high:
            return spelling.money(rng, low, lay.bare_money_unit(k), xlsx)
        if low is not None and high is not None:
            return spelling.band_money(rng, low, high)
        if high is None:
            return spelling.at_least_money(rng, low)
        return spelling.at_most_money(rng, high)
    if col.kind == "area":
        return spelling.area_mu(rng, value, lay.header_units[k] is not None, xlsx)
    if col.kind == "percent":
        return spelling.percent(rng, value, lay.header_units[k] is not None, xlsx)
    if col.kind == "bool":
        return spelling.yes_no(rng, value)
    if col.kind == "year":
        return spelling.year(rng, value, xlsx)
    if col.kind == "quantity":
        has_unit_column = any(c.kind == "unit" for c in lay.columns)
        if has_unit_column and rng.random() < 0.7:
            return float(value) if xlsx else str(value)
        return spelling.quantity(rng, value, row["unit"])
    raise ValueError(f"no spelling for column kind {col.kind}")


def _plain_cell(lay: _Layout, k: int, row: dict[str, Any], xlsx: bool) -> Any:
    """A tidy table: numbers as numbers in the header's unit (bands and bounds stay words)."""
    col = lay.columns[k]
    value = row.get(col.field)
    if col.kind == "note":
        return row.get(None) or None
    if col.field == "amount_yuan" and "_raw" in row:
        return row["_raw"]
    if col.kind in ("text", "unit") or (value is None and col.kind != "income"):
        return value
    if col.kind == "bool":
        return "是" if value else "否"
    if col.kind == "money" and col.field == "amount_yuan" and row.get("amount_qualifier"):
        return (spelling.approx_money if row["amount_qualifier"] == "approx" else spelling.at_least_money)(
            random.Random(0), value)
    if col.kind == "income":
        low, high = row["income_min_yuan"], row["income_max_yuan"]
        if low is None or high is None or low != high:
            return _cell(random.Random(0), lay, k, row, xlsx, 0)
        value = low
    if col.kind in ("money", "income") and lay.bare_money_unit(k) == "万元":
        value = spelling.wan(value)
    number = Decimal(value)
    return float(number) if xlsx else spelling.plain(number)


def _total_row(lay: _Layout, truth: list[dict[str, Any]], errors: dict[int, tuple[str, ...]],
               first: int, last: int, xlsx: bool) -> list[Any]:
    """合计: every additive column's sum of what the rows hold (as the product reads them)."""
    cells: list[Any] = [None] * lay.width
    label_col = lay.offset if lay.index_column else next(
        (lay.col(k) for k, c in enumerate(lay.columns) if c.kind == "text"), lay.offset)
    cells[label_col] = "合计"
    for k, col in enumerate(lay.columns):
        if not col.additive:
            continue
        total = sum((Decimal(row[col.field]) for row in truth if row.get(col.field) is not None), Decimal(0))
        if col.kind == "money" and lay.bare_money_unit(k) == "万元":
            total = total / 10_000
        letter = column_letters(lay.col(k) + 1)
        value = float(total)
        cells[lay.col(k)] = (Formula(f"=SUM({letter}{first + 1}:{letter}{last + 1})", value) if xlsx
                             else spelling.plain(total))
    return cells
