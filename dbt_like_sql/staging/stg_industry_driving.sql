-- materialized: view
with source as (
    select * from {{ source('core', 'industry_driving') }}
),

final as (
    select
        submission_id,
        county_code,
        period,
        org_name,
        org_type,
        industry,
        households_driven,
        poor_households_driven,
        leader_is_party_member,
        source_sheet,
        source_row
    from source
)

select * from final
