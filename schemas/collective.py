"""村集体经济 — village collective economy: one row per village; income may be a band."""

from schemas.spec import FieldSpec as F, make_form

FORM = make_form(
    "collective", "村集体经济", "collective_economy",
    [
        F("village", "text", required=True),
        F("is_poor_village", "bool"),
        F("industry", "text"),
        F("area_mu", "area_mu", min_value=0, additive=True),
        F("investment_yuan", "money", min_value=0, additive=True),
        # One income column is read as a band: a point value sets both ends.
        F("income_min_yuan", "money", required=True, min_value=0, derived=("income_max_yuan",)),
        F("income_max_yuan", "money", required=True, min_value=0),
        F("year", "year"),
    ],
    key=("village", "year"),
    bands=(("income_min_yuan", "income_max_yuan"),),
)
