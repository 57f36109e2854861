-- test: unique_county_period_form
select county_code, period, form, count(*) as n
from {{ ref('reporting_status') }}
group by all
having count(*) > 1

-- test: status_consistent
select * from {{ ref('reporting_status') }}
where status not in ('received', 'late', 'missing', 'resubmitted')
   or (status = 'missing') <> (versions = 0)
   or (status = 'resubmitted') <> (versions > 1)
