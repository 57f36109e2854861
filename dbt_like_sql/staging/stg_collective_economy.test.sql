-- test: required_not_null
select * from {{ ref('stg_collective_economy') }}
where village is null or (income_min_yuan is null and income_max_yuan is null)

-- test: money_non_negative
select * from {{ ref('stg_collective_economy') }}
where least(investment_yuan, income_min_yuan, income_max_yuan) < 0 or area_mu < 0

-- test: band_consistent
select * from {{ ref('stg_collective_economy') }}
where income_min_yuan > income_max_yuan

-- test: village_year_unique_per_submission
select submission_id, village, year, count(*) as n
from {{ ref('stg_collective_economy') }}
group by all
having count(*) > 1
