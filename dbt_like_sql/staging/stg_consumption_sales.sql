-- materialized: view
with source as (
    select * from {{ source('core', 'consumption_sales') }}
),

final as (
    select
        submission_id,
        county_code,
        period,
        product,
        channel,
        quantity,
        unit,
        quantity_kg,
        sales_yuan,
        villages,
        households,
        source_sheet,
        source_row
    from source
)

select * from final
