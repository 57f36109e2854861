-- test: one_row_per_county_period
select county_code, period, count(*) as n
from {{ ref('county_comparison') }}
group by all
having count(*) > 1

-- test: share_in_0_1
select county_code, period, share_income_ge_50k
from {{ ref('county_comparison') }}
where share_income_ge_50k not between 0 and 1

-- test: county_known
select county_code, period
from {{ ref('county_comparison') }}
where county_name is null

-- test: no_z_for_a_lone_county
select c.county_code, c.period
from {{ ref('county_comparison') }} as c
join (
    select period from {{ ref('county_comparison') }} group by all having count(*) = 1
) as lone using (period)
where coalesce(fund_total_yuan_z, sales_total_yuan_z, households_driven_z,
               collective_investment_yuan_z, villages_reporting_z) is not null
