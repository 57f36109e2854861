-- test: unique_county_measure_period
select county_code, measure, period, count(*) as n
from {{ ref('county_yoy') }}
group by all
having count(*) > 1

-- test: every_measure_has_a_form
select * from {{ ref('county_yoy') }}
where form is null

-- test: change_ratio_matches_values
select * from {{ ref('county_yoy') }}
where change_ratio is not null
  and abs(change_ratio * prior_value - (value - prior_value)) > 1e-6 * greatest(abs(value), 1)
