"""产业带贫 — industry-driven households: one row per 带富组织."""

from schemas.spec import FieldSpec as F, make_form

FORM = make_form(
    "industry", "产业带贫", "industry_driving",
    [
        F("org_name", "text", required=True),
        F("org_type", "text"),
        F("industry", "text"),
        F("households_driven", "count", required=True, min_value=0, additive=True),
        F("poor_households_driven", "count", min_value=0, additive=True),
        F("leader_is_party_member", "bool"),
    ],
    key=("org_name",),
    subsets=(("poor_households_driven", "households_driven"),),
)
