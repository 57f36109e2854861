-- test: one_current_version
select county_code, period, form, count(*) as n
from {{ ref('stg_submission_form') }}
where is_current
group by all
having count(*) > 1

-- test: versions_consecutive
select county_code, period, form, count(*) as n, max(version) as max_version
from {{ ref('stg_submission_form') }}
group by all
having count(*) <> max(version) or min(version) <> 1
