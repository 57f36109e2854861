"""贫困发生率 — poverty incidence: one row per county or township × year."""

from schemas.spec import FieldSpec as F, make_form

FORM = make_form(
    "poverty", "贫困发生率", "poverty_incidence",
    [
        F("township", "text"),
        F("year", "year", required=True),
        F("poor_population", "count", min_value=0),
        F("rural_population", "count", min_value=0),
        F("incidence_pct", "percent", min_value=0, max_value=100),
    ],
    key=("township", "year"),
    subsets=(("poor_population", "rural_population"),),
    rates=(("incidence_pct", "poor_population", "rural_population", 0.05),),
)
