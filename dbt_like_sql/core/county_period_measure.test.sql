-- test: unique_county_period
select county_code, period, count(*) as n
from {{ ref('county_period_measure') }}
group by all
having count(*) > 1

-- test: villages_with_income_within_reporting
select * from {{ ref('county_period_measure') }}
where villages_with_income > villages_reporting
