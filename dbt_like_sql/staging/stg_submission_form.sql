-- materialized: view
-- Every accepted version of every county × period × form, with when its file arrived.
with submission as (
    select * from {{ source('ops', 'submission') }}
),

submission_form as (
    select * from {{ source('ops', 'submission_form') }}
),

final as (
    select
        sf.county_code,
        sf.period,
        sf.form,
        sf.version,
        sf.submission_id,
        sf.superseded_by,
        sf.superseded_by is null as is_current,
        sf.rows_loaded,
        submission.received_at,
        submission.status
    from submission_form as sf
    join submission using (submission_id)
)

select * from final
