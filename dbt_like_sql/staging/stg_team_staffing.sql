-- materialized: view
with source as (
    select * from {{ source('core', 'team_staffing') }}
),

final as (
    select
        submission_id,
        county_code,
        period,
        township,
        work_team_members,
        township_professionals,
        professional_team_total,
        village_cadres,
        assistance_cadres,
        poor_households,
        villages,
        e_bikes,
        meal_allowance_yuan_per_day,
        -- The professional team as stated, else its parts (a missing part counts as 0).
        coalesce(professional_team_total, work_team_members + coalesce(township_professionals, 0)) as team_size,
        source_sheet,
        source_row
    from source
)

select * from final
