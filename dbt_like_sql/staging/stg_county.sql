-- materialized: view
-- The county-level units in use today (one row per current code).
with source as (
    select * from {{ source('ref', 'county') }}
),

final as (
    select
        code as county_code,
        name as county_name,
        prefecture_code,
        prefecture,
        is_key_poverty_county
    from source
    where valid_to is null
)

select * from final
