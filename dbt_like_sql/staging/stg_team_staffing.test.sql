-- test: required_not_null
select * from {{ ref('stg_team_staffing') }}
where work_team_members is null or county_code is null or period is null

-- test: counts_non_negative
select * from {{ ref('stg_team_staffing') }}
where least(work_team_members, township_professionals, professional_team_total, village_cadres,
            assistance_cadres, poor_households, villages, e_bikes) < 0
   or meal_allowance_yuan_per_day < 0

-- test: township_unique_per_submission
select submission_id, township, count(*) as n
from {{ ref('stg_team_staffing') }}
group by all
having count(*) > 1
