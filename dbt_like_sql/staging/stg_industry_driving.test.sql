-- test: required_not_null
select * from {{ ref('stg_industry_driving') }}
where org_name is null or households_driven is null

-- test: counts_non_negative
select * from {{ ref('stg_industry_driving') }}
where households_driven < 0 or poor_households_driven < 0

-- test: poor_within_households
select * from {{ ref('stg_industry_driving') }}
where poor_households_driven > households_driven

-- test: org_unique_per_submission
select submission_id, org_name, count(*) as n
from {{ ref('stg_industry_driving') }}
group by all
having count(*) > 1
