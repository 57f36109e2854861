-- materialized: view
with source as (
    select * from {{ source('core', 'fund_input') }}
),

final as (
    select
        submission_id,
        county_code,
        period,
        project_name,
        village,
        fund_source,
        amount_yuan,
        amount_qualifier,
        source_sheet,
        source_row
    from source
)

select * from final
