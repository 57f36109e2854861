-- County × period × form: what was due, what arrived, and when; for reminders.
-- With an empty calendar (ref.reporting_calendar / ref.county_form) it lists only what
-- was received. status: missing (due, nothing received), resubmitted (more than one
-- version), late (first version after the due date), else received.
with expected as (
    select * from {{ ref('stg_expected_return') }}
),

submission_form as (
    select * from {{ ref('stg_submission_form') }}
),

county as (
    select * from {{ ref('stg_county') }}
),

received as (
    select
        county_code,
        period,
        form,
        min(received_at) as received_at,
        max(received_at) as last_received_at,
        max(version) as versions,
        max(submission_id) filter (where is_current) as current_submission_id
    from submission_form
    group by all
),

joined as (
    select
        coalesce(expected.county_code, received.county_code) as county_code,
        coalesce(expected.period, received.period) as period,
        coalesce(expected.form, received.form) as form,
        expected.due_date,
        received.received_at,
        received.last_received_at,
        coalesce(received.versions, 0) as versions,
        received.current_submission_id
    from expected
    full join received
        on expected.county_code = received.county_code
        and expected.period = received.period
        and expected.form = received.form
),

final as (
    select
        joined.county_code,
        county.county_name,
        joined.period,
        joined.form,
        joined.due_date,
        joined.received_at,
        joined.last_received_at,
        case
            when joined.received_at is null then 'missing'
            when joined.versions > 1 then 'resubmitted'
            when joined.received_at::date > joined.due_date then 'late'
            else 'received'
        end as status,
        coalesce(joined.received_at::date > joined.due_date, false) as received_late,
        joined.versions,
        joined.current_submission_id
    from joined
    left join county using (county_code)
)

select * from final
