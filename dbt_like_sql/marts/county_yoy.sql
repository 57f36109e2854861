-- Each county's measures per form against the same period a year earlier
-- (2018-08 vs 2017-08, 2018-Q3 vs 2017-Q3, 2018 vs 2017): the basis of yoy_change.
with measure as (
    select * from {{ ref('county_period_measure') }}
),

county as (
    select * from {{ ref('stg_county') }}
),

measure_form (measure, form) as (
    values
        ('work_team_members', 'team'),
        ('team_size', 'team'),
        ('team_poor_households', 'team'),
        ('poor_households_per_member', 'team'),
        ('fund_projects', 'fund'),
        ('fund_total_yuan', 'fund'),
        ('villages_reporting', 'collective'),
        ('villages_with_income', 'collective'),
        ('share_income_ge_50k', 'collective'),
        ('median_income_yuan', 'collective'),
        ('collective_investment_yuan', 'collective'),
        ('driving_orgs', 'industry'),
        ('households_driven', 'industry'),
        ('poor_households_driven', 'industry'),
        ('poor_population', 'poverty'),
        ('rural_population', 'poverty'),
        ('incidence_pct', 'poverty'),
        ('sales_total_yuan', 'sales'),
        ('sales_quantity_kg', 'sales')
),

long as (
    select county_code, period, measure, value
    from (
        select
            county_code,
            period,
            work_team_members::double as work_team_members,
            team_size::double as team_size,
            team_poor_households::double as team_poor_households,
            poor_households_per_member::double as poor_households_per_member,
            fund_projects::double as fund_projects,
            fund_total_yuan::double as fund_total_yuan,
            villages_reporting::double as villages_reporting,
            villages_with_income::double as villages_with_income,
            share_income_ge_50k::double as share_income_ge_50k,
            median_income_yuan::double as median_income_yuan,
            collective_investment_yuan::double as collective_investment_yuan,
            driving_orgs::double as driving_orgs,
            households_driven::double as households_driven,
            poor_households_driven::double as poor_households_driven,
            poor_population::double as poor_population,
            rural_population::double as rural_population,
            incidence_pct::double as incidence_pct,
            sales_total_yuan::double as sales_total_yuan,
            sales_quantity_kg::double as sales_quantity_kg
        from measure
    )
    unpivot (value for measure in (
        work_team_members, team_size, team_poor_households, poor_households_per_member,
        fund_projects, fund_total_yuan, villages_reporting, villages_with_income,
        share_income_ge_50k, median_income_yuan, collective_investment_yuan, driving_orgs,
        households_driven, poor_households_driven, poor_population, rural_population,
        incidence_pct, sales_total_yuan, sales_quantity_kg
    ))
),

dated as (
    select
        long.*,
        measure_form.form,
        (left(period, 4)::integer - 1)::varchar || substr(period, 5) as prior_period
    from long
    join measure_form using (measure)
),

final as (
    select
        cur.county_code,
        county.county_name,
        cur.form,
        cur.measure,
        cur.period,
        cur.value,
        cur.prior_period,
        prior.value as prior_value,
        case when prior.value <> 0 then (cur.value - prior.value) / prior.value end as change_ratio
    from dated as cur
    left join long as prior
        on prior.county_code = cur.county_code
        and prior.measure = cur.measure
        and prior.period = cur.prior_period
    left join county on county.county_code = cur.county_code
)

select * from final
