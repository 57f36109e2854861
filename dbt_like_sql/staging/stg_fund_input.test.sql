-- test: required_not_null
select * from {{ ref('stg_fund_input') }}
where project_name is null or amount_yuan is null

-- test: amount_non_negative
select * from {{ ref('stg_fund_input') }}
where amount_yuan < 0

-- test: project_village_unique_per_submission
select submission_id, project_name, village, count(*) as n
from {{ ref('stg_fund_input') }}
group by all
having count(*) > 1
