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
    Rule("unreadable_file", "reject", "文件无法读取",
         "文件已损坏或不是有效的 Excel/CSV 文件。请先用 Excel 或 WPS 打开，确认内容能正常显示，再“另存为”Excel 工作簿（.xlsx）后重新报送。"),
    Rule("encrypted_file", "reject", "文件设有密码",
         "文件设置了打开密码，系统无法读取。请在 Excel 或 WPS 中取消文件的打开密码（Excel：文件→信息→保护工作簿→用密码进行加密，清空密码），保存后重新报送。"),
    Rule("unsupported_type", "reject", "文件类型不支持",
         "系统只接收 .xlsx、.xlsm、.xls、.csv 文件。请不要报送 PDF、图片、Word 或压缩包，请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后重新报送。"),
    Rule("too_large", "reject", "文件过大",
         "文件大小或行数超过系统限制。请删除与报表无关的工作表、图片和大量空白行，或按报表拆分成几个文件后重新报送。"),
    Rule("unknown_form", "reject", "无法识别报表",
         "文件中没有找到可识别的报表。请使用统一下发的报表模板填写，保留表头文字（如“项目名称”“投入资金（万元）”），不要删除或改写表头后重新报送。"),
    Rule("county_unknown", "reject", "县区代码无法识别",
         "报送目录的县区代码不在全区县（市、区）名单中。请确认把文件放入本单位的报送目录（inbox/本县区6位行政区划代码/），如有疑问请与自治区扶贫办联系。"),
    Rule("county_mismatch", "reject", "填报单位与报送目录不符",
         "表中“填报单位”不是本县（市、区）。请检查是否误报了其他县区的文件；如确为本单位报表，请把“填报单位”改为本单位名称后重新报送。"),
    Rule("period_missing", "reject", "缺少报告期",
         "系统找不到报表所属时期。请在表头填写“报告期：2018年8月”，或在文件名中写明年月（如“资金投入2018年8月.xlsx”）后重新报送。"),
    Rule("required_missing", "error", "必填项为空",
         "请补填该项（人数、户数等没有的请填 0）。补填前该行数据不入库。"),
    Rule("unparseable_value", "error", "数值无法识别",
         "请填写数字，可带单位（如 1492万元、322人、74.8%），不要填写文字说明、多个小数点或错误值（如 #REF!、#DIV/0!）。"),
    Rule("out_of_range", "error", "数值超出范围",
         "人数、户数、金额不能为负数，百分比应在 0～100 之间。请核对后修改。"),
    Rule("duplicate_key", "error", "重复填报",
         "同一项目（村、组织）在表中出现了两次，后一行未入库。请合并为一行，或在名称上加以区分（如注明实施村）。"),
    Rule("inconsistent_band", "error", "区间上下限颠倒",
         "区间的下限大于上限。请按“小值至大值”填写，如“2万元至10万元”。"),
    Rule("subset_exceeds_total", "error", "分项大于总数",
         "“其中”数（如其中贫困户、贫困人口）不能大于总数（带动农户、农村人口）。请核对两项数字后修改。"),
    Rule("total_mismatch", "warning", "合计与分项不符",
         "专业扶贫工作队合计应等于选派工作队员数与乡镇专职队员数之和。请核对修改。"),
    Rule("sum_mismatch", "warning", "合计行与明细不符",
         "合计（小计）行的数字与明细行之和不一致（相差超过 0.5% 且超过 1 个单位）。请核对合计行或明细行。"),
    Rule("ratio_over_limit", "warning", "人均帮扶户数过高",
         "每名专业扶贫工作队员对应的贫困户超过 80 户。请核对贫困户数和工作队人数。"),
    Rule("incidence_mismatch", "warning", "贫困发生率与人数不符",
         "贫困发生率应等于 贫困人口 ÷ 农村人口 × 100。请核对这三项数字。"),
    Rule("unit_conflict", "warning", "单位不一致",
         "单元格中写的单位与表头单位不一致，系统按单元格中的单位计算。请核对单位是否填写正确。"),
    Rule("outlier", "warning", "与全区差异较大",
         "该数字与全区其他县（市、区）相比明显偏高或偏低。请核实数据是否准确。"),
    Rule("yoy_change", "warning", "与上期相比变化较大",
         "该数字与本县（市、区）上一期相比变化超过 50%。请核实数据是否准确。"),
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
