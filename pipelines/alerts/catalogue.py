"""County-facing Chinese wording for the CONTRACT rule catalogue, forms and statuses.

Rule codes are the contract's; the names and fixes here are what a county clerk reads in
the 问题清单, the 退回说明 and the emails.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleText:
    name: str  # short Chinese name, shown after the rule code
    fix: str  # what the county should do


RULES: dict[str, RuleText] = {
    # reject: the whole file is refused
    "unreadable_file": RuleText(
        "文件无法读取",
        "文件已损坏或不是有效的 Excel/CSV 文件。请先用 Excel 或 WPS 打开，确认内容能正常显示，"
        "再“另存为”Excel 工作簿（.xlsx）后重新报送。",
    ),
    "encrypted_file": RuleText(
        "文件设有密码",
        "文件设置了打开密码，系统无法读取。请在 Excel 或 WPS 中取消文件的打开密码"
        "（Excel：文件→信息→保护工作簿→用密码进行加密，清空密码），保存后重新报送。",
    ),
    "unsupported_type": RuleText(
        "文件类型不支持",
        "系统只接收 .xlsx、.xlsm、.xls、.csv 文件。请不要报送 PDF、图片、Word 或压缩包，"
        "请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后重新报送。",
    ),
    "too_large": RuleText(
        "文件过大",
        "文件大小或行数超过系统限制。请删除与报表无关的工作表、图片和大量空白行，"
        "或按报表拆分成几个文件后重新报送。",
    ),
    "unknown_form": RuleText(
        "无法识别报表",
        "文件中没有找到可识别的报表。请使用统一下发的报表模板填写，保留表头文字"
        "（如“项目名称”“投入资金（万元）”），不要删除或改写表头后重新报送。",
    ),
    "county_unknown": RuleText(
        "县区代码无法识别",
        "报送目录的县区代码不在全区县（市、区）名单中。请确认把文件放入本单位的报送目录"
        "（inbox/本县区6位行政区划代码/），如有疑问请与自治区扶贫办联系。",
    ),
    "county_mismatch": RuleText(
        "填报单位与报送目录不符",
        "表中“填报单位”不是本县（市、区）。请检查是否误报了其他县区的文件；"
        "如确为本单位报表，请把“填报单位”改为本单位名称后重新报送。",
    ),
    "period_missing": RuleText(
        "缺少报告期",
        "系统找不到报表所属时期。请在表头填写“报告期：2018年8月”，"
        "或在文件名中写明年月（如“资金投入2018年8月.xlsx”）后重新报送。",
    ),
    # error: the row is not loaded
    "required_missing": RuleText(
        "必填项为空",
        "请补填该项（人数、户数等没有的请填 0）。补填前该行数据不入库。",
    ),
    "unparseable_value": RuleText(
        "数值无法识别",
        "请填写数字，可带单位（如 1492万元、322人、74.8%），不要填写文字说明、"
        "多个小数点或错误值（如 #REF!、#DIV/0!）。",
    ),
    "out_of_range": RuleText(
        "数值超出范围",
        "人数、户数、金额不能为负数，百分比应在 0～100 之间。请核对后修改。",
    ),
    "duplicate_key": RuleText(
        "重复填报",
        "同一项目（村、组织）在表中出现了两次，后一行未入库。请合并为一行，"
        "或在名称上加以区分（如注明实施村）。",
    ),
    "inconsistent_band": RuleText(
        "区间上下限颠倒",
        "区间的下限大于上限。请按“小值至大值”填写，如“2万元至10万元”。",
    ),
    "subset_exceeds_total": RuleText(
        "分项大于总数",
        "“其中”数（如其中贫困户、贫困人口）不能大于总数（带动农户、农村人口）。请核对两项数字后修改。",
    ),
    # warning: the row is loaded, the county confirms or explains
    "total_mismatch": RuleText(
        "合计与分项不符",
        "专业扶贫工作队合计应等于选派工作队员数与乡镇专职队员数之和。请核对修改。",
    ),
    "sum_mismatch": RuleText(
        "合计行与明细不符",
        "合计（小计）行的数字与明细行之和不一致（相差超过 0.5% 且超过 1 个单位）。请核对合计行或明细行。",
    ),
    "ratio_over_limit": RuleText(
        "人均帮扶户数过高",
        "每名专业扶贫工作队员对应的贫困户超过 80 户。请核对贫困户数和工作队人数。",
    ),
    "incidence_mismatch": RuleText(
        "贫困发生率与人数不符",
        "贫困发生率应等于 贫困人口 ÷ 农村人口 × 100。请核对这三项数字。",
    ),
    "unit_conflict": RuleText(
        "单位不一致",
        "单元格中写的单位与表头单位不一致，系统按单元格中的单位计算。请核对单位是否填写正确。",
    ),
    "outlier": RuleText(
        "与全区差异较大",
        "该数字与全区其他县（市、区）相比明显偏高或偏低。请核实数据是否准确。",
    ),
    "yoy_change": RuleText(
        "与上期相比变化较大",
        "该数字与本县（市、区）上一期相比变化超过 50%。请核实数据是否准确。",
    ),
}

SEVERITY_LABELS = {"reject": "退回", "error": "错误", "warning": "警告"}

# What the severity means for the county, appended to the rule's fix.
SEVERITY_NOTES = {
    "reject": "整个文件未入库，请修改后重新报送。",
    "error": "该行暂未入库，修改后重新报送即可。",
    "warning": "数据已入库；如核实无误，请在本表最后一列“说明”中填写原因。",
}

STATUS_LABELS = {
    "accepted": "已接收",
    "accepted_with_warnings": "已接收但有问题",
    "rejected": "已退回",
}

FORM_NAMES = {
    "team": "驻村工作队力量",
    "fund": "资金投入",
    "collective": "村集体经济",
    "industry": "产业带贫",
    "poverty": "贫困发生率",
    "sales": "消费扶贫",
}


def rule_label(rule: str) -> str:
    """`unparseable_value 数值无法识别`: the code first, so it can be read back."""
    text = RULES.get(rule)
    return f"{rule} {text.name}" if text else rule


def rule_fix(rule: str, severity: str | None = None) -> str:
    text = RULES.get(rule)
    fix = text.fix if text else "请核对该单元格的数据。"
    note = SEVERITY_NOTES.get(severity or "")
    return f"{fix}{note}" if note else fix


def form_label(form: str | None) -> str:
    if not form:
        return ""
    return FORM_NAMES.get(form, form)
