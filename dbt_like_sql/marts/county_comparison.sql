-- One row per county × period: the measures the province compares counties by, each
-- with a robust z-score against all counties in the same period:
--   m_z = 0.6745 · (m − median) / MAD, NULL when MAD = 0 or only one county reports m.
with measure as (
    select * from {{ ref('county_period_measure') }}
),

county as (
    select * from {{ ref('stg_county') }}
),

long as (
    select county_code, period, measure, value
    from (
        select
            county_code,
            period,
            villages_reporting::double as villages_reporting,
            villages_with_income::double as villages_with_income,
            share_income_ge_50k::double as share_income_ge_50k,
            median_income_yuan::double as median_income_yuan,
            collective_investment_yuan::double as collective_investment_yuan,
            households_driven::double as households_driven,
            poor_households_driven::double as poor_households_driven,
            households_driven_per_10k_yuan::double as households_driven_per_10k_yuan,
            fund_total_yuan::double as fund_total_yuan,
            sales_total_yuan::double as sales_total_yuan,
            poor_households_per_member::double as poor_households_per_member
        from measure
    )
    -- NULLs drop out here: a county without a measure is not part of its distribution.
    unpivot (value for measure in (
        villages_reporting, villages_with_income, share_income_ge_50k, median_income_yuan,
        collective_investment_yuan, households_driven, poor_households_driven,
        households_driven_per_10k_yuan, fund_total_yuan, sales_total_yuan,
        poor_households_per_member
    ))
),

centre as (
    select period, measure, median(value) as median_value, count(*) as counties
    from long
    group by all
),

spread as (
    select long.period, long.measure, median(abs(long.value - centre.median_value)) as mad
    from long
    join centre using (period, measure)
    group by all
),

z as (
    select
        long.county_code,
        long.period,
        long.measure,
        case
            when centre.counties > 1 and spread.mad > 0
                then 0.6745 * (long.value - centre.median_value) / spread.mad
        end as z
    from long
    join centre using (period, measure)
    join spread using (period, measure)
),

z_wide as (
    select
        county_code,
        period,
        max(z) filter (where measure = 'villages_reporting') as villages_reporting_z,
        max(z) filter (where measure = 'villages_with_income') as villages_with_income_z,
        max(z) filter (where measure = 'share_income_ge_50k') as share_income_ge_50k_z,
        max(z) filter (where measure = 'median_income_yuan') as median_income_yuan_z,
        max(z) filter (where measure = 'collective_investment_yuan') as collective_investment_yuan_z,
        max(z) filter (where measure = 'households_driven') as households_driven_z,
        max(z) filter (where measure = 'poor_households_driven') as poor_households_driven_z,
        max(z) filter (where measure = 'households_driven_per_10k_yuan') as households_driven_per_10k_yuan_z,
        max(z) filter (where measure = 'fund_total_yuan') as fund_total_yuan_z,
        max(z) filter (where measure = 'sales_total_yuan') as sales_total_yuan_z,
        max(z) filter (where measure = 'poor_households_per_member') as poor_households_per_member_z
    from z
    group by all
),

final as (
    select
        measure.county_code,
        county.county_name,
        county.prefecture,
        county.is_key_poverty_county,
        measure.period,
        measure.villages_reporting,
        measure.villages_with_income,
        measure.share_income_ge_50k,
        measure.median_income_yuan,
        measure.collective_investment_yuan,
        measure.households_driven,
        measure.poor_households_driven,
        measure.households_driven_per_10k_yuan,
        measure.fund_total_yuan,
        measure.sales_total_yuan,
        measure.poor_households_per_member,
        z_wide.villages_reporting_z,
        z_wide.villages_with_income_z,
        z_wide.share_income_ge_50k_z,
        z_wide.median_income_yuan_z,
        z_wide.collective_investment_yuan_z,
        z_wide.households_driven_z,
        z_wide.poor_households_driven_z,
        z_wide.households_driven_per_10k_yuan_z,
        z_wide.fund_total_yuan_z,
        z_wide.sales_total_yuan_z,
        z_wide.poor_households_per_member_z
    from measure
    left join z_wide using (county_code, period)
    left join county using (county_code)
)

select * from final
