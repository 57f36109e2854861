"""消费扶贫 — consumption-sales ledger: one row per product line."""

from schemas.spec import FieldSpec as F, make_form

FORM = make_form(
    "sales", "消费扶贫", "consumption_sales",
    [
        F("product", "text", required=True),
        F("channel", "text"),
        # 10万斤 → quantity 100000, unit 斤, quantity_kg 50000
        F("quantity", "quantity", min_value=0, derived=("unit", "quantity_kg")),
        F("unit", "unit"),
        F("quantity_kg", "number", min_value=0),
        F("sales_yuan", "money", required=True, min_value=0, additive=True),
        F("villages", "count", min_value=0, additive=True),
        F("households", "count", min_value=0, additive=True),
    ],
    key=("product", "channel"),
)
