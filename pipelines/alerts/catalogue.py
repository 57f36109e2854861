"""County-facing Chinese wording around the rule catalogue: severities, statuses, forms.

Rule names and fixes are in pipelines/validate/catalogue.py (one place for every rule code);
this adds what the 问题清单, the 退回说明 and the emails say around them.
"""

from __future__ import annotations

from pipelines.validate.catalogue import RULES as RULE_CATALOGUE
from schemas.spec import all_forms


# Rule names and fixes live with the rule catalogue; here only the county-facing extras.
RULES = RULE_CATALOGUE

# The sheet of a feedback workbook that lists the problems (and takes the county's 说明 back)
ISSUE_SHEET = "问题清单"

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

FORM_NAMES = {name: form.title for name, form in all_forms().items()}


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
