-- One row per county × period that has current data in any form: the measures the marts
-- compare across counties and years. A form the county did not send gives NULLs, not 0.
with team as (
    select * from {{ ref('stg_team_staffing') }}
),

fund as (
    select * from {{ ref('stg_fund_input') }}
),

collective as (
    select * from {{ ref('stg_collective_economy') }}
),

industry as (
    select * from {{ ref('stg_industry_driving') }}
),

poverty as (
    select * from {{ ref('stg_poverty_incidence') }}
),

sales as (
    select * from {{ ref('stg_consumption_sales') }}
),

team_agg as (
    select
        county_code,
        period,
        sum(work_team_members) as work_team_members,
        sum(team_size) as team_size,
        sum(poor_households) as team_poor_households
    from team
    group by all
),

fund_agg as (
    select
        county_code,
        period,
        count(*) as fund_projects,
        sum(amount_yuan) as fund_total_yuan
    from fund
    group by all
),

-- A village may be listed for several income years: compare counties on the latest.
collective_latest as (
    select *
    from collective
    qualify year is null or year = max(year) over (partition by county_code, period)
),

collective_agg as (
    select
        county_code,
        period,
        count(*) as villages_reporting,
        count(*) filter (where has_income) as villages_with_income,
        avg(income_ge_50k::int) as share_income_ge_50k,
        median(income_midpoint_yuan) as median_income_yuan,
        sum(investment_yuan) as collective_investment_yuan
    from collective_latest
    group by all
),

industry_agg as (
    select
        county_code,
        period,
        count(*) as driving_orgs,
        sum(households_driven) as households_driven,
        sum(poor_households_driven) as poor_households_driven
    from industry
    group by all
),

-- A return may list several years: the period's figure is its latest year, taken from
-- the county row when there is one, else summed over townships.
poverty_latest as (
    select *
    from poverty
    qualify year = max(year) over (partition by county_code, period)
),

poverty_agg as (
    select
        county_code,
        period,
        max(year) as poverty_year,
        coalesce(sum(poor_population) filter (where township is null), sum(poor_population)) as poor_population,
        coalesce(sum(rural_population) filter (where township is null), sum(rural_population)) as rural_population,
        max(incidence_pct) filter (where township is null) as stated_incidence_pct
    from poverty_latest
    group by all
),

sales_agg as (
    select
        county_code,
        period,
        sum(sales_yuan) as sales_total_yuan,
        sum(quantity_kg) as sales_quantity_kg
    from sales
    group by all
),

spine as (
    select county_code, period from team_agg
    union select county_code, period from fund_agg
    union select county_code, period from collective_agg
    union select county_code, period from industry_agg
    union select county_code, period from poverty_agg
    union select county_code, period from sales_agg
),

final as (
    select
        spine.county_code,
        spine.period,
        collective_agg.villages_reporting,
        collective_agg.villages_with_income,
        collective_agg.share_income_ge_50k::double as share_income_ge_50k,
        collective_agg.median_income_yuan::decimal(18, 2) as median_income_yuan,
        collective_agg.collective_investment_yuan::decimal(18, 2) as collective_investment_yuan,
        industry_agg.driving_orgs,
        industry_agg.households_driven,
        industry_agg.poor_households_driven,
        -- households driven per 万元 of collective investment
        (industry_agg.households_driven
            / nullif(collective_agg.collective_investment_yuan / 10000, 0))::double as households_driven_per_10k_yuan,
        fund_agg.fund_projects,
        fund_agg.fund_total_yuan::decimal(18, 2) as fund_total_yuan,
        sales_agg.sales_total_yuan::decimal(18, 2) as sales_total_yuan,
        sales_agg.sales_quantity_kg,
        team_agg.work_team_members,
        team_agg.team_size,
        team_agg.team_poor_households,
        (team_agg.team_poor_households / nullif(team_agg.team_size, 0))::double as poor_households_per_member,
        poverty_agg.poverty_year,
        poverty_agg.poor_population,
        poverty_agg.rural_population,
        coalesce(
            100.0 * poverty_agg.poor_population / nullif(poverty_agg.rural_population, 0),
            poverty_agg.stated_incidence_pct
        )::double as incidence_pct
    from spine
    left join team_agg using (county_code, period)
    left join fund_agg using (county_code, period)
    left join collective_agg using (county_code, period)
    left join industry_agg using (county_code, period)
    left join poverty_agg using (county_code, period)
    left join sales_agg using (county_code, period)
)

select * from final
