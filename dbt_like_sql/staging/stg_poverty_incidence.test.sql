-- test: required_not_null
select * from {{ ref('stg_poverty_incidence') }}
where year is null

-- test: incidence_in_0_100
select * from {{ ref('stg_poverty_incidence') }}
where incidence_pct not between 0 and 100

-- test: poor_within_rural
select * from {{ ref('stg_poverty_incidence') }}
where poor_population < 0 or rural_population < 0 or poor_population > rural_population

-- test: township_year_unique_per_submission
select submission_id, township, year, count(*) as n
from {{ ref('stg_poverty_incidence') }}
group by all
having count(*) > 1
