-- materialized: view
-- What each county owes: the forms it reports × the calendar of those forms.
with calendar as (
    select * from {{ source('ref', 'reporting_calendar') }}
),

county_form as (
    select * from {{ source('ref', 'county_form') }}
),

final as (
    select
        county_form.county_code,
        calendar.period,
        calendar.form,
        calendar.due_date
    from county_form
    join calendar using (form)
)

select * from final
