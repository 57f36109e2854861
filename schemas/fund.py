"""资金投入 — fund inputs: one row per project."""

from schemas.spec import FieldSpec as F, make_form

FORM = make_form(
    "fund", "资金投入", "fund_input",
    [
        F("project_name", "text", required=True),
        F("village", "text"),
        F("fund_source", "text"),
        F("amount_yuan", "money", required=True, min_value=0, additive=True,
          derived=("amount_qualifier",)),
    ],
    key=("project_name", "village"),
)
