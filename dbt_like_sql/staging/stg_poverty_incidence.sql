-- materialized: view
with source as (
    select * from {{ source('core', 'poverty_incidence') }}
),

final as (
    select
        submission_id,
        county_code,
        period,
        township,
        year,
        poor_population,
        rural_population,
        incidence_pct,
        source_sheet,
        source_row
    from source
)

select * from final
