-- test: required_not_null
select * from {{ ref('stg_consumption_sales') }}
where product is null or sales_yuan is null

-- test: values_non_negative
select * from {{ ref('stg_consumption_sales') }}
where sales_yuan < 0 or quantity < 0 or quantity_kg < 0 or villages < 0 or households < 0

-- test: product_channel_unique_per_submission
select submission_id, product, channel, count(*) as n
from {{ ref('stg_consumption_sales') }}
group by all
having count(*) > 1
