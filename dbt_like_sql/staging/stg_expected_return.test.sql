-- test: unique_county_period_form
select county_code, period, form, count(*) as n
from {{ ref('stg_expected_return') }}
group by all
having count(*) > 1
