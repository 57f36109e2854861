-- test: county_code_unique
select county_code, count(*) as n
from {{ ref('stg_county') }}
group by all
having count(*) > 1
