"""驻村工作队力量 — work-team staffing: one row per township, or one county row."""

from schemas.spec import FieldSpec as F, make_form

FORM = make_form(
    "team", "驻村工作队力量", "team_staffing",
    [
        F("township", "text"),
        F("work_team_members", "count", required=True, min_value=0, additive=True),
        F("township_professionals", "count", min_value=0, additive=True),
        F("professional_team_total", "count", min_value=0, additive=True),
        F("village_cadres", "count", min_value=0, additive=True),
        F("assistance_cadres", "count", min_value=0, additive=True),
        F("poor_households", "count", min_value=0, additive=True),
        F("villages", "count", min_value=0, additive=True),
        F("e_bikes", "count", min_value=0, additive=True),
        F("meal_allowance_yuan_per_day", "money", min_value=0),
    ],
    key=("township",),
    part_sums=(("professional_team_total", ("work_team_members", "township_professionals")),),
    # more than 80 poor households per member of the professional team is overstretched
    ratio_limits=(("poor_households", "professional_team_total",
                   ("work_team_members", "township_professionals"), 80.0),),
)
