"""The rule catalogue of the CONTRACT: every code, its severity, and what a clerk is told."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # reject | error | warning
    name: str  # short Chinese name shown in 问题清单
    fix: str  # what to do, for the clerk


RULES: dict[str, Rule] = {r.code: r for r in [
    Rule("unreadable_file", "reject", "文件无法读取", "请用 Excel 或 WPS 打开确认无误后另存为 .xlsx 重新报送"),
    Rule("encrypted_file", "reject", "文件有密码", "请取消工作簿的打开密码后重新报送"),
    Rule("unsupported_type", "reject", "文件类型不支持", "请报送 Excel（.xlsx/.xls）或 CSV 格式的报表"),
    Rule("too_large", "reject", "文件过大", "请删除无关内容或按表拆分后重新报送"),
    Rule("unknown_form", "reject", "不是规定报表", "请使用规定的报表模板（county-returns template）填报"),
    Rule("county_unknown", "reject", "县级代码不存在", "请核对报送文件夹的县级行政区划代码"),
    Rule("county_mismatch", "reject", "填报单位与报送县不符", "请报送本县的报表；如填报单位填写有误请更正"),
    Rule("period_missing", "reject", "缺少报告期", "请在表头填写“报告期：YYYY年M月”，或在文件名中注明年月"),
    Rule("required_missing", "error", "必填项为空", "请填写该必填项"),
    Rule("unparseable_value", "error", "数值无法识别", "请填写有效数字，如 1492万元、322人"),
    Rule("out_of_range", "error", "数值超出范围", "请核对数值：人数、户数、金额不能为负，百分比应在 0–100 之间"),
    Rule("duplicate_key", "error", "重复填报", "同一对象只填一行；请删除重复行或合并数据"),
    Rule("inconsistent_band", "error", "区间上下限颠倒", "区间应写成“小值至大值”，如 2万元至10万元"),
    Rule("subset_exceeds_total", "error", "分项大于总数", "“其中”项不能大于总数，请核对"),
    Rule("total_mismatch", "warning", "合计与分项不符", "专业队伍合计应等于选派队员与乡镇专职队员之和，请核对或说明"),
    Rule("sum_mismatch", "warning", "合计行与明细之和不符", "请核对合计行与各明细行，或在说明栏说明原因"),
    Rule("ratio_over_limit", "warning", "每名队员帮扶户数过多", "贫困户数与专业队伍人数之比超过 80，请核对或说明"),
    Rule("incidence_mismatch", "warning", "贫困发生率与人口数不符", "贫困发生率应约等于 贫困人口÷农村人口×100，请核对或说明"),
    Rule("unit_conflict", "warning", "单位不一致", "单元格单位与表头单位不一致，已按单元格单位计算，请核对"),
    Rule("outlier", "warning", "与全区差异较大", "该数值与全区各县差异较大，请核实或说明"),
    Rule("yoy_change", "warning", "同比变化较大", "与上期相比变化超过 50%，请核实或说明"),
]}

_KIND_WORDS = {
    "money": ("金额", "1492万元"),
    "count": ("数量", "322 或 322人"),
    "number": ("数字", "12.5"),
    "area_mu": ("面积", "2033亩"),
    "percent": ("百分比", "23.68%"),
    "quantity": ("数量", "10万斤"),
    "bool": ("是/否", "是 或 否"),
    "year": ("年份", "2018"),
    "date": ("日期", "2018年8月13日"),
}


def severity(code: str) -> str:
    return RULES[code].severity


def unparseable_message(cell: str, raw: str, kind: str) -> str:
    word, example = _KIND_WORDS.get(kind, ("数值", "1492"))
    return f"{cell}「{raw}」不是有效{word}，请填写{word}，如 {example}"


def required_message(cell: str, label: str) -> str:
    return f"{cell}「{label}」为必填项，不能为空"


def out_of_range_message(cell: str, raw: str, label: str, low, high) -> str:
    if high is not None and low is not None:
        return f"{cell}「{raw}」超出范围：{label}应在 {low:g}–{high:g} 之间"
    return f"{cell}「{raw}」不能为负数：{label}应不小于 {low:g}"
